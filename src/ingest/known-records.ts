// The record hash each of a source's links holds now, loaded once before the stream is staged: an object
// whose record hash is its link's current one is unchanged, and stage-stream then sends only its key and
// hash, not its texts (an unchanged estate used to send, compress and hash ~50 MB per 10,000 VMs only to
// find that nothing changed). Held as one string per link — kind, the first 128 bits of the hash and the
// external id — about 120 bytes each (5 MB at 40,000 VMs): the one thing ingest keeps that grows with the estate.
//
// Read before the source's ingest lock, so that a run still streaming does not hold up others. Only runs of
// this source and mode write these links' records, and only one such run is active at a time (the runs
// table's unique index); should another have written one meanwhile anyway, the unchanged object's record
// has no texts to write and the run fails on the NOT NULL of source_records.normalized, writing nothing.
import type { IngestSql } from './context';

export interface KnownRecords {
  /** Whether (kind, external id) has a link whose current record has this hash. */
  has(kind: string, externalId: string, hash: string): boolean;
}

// kind (no colon in it) and a fixed-length hash first: any external id fits after them, unambiguously
const key = (kind: string, externalId: string, hash: string) => `${kind}:${hash.slice(0, 32)}:${externalId}`;

export async function loadKnownRecords(
  sql: IngestSql,
  sourceId: string,
  kinds: readonly string[],
): Promise<KnownRecords> {
  const rows = await sql.query<{ k: string }>(
    `select l.external_kind::text || ':' || left(r.hash, 32) || ':' || l.external_id as k
     from asset_source_links l
     join lateral (select s.hash from source_records s where s.link_id = l.id order by s.id desc limit 1) r on true
     where l.source_id = $1 and l.external_kind::text = any($2::text[])`,
    [sourceId, kinds],
  );
  const known = new Set<string>();
  for (const r of rows) known.add(r.k);
  return { has: (kind, externalId, hash) => known.has(key(kind, externalId, hash)) };
}
