-- Snapshots: one row per canonical version; the current version's content stays in assets.canonical and is
-- copied into its row when a newer version supersedes it (rows written before this keep their content).
ALTER TABLE "asset_snapshots" ALTER COLUMN "canonical" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "asset_snapshots" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
-- Raw payloads as JSON text, compressed by PostgreSQL instead of gzip in Node; old rows keep raw_gzip.
ALTER TABLE "source_records" ADD COLUMN "raw" text;--> statement-breakpoint
-- lz4 is several times faster than pglz; a server built without it keeps its default.
DO $$
BEGIN
  ALTER TABLE "source_records" ALTER COLUMN "raw" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: source_records.raw uses the default compression';
END $$;
