CREATE TYPE "public"."asset_event_type" AS ENUM('created', 'changed', 'went_missing', 'came_back', 'relation_changed');--> statement-breakpoint
CREATE TYPE "public"."asset_kind" AS ENUM('host', 'cluster', 'vm');--> statement-breakpoint
CREATE TYPE "public"."asset_status" AS ENUM('active', 'offline');--> statement-breakpoint
CREATE TYPE "public"."link_presence" AS ENUM('present', 'missing');--> statement-breakpoint
CREATE TYPE "public"."relation_status" AS ENUM('active', 'inactive');--> statement-breakpoint
CREATE TYPE "public"."relation_type" AS ENUM('runs_on', 'hosts_vm', 'member_of');--> statement-breakpoint
CREATE TYPE "public"."run_mode" AS ENUM('healthcheck', 'detect', 'collect', 'collect_hosts', 'collect_vms');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."run_trigger" AS ENUM('schedule', 'manual', 'api');--> statement-breakpoint
CREATE TYPE "public"."source_type" AS ENUM('vcenter');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'user');--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "asset_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asset_uuid" uuid NOT NULL,
	"run_id" uuid,
	"source_id" uuid,
	"ts" timestamp with time zone DEFAULT now() NOT NULL,
	"type" "asset_event_type" NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "asset_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asset_uuid" uuid NOT NULL,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"canonical" jsonb NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_source_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_uuid" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"external_kind" "asset_kind" NOT NULL,
	"external_id" text NOT NULL,
	"identity_key" text,
	"presence" "link_presence" DEFAULT 'present' NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run_id" uuid,
	"missing_since" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"uuid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "asset_kind" NOT NULL,
	"status" "asset_status" DEFAULT 'active' NOT NULL,
	"canonical" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"name" text,
	"hostname" text,
	"serial_number" text,
	"ip_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"mac_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"power_state" text,
	"cluster_name" text,
	"host_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text,
	"action" text NOT NULL,
	"outcome" text DEFAULT 'success' NOT NULL,
	"target_type" text,
	"target_id" text,
	"request_id" text,
	"ip" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"public_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"key_id" text NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "relations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" "relation_type" NOT NULL,
	"from_asset_uuid" uuid NOT NULL,
	"to_asset_uuid" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"status" "relation_status" DEFAULT 'active' NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run_id" uuid,
	"inactive_since" timestamp with time zone,
	"raw_payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"mode" "run_mode" NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"trigger" "run_trigger" NOT NULL,
	"requested_by" uuid,
	"schedule_group_id" uuid,
	"attempt" integer DEFAULT 1 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"worker_id" text,
	"heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"progress" jsonb,
	"stats" jsonb,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_code" text,
	"error_message" text,
	"detect" jsonb
);
--> statement-breakpoint
CREATE TABLE "schedule_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"time_of_day" text DEFAULT '02:00' NOT NULL,
	"cron" text,
	"last_fired_for" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "source_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"link_id" uuid NOT NULL,
	"asset_uuid" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"normalized" jsonb NOT NULL,
	"raw_gzip" "bytea",
	"hash" text NOT NULL,
	"last_seen_run_id" uuid NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" "source_type" DEFAULT 'vcenter' NOT NULL,
	"config" jsonb NOT NULL,
	"credential_id" uuid,
	"schedule_group_id" uuid,
	"enabled" boolean DEFAULT true NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text,
	"role" "user_role" DEFAULT 'user' NOT NULL,
	"password_hash" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_events" ADD CONSTRAINT "asset_events_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_snapshots" ADD CONSTRAINT "asset_snapshots_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_source_links" ADD CONSTRAINT "asset_source_links_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_source_links" ADD CONSTRAINT "asset_source_links_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_from_asset_uuid_assets_uuid_fk" FOREIGN KEY ("from_asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_to_asset_uuid_assets_uuid_fk" FOREIGN KEY ("to_asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_group_id_schedule_groups_id_fk" FOREIGN KEY ("schedule_group_id") REFERENCES "public"."schedule_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_records" ADD CONSTRAINT "source_records_link_id_asset_source_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."asset_source_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_records" ADD CONSTRAINT "source_records_asset_uuid_assets_uuid_fk" FOREIGN KEY ("asset_uuid") REFERENCES "public"."assets"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_schedule_group_id_schedule_groups_id_fk" FOREIGN KEY ("schedule_group_id") REFERENCES "public"."schedule_groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "asset_events_asset_idx" ON "asset_events" USING btree ("asset_uuid","id");--> statement-breakpoint
CREATE INDEX "asset_events_run_idx" ON "asset_events" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "asset_snapshots_asset_idx" ON "asset_snapshots" USING btree ("asset_uuid","id");--> statement-breakpoint
CREATE UNIQUE INDEX "asset_source_links_external_uq" ON "asset_source_links" USING btree ("source_id","external_kind","external_id");--> statement-breakpoint
CREATE INDEX "asset_source_links_asset_idx" ON "asset_source_links" USING btree ("asset_uuid");--> statement-breakpoint
CREATE INDEX "asset_source_links_identity_idx" ON "asset_source_links" USING btree ("source_id","external_kind","identity_key");--> statement-breakpoint
CREATE INDEX "assets_kind_status_idx" ON "assets" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "assets_name_lower_idx" ON "assets" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "assets_hostname_lower_idx" ON "assets" USING btree (lower("hostname"));--> statement-breakpoint
CREATE INDEX "assets_serial_lower_idx" ON "assets" USING btree (lower("serial_number"));--> statement-breakpoint
CREATE INDEX "assets_ip_gin_idx" ON "assets" USING gin ("ip_addresses");--> statement-breakpoint
CREATE INDEX "assets_mac_gin_idx" ON "assets" USING gin ("mac_addresses");--> statement-breakpoint
CREATE INDEX "audit_events_ts_idx" ON "audit_events" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","ts");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_user_id","ts");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_name_lower_uq" ON "credentials" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "relations_edge_uq" ON "relations" USING btree ("type","from_asset_uuid","to_asset_uuid","source_id");--> statement-breakpoint
CREATE INDEX "relations_from_idx" ON "relations" USING btree ("from_asset_uuid","type");--> statement-breakpoint
CREATE INDEX "relations_to_idx" ON "relations" USING btree ("to_asset_uuid","type");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_one_active_per_source_mode" ON "runs" USING btree ("source_id","mode") WHERE "runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "runs_queue_idx" ON "runs" USING btree ("not_before","created_at") WHERE "runs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "runs_source_created_idx" ON "runs" USING btree ("source_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_groups_name_lower_uq" ON "schedule_groups" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "source_records_link_idx" ON "source_records" USING btree ("link_id","id");--> statement-breakpoint
CREATE INDEX "source_records_asset_idx" ON "source_records" USING btree ("asset_uuid","id");--> statement-breakpoint
CREATE UNIQUE INDEX "sources_name_lower_uq" ON "sources" USING btree (lower("name")) WHERE "sources"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "sources_group_idx" ON "sources" USING btree ("schedule_group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_uq" ON "users" USING btree (lower("username"));