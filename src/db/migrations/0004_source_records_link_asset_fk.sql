-- A source record references its link and that link's asset through one foreign key (link_id, asset_uuid)
-- instead of two: deleting an asset still removes its records (asset -> links -> records cascade), a record
-- can no longer name an asset other than its link's, and ingest pays one check per new record, not two.
-- The unique constraint the key needs comes first (drizzle-kit orders it after the foreign key).
ALTER TABLE "asset_source_links" ADD CONSTRAINT "asset_source_links_id_asset_uq" UNIQUE("id","asset_uuid");--> statement-breakpoint
ALTER TABLE "source_records" DROP CONSTRAINT "source_records_link_id_asset_source_links_id_fk";
--> statement-breakpoint
ALTER TABLE "source_records" DROP CONSTRAINT "source_records_asset_uuid_assets_uuid_fk";
--> statement-breakpoint
ALTER TABLE "source_records" ADD CONSTRAINT "source_records_link_asset_fk" FOREIGN KEY ("link_id","asset_uuid") REFERENCES "public"."asset_source_links"("id","asset_uuid") ON DELETE cascade ON UPDATE no action;
