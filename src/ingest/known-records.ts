// The record hash each of a source's links holds now, loaded once before the stream is staged: an object
// whose record hash is its link's current one is unchanged, and stage-stream then sends only its key and
// hash, not its texts (an unchanged estate used to send, compress and hash ~50 MB per 10,000 VMs only to
// find that nothing changed). With them the links' identity keys, which tell an object that is surely new
// (created while the stream still arrives, ../steps/stage-stream.ts). Per link its key, the first 128 bits
// of its hash, the record's id and its identity key, about 200 bytes (8 MB at 40,000 VMs): the one thing
// ingest keeps that grows with the estate.
//
// An unchanged object is staged with its record's id, so that mapping it to its link under the lock need
// not look its latest record up again (../steps/map-known-links.ts) — unless another run wrote a record of
// this source since. Every run writes its records of existing links under the source's ingest lock, after
// every run this read could see had committed: such a record has an id above every record of the source
// this read could see (`maxId`).
//
// Read before the source's ingest lock, so that a run still streaming does not hold up others. Only runs of
// this source and mode write these links' records, and only one such run is active at a time (the runs
// table's unique index); should another have written one meanwhile anyway, the unchanged object's record
// has no texts to write and the run fails on the NOT NULL of source_records.normalized, writing nothing.
import type { IngestSql } from './context';

export interface KnownRecords {
  /**
   * An object of the stream met: its link's position, or -1 when no link of the source holds its (kind,
   * external id). Counts the known objects met again (`repeats`; repeats of unknown ones are not told).
   */
  meet(kind: string, externalId: string): number;
  /** How many known objects the stream brought more than once so far. */
  readonly repeats: number;
  /** The id of the current record of the link at `at` if that has this hash, else null. */
  unchanged(at: number, hash: string): string | null;
  /**
   * Whether an object may be created while the stream still arrives: no link of the source holds its
   * (kind, external id) (`at` is -1), and none its identity key (it could be a re-attach,
   * ../steps/reattach-links.ts).
   */
  surelyNew(at: number, kind: string, identityKey: string | null): boolean;
  /** The highest id of the source's records when they were read: a later record has a higher one. */
  readonly maxId: string;
}

// kind (no colon in it) first: any external id fits after it, unambiguously
const key = (kind: string, externalId: string) => `${kind}:${externalId}`;

export async function loadKnownRecords(
  sql: IngestSql,
  sourceId: string,
  kinds: readonly string[],
): Promise<KnownRecords> {
  // Read first: a record committed before the records below are read is then above it too, and only sends
  // the check back to the records (a statement reads what committed before it started).
  const [m] = await sql.query<{ id: string }>(
    `select coalesce(max(id), 0)::text as id from source_records where source_id = $1`,
    [sourceId],
  );
  const rows = await sql.query<{ k: string; h: string; id: string; i: string | null }>(
    `select l.external_kind::text || ':' || l.external_id as k, left(r.hash, 32) as h, r.id::text as id,
            l.external_kind::text || ':' || l.identity_key as i
     from asset_source_links l
     join lateral (select s.id, s.hash from source_records s where s.link_id = l.id order by s.id desc limit 1) r on true
     where l.source_id = $1 and l.external_kind = any($2::asset_kind[])`,
    [sourceId, kinds],
  );
  // per link, by position: its hash's first 128 bits, its record's id, whether the stream has brought it yet
  const index = new Map<string, number>();
  const hashes: string[] = [];
  const ids: string[] = [];
  const met = new Uint8Array(rows.length);
  const identities = new Set<string>();
  for (const r of rows) {
    index.set(r.k, hashes.push(r.h) - 1);
    ids.push(r.id);
    if (r.i !== null) identities.add(r.i);
  }
  let repeats = 0;
  return {
    meet: (kind, externalId) => {
      const at = index.get(key(kind, externalId));
      if (at === undefined) return -1;
      if (met[at]) repeats++;
      met[at] = 1;
      return at;
    },
    get repeats() {
      return repeats;
    },
    unchanged: (at, hash) => (at >= 0 && hash.startsWith(hashes[at]!) ? ids[at]! : null),
    surelyNew: (at, kind, identityKey) =>
      at < 0 && (identityKey === null || !identities.has(key(kind, identityKey))),
    maxId: m!.id,
  };
}
