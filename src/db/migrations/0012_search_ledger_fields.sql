-- Search by any part reaches the asserted facts (issue 14 with issue 13's schema): the overridden display
-- name beside the observed one, and the ledger's owner and asset number. One variadic text function
-- replaces migration 0007's three-field one, so every searched text is built the same way (lower case,
-- fields joined by \x01, which no query contains); search.ts repeats these index expressions exactly.
CREATE FUNCTION search_text(VARIADIC parts text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(array_to_string(parts, E'\x01'));
--> statement-breakpoint
DROP INDEX IF EXISTS "assets_search_trgm_idx";
--> statement-breakpoint
DROP INDEX IF EXISTS "assets_search_bigram_idx";
--> statement-breakpoint
DROP FUNCTION IF EXISTS asset_search_text(text, text, text);
--> statement-breakpoint
CREATE INDEX "assets_search_trgm_idx" ON "assets"
  USING gin (search_text("name", "name_override", "hostname", "serial_number") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "assets_search_bigram_idx" ON "assets"
  USING gin (asset_bigrams(search_text("name", "name_override", "hostname", "serial_number")));
--> statement-breakpoint
CREATE INDEX "asset_ledger_search_trgm_idx" ON "asset_ledger"
  USING gin (search_text("owner", "asset_number") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "asset_ledger_search_bigram_idx" ON "asset_ledger"
  USING gin (asset_bigrams(search_text("owner", "asset_number")));
