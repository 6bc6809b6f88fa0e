CREATE TYPE "public"."duplicate_candidate_status" AS ENUM('open', 'ignored', 'merged');--> statement-breakpoint
ALTER TYPE "public"."asset_event_type" ADD VALUE 'moved';--> statement-breakpoint
ALTER TYPE "public"."asset_event_type" ADD VALUE 'merged';--> statement-breakpoint
ALTER TYPE "public"."asset_event_type" ADD VALUE 'split';--> statement-breakpoint
ALTER TYPE "public"."asset_status" ADD VALUE 'merged';--> statement-breakpoint
CREATE TABLE "asset_identifiers" (
	"asset_uuid" uuid NOT NULL,
	"rule" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "asset_identifiers_asset_uuid_rule_value_pk" PRIMARY KEY("asset_uuid","rule","value")
);
--> statement-breakpoint
CREATE TABLE "asset_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survivor_uuid" uuid NOT NULL,
	"merged_uuid" uuid NOT NULL,
	"candidate_id" uuid,
	"link_ids" uuid[] NOT NULL,
	"moved" jsonb NOT NULL,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"split_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "duplicate_candidates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "asset_kind" NOT NULL,
	"asset_a" uuid NOT NULL,
	"asset_b" uuid NOT NULL,
	"score" integer NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" "duplicate_candidate_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "duplicate_candidates_ordered" CHECK ("duplicate_candidates"."asset_a" < "duplicate_candidates"."asset_b")
);
--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "merged_into" uuid;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "instance_uuid" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "instance_uuid_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "asset_identifiers" ADD CONSTRAINT "asset_identifiers_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_merges" ADD CONSTRAINT "asset_merges_survivor_uuid_assets_uuid_fk" FOREIGN KEY ("survivor_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_merges" ADD CONSTRAINT "asset_merges_merged_uuid_assets_uuid_fk" FOREIGN KEY ("merged_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_merges" ADD CONSTRAINT "asset_merges_candidate_id_duplicate_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."duplicate_candidates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_merges" ADD CONSTRAINT "asset_merges_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_asset_a_assets_uuid_fk" FOREIGN KEY ("asset_a") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_asset_b_assets_uuid_fk" FOREIGN KEY ("asset_b") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_identifiers_rule_value_idx" ON "asset_identifiers" USING btree ("rule","value");--> statement-breakpoint
CREATE INDEX "asset_merges_survivor_idx" ON "asset_merges" USING btree ("survivor_uuid");--> statement-breakpoint
CREATE INDEX "asset_merges_merged_idx" ON "asset_merges" USING btree ("merged_uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_candidates_pair_uq" ON "duplicate_candidates" USING btree ("asset_a","asset_b");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_status_idx" ON "duplicate_candidates" USING btree ("status","score");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_b_idx" ON "duplicate_candidates" USING btree ("asset_b");--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_merged_into_assets_uuid_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."assets"("uuid") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sources_instance_uuid_uq" ON "sources" USING btree ("instance_uuid") WHERE "sources"."deleted_at" is null and "sources"."instance_uuid" is not null;