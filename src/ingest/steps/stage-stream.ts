// Stage the stream: pulls the run's items as they arrive and COPYs them into the working tables (one COPY
// into `_in_item`, routed to `_in_asset` and `_in_rel`), computing per asset its record texts and hash,
// identity key and search columns. An object whose hash is its link's current record's (../known-records.ts)
// is staged as key, hash and record id only: nothing reads the texts or identity key of an unchanged object.
// Node holds a few MB of encoded rows at a time (../copy.ts, CopyFeed); the COPY's back-pressure is what
// paces the pulls. Then `end()` says whether the inventory was complete.
//
// New objects are created while the stream still arrives. An object no link of the source knows by key or
// identity key (../known-records.ts) is staged as `early`; whenever the collector is slower than the COPY
// and enough of them are waiting, the COPY ends there, they are created with their edges and evidence
// (./create-early.ts) while the feed goes on reading the collector, and a new COPY continues the stream.
// A first run's inserts — most of its database work — so happen during the collection instead of after
// it; a collector faster than the database (or an in-memory response) is never cut, so its run keeps one
// COPY. One transaction still holds everything: a stream that fails later rolls the early objects back
// with the rest. A repeated (kind, external id) whose first occurrence was created early has that object
// taken back before the last occurrence is created in the usual step.
// Objects of kinds the mode does not collect and relations of other types are dropped (counted); a repeated
// (kind, external id) keeps its last occurrence. Sets ctx.inventoryComplete, counters.assets and
// counters.duplicates, state.stagedRelations, state.knownMaxRecordId, state.stagedUnknown.
import type { IngestContext } from '../context';
import type { IngestItem } from '../state';
import type { CopyColumn, CopyValue } from '../copy';
import { identityKey, searchColumns } from '../canonical';
import { loadKnownRecords } from '../known-records';
import { readAhead, type AheadItem } from '../read-ahead';
import { recordTexts, type RecordTexts } from '../rows';
import { createEarly } from './create-early';
import { PLANNER_SETUP, TEMP_TABLES } from '../working-tables';

const ITEM_COLUMNS: readonly CopyColumn[] = [
  ['item', 'int4'],
  ['idx', 'int4'],
  ['kind', 'text'],
  ['external_id', 'text'],
  ['identity_key', 'text'],
  ['normalized', 'jsonb'],
  ['raw', 'text'],
  ['name', 'text'],
  ['hostname', 'text'],
  ['serial_number', 'text'],
  ['ip_addresses', 'text[]'],
  ['mac_addresses', 'text[]'],
  ['power_state', 'text'],
  ['cluster_name', 'text'],
  ['hash', 'text'],
  ['early', 'bool'],
  ['rec_id', 'int8'],
  ['type', 'text'],
  ['from_kind', 'text'],
  ['from_id', 'text'],
  ['to_kind', 'text'],
  ['to_id', 'text'],
];
const ASSET = 0;
const RELATION = 1;
const NO_ASSET = Array<null>(10).fill(null); // name … rec_id
const UNCHANGED = Array<null>(7).fill(null); // name … cluster_name
const NO_RELATION = Array<null>(5).fill(null); // type … to_id

type Row = Record<string, unknown>;

// Surely new objects that make an early creation worth its round trips (a first run of 40,000 VMs is cut
// some ten times; a steady estate's few new VMs wait for the usual step).
const EARLY_BATCH = 2000;
// Texts computed while the known records load, at most (about 1,500 VMs: more than that query takes).
const READ_AHEAD_BYTES = 8 << 20;

export async function stageStream(ctx: IngestContext): Promise<void> {
  const { sql, kinds, relTypes, state, warnings } = ctx;
  const knownRecords = sql
    .query(PLANNER_SETUP + TEMP_TABLES)
    .then(() => loadKnownRecords(sql, ctx.sourceId, kinds));
  // the first items' texts and hashes are computed while the known records load
  const items = await readAhead(
    ctx.source.items,
    knownRecords,
    (item) =>
      item.type === 'asset' && kinds.includes(item.asset.external_kind) ? recordTexts(item.asset) : undefined,
    (texts) => texts.normalizedJson.length + (texts.rawJson?.length ?? 0),
    READ_AHEAD_BYTES,
  );
  const known = await knownRecords;
  state.knownMaxRecordId = known.maxId;
  let assets = 0;
  let relations = 0;
  let foreignKinds = 0;
  // surely new objects staged since the last early creation, and the first staged row it did not cover
  let earlyWaiting = 0;
  let earlyFrom = 0;
  let earlyRelationsFrom = 0;
  // Objects no link held (which may repeat too): a stream with none, and no repeats of known ones
  // (known.repeats), needs no statement to remove repeats, nor to create or re-attach objects.
  let unknown = 0;
  const toRow = ({ item, prepared }: AheadItem<IngestItem, RecordTexts>): readonly CopyValue[] | null => {
    if (item.type === 'asset') {
      const a = item.asset;
      if (!kinds.includes(a.external_kind)) {
        foreignKinds++;
        return null;
      }
      const at = known.meet(a.external_kind, a.external_id);
      if (at < 0) unknown++;
      const n = a.normalized as Row;
      const { normalizedJson, rawJson, hash } = prepared ?? recordTexts(a);
      // an unchanged object's identity key is its link's (record-presence keeps that one)
      const recordId = known.unchanged(at, hash);
      if (recordId !== null)
        return [
          ASSET,
          assets++,
          a.external_kind,
          a.external_id,
          null,
          null,
          null,
          ...UNCHANGED,
          hash,
          false,
          recordId,
          ...NO_RELATION,
        ];
      const idKey = identityKey(a.external_kind, n);
      const early = known.surelyNew(at, a.external_kind, idKey);
      if (early) earlyWaiting++;
      const c = searchColumns(a.external_kind, n);
      return [
        ASSET,
        assets++,
        a.external_kind,
        a.external_id,
        idKey,
        normalizedJson,
        rawJson,
        c.name,
        c.hostname,
        c.serial_number,
        c.ip_addresses,
        c.mac_addresses,
        c.power_state,
        c.cluster_name,
        hash,
        early,
        null,
        ...NO_RELATION,
      ];
    } else {
      const r = item.relation;
      if (!relTypes.includes(r.type)) return null;
      return [
        RELATION,
        relations++,
        null,
        null,
        null,
        null,
        r.raw_payload === undefined ? null : JSON.stringify(r.raw_payload),
        ...NO_ASSET,
        r.type,
        r.from.external_kind,
        r.from.external_id,
        r.to.external_kind,
        r.to.external_id,
      ];
    }
  };
  await sql.copyFeed('_in_item', ITEM_COLUMNS, items, toRow, {
    wantsCut: () => earlyWaiting >= EARLY_BATCH,
    // the COPY has ended at a row boundary: every row so far is staged
    onCut: async () => {
      const range = {
        assets: [earlyFrom, assets] as [number, number],
        relations: [earlyRelationsFrom, relations] as [number, number],
      };
      earlyWaiting = 0;
      [earlyFrom, earlyRelationsFrom] = [assets, relations];
      await sql.inStep('create-early', () => createEarly(ctx, range));
    },
  });
  ctx.inventoryComplete = (await ctx.source.end()).inventoryComplete;

  // A repeated (kind, external id) would make two writes of one row: its last occurrence wins.
  const duplicates =
    known.repeats || unknown
      ? await sql.execute(
          `delete from _in_asset a using _in_asset b
         where b.kind = a.kind and b.external_id = a.external_id and b.idx > a.idx`,
        )
      : 0;
  if (duplicates && state.newBatches) await takeBackEarlyRepeats(ctx);

  if (duplicates)
    warnings.push({
      code: 'DUPLICATE_ASSETS',
      message: `${duplicates} duplicate assets ignored`,
      count: duplicates,
    });
  if (foreignKinds) {
    warnings.push({
      code: 'ASSET_KIND_NOT_IN_MODE',
      message: `${foreignKinds} assets of kinds this mode does not collect were ignored`,
      count: foreignKinds,
    });
  }
  ctx.counters.assets = assets - duplicates;
  ctx.counters.duplicates = duplicates;
  state.stagedRelations = relations;
  state.stagedUnknown = unknown;
}

/** Objects created early from an occurrence that a later one of the same (kind, external id) replaced. */
async function takeBackEarlyRepeats(ctx: IngestContext): Promise<void> {
  const [r] = await ctx.sql.query<{ n: number }>(
    `with gone as (
       delete from _new n where not exists (select 1 from _in_asset i where i.idx = n.idx) returning uuid
     ), del as (
       delete from assets a using gone g where a.uuid = g.uuid returning 1
     ) select count(*)::int as n from del`,
  );
  ctx.counters.new -= r!.n;
}
