CREATE TABLE "login_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "assets_name_prefix_idx" ON "assets" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assets_hostname_prefix_idx" ON "assets" USING btree (lower("hostname") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assets_serial_prefix_idx" ON "assets" USING btree (lower("serial_number") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assets_cluster_name_idx" ON "assets" USING btree ("cluster_name");--> statement-breakpoint
CREATE INDEX "assets_host_name_idx" ON "assets" USING btree ("host_name");