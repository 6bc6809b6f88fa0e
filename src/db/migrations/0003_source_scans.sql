CREATE TABLE "source_scans" (
	"source_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"run_id" uuid NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "source_scans_source_id_subject_pk" PRIMARY KEY("source_id","subject")
);
--> statement-breakpoint
ALTER TABLE "source_scans" ADD CONSTRAINT "source_scans_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;