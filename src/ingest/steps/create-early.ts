// Create early: what stage-stream runs between two COPY segments while the collector is slower than the
// database (see its header). The surely new objects staged since the last cut are created as
// insert-new-objects creates them, with the edges that touch them and whose other end is known by now, their
// evidence (asset_identifiers) and their duplicate candidates — the writes of a first run that would
// otherwise all follow the collection. The usual steps then find these rows written: resolve-relations sees
// an edge created here as an active edge seen again, record-identifiers skips assets whose evidence is
// written (`_new.evidence`), and only the candidates of what is left are scored at the end. Counts into
// counters.new and duplicate_candidates; sets state.relationsBeforeRun, earlyEvidence and earlyScoring on
// its first call.
import type { IngestContext } from '../context';
import { markRelationsBeforeRun } from './resolve-relations';
import { createNewBatch } from './insert-new-objects';
import { analyzeStaged } from '../working-tables';
import { refreshIdentifiers } from '@/server/identity/evidence';
import { scoreDuplicateCandidates } from '@/server/identity/score-duplicate-candidates';
import { IDENTITY_TEMP_TABLES } from '@/server/identity/sql';

export interface EarlyRange {
  /** staged asset rows [from, to) */
  assets: [number, number];
  /** staged relation rows [from, to) */
  relations: [number, number];
}

export async function createEarly(ctx: IngestContext, range: EarlyRange): Promise<void> {
  const { sql, state } = ctx;
  if (state.earlyEvidence === null) {
    // Before the first early write: the edges that were active before this run (resolve-relations compares
    // with them), and whether evidence exists at all — an empty table (just upgraded) is filled for every
    // asset by record-identifiers, which early evidence would hide from it.
    await markRelationsBeforeRun(ctx);
    await sql.query(IDENTITY_TEMP_TABLES);
    // Candidates are scored early too unless one of this run's objects may turn out to be an asset that
    // moved here from another source (follow-cross-source-moves folds it into that one afterwards).
    const [e] = await sql.query<{ evidence: boolean; moves: boolean }>(
      `select exists (select 1 from asset_identifiers) as evidence,
              exists (select 1 from asset_source_links g where g.presence = 'missing' and g.source_id <> $1) as moves`,
      [ctx.sourceId],
    );
    state.earlyEvidence = e!.evidence;
    state.earlyScoring = e!.evidence && !e!.moves;
  }
  // The planner must know how large the run has grown: with the shared tables' statistics of before it, a
  // join on this source's links became a scan of its kind per edge (seconds per batch).
  await sql.query(analyzeStaged(range.assets[1], range.relations[1]));
  const batch = state.newBatches++;
  const created = await createNewBatch(ctx, batch, range.assets, state.earlyEvidence);
  if (!created) return;
  await createEdges(ctx, batch, range.relations);
  if (state.earlyEvidence) {
    await sql.query(`insert into _id_touched (uuid) select uuid from _new where batch = $1`, [batch]);
    await refreshIdentifiers(sql);
    // Each pair is found once: by the batch of its later asset (the earlier one's evidence is written).
    if (state.earlyScoring) ctx.counters.duplicate_candidates += (await scoreDuplicateCandidates(sql)).open;
    await sql.query('delete from _id_touched');
  }
}

/**
 * The staged edges of rows [from, to) that touch an object of `batch`, with both ends known: new edges
 * (an object of the batch is new), each once.
 */
async function createEdges(ctx: IngestContext, batch: number, [from, to]: [number, number]): Promise<void> {
  if (from === to) return;
  await ctx.sql.query(
    `insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, status, first_seen_at, last_seen_at,
                            last_seen_run_id, inactive_since, raw_payload)
     select distinct on (r.type, lf.asset_uuid, lt.asset_uuid)
            r.type, lf.asset_uuid, lt.asset_uuid, $1, 'active', $3, $3, $2, null, r.raw::jsonb
     from _in_rel r
     join asset_source_links lf on lf.source_id = $1 and lf.external_kind = r.from_kind and lf.external_id = r.from_id
     join asset_source_links lt on lt.source_id = $1 and lt.external_kind = r.to_kind and lt.external_id = r.to_id
     where r.idx >= $5 and r.idx < $6
       -- two IN lists, each hashed once (an EXISTS over both ends scanned the batch per edge)
       and (lf.asset_uuid in (select uuid from _new where batch = $4)
            or lt.asset_uuid in (select uuid from _new where batch = $4))
     order by r.type, lf.asset_uuid, lt.asset_uuid, r.idx desc`,
    [ctx.sourceId, ctx.runId, ctx.now, batch, from, to],
  );
}
