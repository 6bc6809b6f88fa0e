ALTER TYPE "public"."asset_event_type" ADD VALUE 'ledger_changed';--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'editor';