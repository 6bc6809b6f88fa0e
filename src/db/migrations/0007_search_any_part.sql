-- Search by any part (issue 14). Hand-written: expression indexes over IMMUTABLE functions, which the
-- schema builder cannot express. src/server/assets/search.ts writes the matching predicates; every one of
-- them must use exactly these expressions or PostgreSQL falls back to reading the whole table.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. start-up checks that
-- the server ships it before migrating (src/bin/cli.ts), so a missing contrib package is named, not this.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- Name, guest host name and serial in one lower-case text. \x01 never occurs in a query (search.ts strips
-- it), so a substring can never straddle two fields.
CREATE FUNCTION asset_search_text(name text, hostname text, serial text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(concat_ws(E'\x01', name, hostname, serial));
--> statement-breakpoint
-- Every two-character substring: pg_trgm cannot index a two-character LIKE (no whole trigram in it), so
-- a two-character query looks its pair up in this array instead.
CREATE FUNCTION asset_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(
    SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
    WHERE strpos(substr(t, i, 2), E'\x01') = 0
  );
--> statement-breakpoint
-- A stored address as inet, or NULL for text that is not one (ingest keeps what a plugin sent), so an odd
-- value can never make an index expression fail an insert.
CREATE FUNCTION asset_try_inet(ip text) RETURNS inet
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF ip ~ '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$' THEN
    RETURN ip::inet;
  END IF;
  IF ip !~ '^[0-9a-fA-F:.]+$' OR strpos(ip, ':') = 0 THEN
    RETURN NULL;
  END IF;
  BEGIN
    RETURN ip::inet;
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END;
END $$;
--> statement-breakpoint
-- The networks each address lies in, as cidr text ('10.0.1.0/24'): IPv4 at every prefix length 8..32,
-- IPv6 at every fourth length 16..128. A CIDR or prefix search is then one GIN key lookup (IPv6 lengths
-- between two stored ones are rechecked with <<=, see asset_ips_within).
CREATE FUNCTION asset_ip_keys(ips text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(
    SELECT network(set_masklen(addr, n))::text
    FROM unnest(ips) AS ip
    CROSS JOIN LATERAL (SELECT asset_try_inet(ip) AS addr) AS a
    CROSS JOIN LATERAL generate_series(
      CASE family(addr) WHEN 4 THEN 8 ELSE 16 END,
      CASE family(addr) WHEN 4 THEN 32 ELSE 128 END,
      CASE family(addr) WHEN 4 THEN 1 ELSE 4 END) AS n
    WHERE addr IS NOT NULL
  );
--> statement-breakpoint
CREATE FUNCTION asset_ips_within(ips text[], net inet) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM unnest(ips) AS ip WHERE asset_try_inet(ip) <<= net);
--> statement-breakpoint
-- Every prefix of 4..12 hex digits of each (lower-case, colon-separated) MAC, without separators: an OUI
-- ('005056') or any longer prefix is one GIN key lookup.
CREATE FUNCTION asset_mac_keys(macs text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(
    SELECT DISTINCT left(replace(m, ':', ''), n)
    FROM unnest(macs) AS m CROSS JOIN generate_series(4, 12) AS n
    WHERE m ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
  );
--> statement-breakpoint
CREATE INDEX "assets_search_trgm_idx" ON "assets"
  USING gin (asset_search_text("name", "hostname", "serial_number") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "assets_search_bigram_idx" ON "assets"
  USING gin (asset_bigrams(asset_search_text("name", "hostname", "serial_number")));
--> statement-breakpoint
CREATE INDEX "assets_ip_keys_idx" ON "assets" USING gin (asset_ip_keys("ip_addresses"));
--> statement-breakpoint
CREATE INDEX "assets_mac_keys_idx" ON "assets" USING gin (asset_mac_keys("mac_addresses"));
