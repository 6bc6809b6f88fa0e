-- Ingest stamps "last seen" on every link, asset, record and relation of each run. With free space on each
-- page those updates are HOT (no index entries written, GIN indexes untouched); at 100% they are not.
ALTER TABLE "asset_source_links" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "assets" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "source_records" SET (fillfactor = 85);--> statement-breakpoint
ALTER TABLE "relations" SET (fillfactor = 80);
