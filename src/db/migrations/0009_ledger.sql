CREATE TABLE "asset_ledger" (
	"asset_uuid" uuid PRIMARY KEY NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"owner" text GENERATED ALWAYS AS (("values" ->> 'owner')) STORED,
	"asset_number" text GENERATED ALWAYS AS (("values" ->> 'asset_number')) STORED
);
--> statement-breakpoint
CREATE TABLE "ledger_fields" (
	"key" text PRIMARY KEY NOT NULL,
	"label_en" text NOT NULL,
	"label_zh" text NOT NULL,
	"type" text NOT NULL,
	"options" text[] DEFAULT '{}'::text[] NOT NULL,
	"kinds" "asset_kind"[] DEFAULT '{host,cluster,vm}'::asset_kind[] NOT NULL,
	"unique" boolean DEFAULT false NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 1000 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_fields_type_check" CHECK ("ledger_fields"."type" in ('text', 'long_text', 'number', 'date', 'boolean', 'enum')),
	CONSTRAINT "ledger_fields_key_check" CHECK ("ledger_fields"."key" ~ '^[a-z][a-z0-9_]{0,39}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"created_by_label" text,
	"file_name" text,
	"encoding" text NOT NULL,
	"delimiter" text NOT NULL,
	"strict" boolean DEFAULT false NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"report" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "name_override" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "primary_ip_override" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "os_override" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "display_name" text GENERATED ALWAYS AS (coalesce(name_override, name)) STORED;--> statement-breakpoint
ALTER TABLE "asset_ledger" ADD CONSTRAINT "asset_ledger_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_imports" ADD CONSTRAINT "ledger_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_ledger_values_gin_idx" ON "asset_ledger" USING gin ("values");--> statement-breakpoint
CREATE INDEX "asset_ledger_owner_lower_idx" ON "asset_ledger" USING btree (lower("owner"));--> statement-breakpoint
CREATE INDEX "asset_ledger_asset_number_lower_idx" ON "asset_ledger" USING btree (lower("asset_number"));--> statement-breakpoint
CREATE INDEX "ledger_imports_created_idx" ON "ledger_imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "assets_display_name_lower_idx" ON "assets" USING btree (lower("display_name"));