// What an asset's detail shows of identity across sources (DESIGN §8b): the merges it absorbed and has not
// split ("merged from", each with the links a split would give back), and its canonical view across
// sources — per field, each present source's value beside the winning one.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { flatten, stableStringify } from '@/ingest/canonical';

export type MergedFrom = {
  mergeId: string;
  mergedUuid: string;
  mergedName: string | null;
  linkIds: string[];
  mergedAt: Date;
  mergedBy: string | null;
};

export async function listMergedFrom(db: Db, uuid: string): Promise<MergedFrom[]> {
  const r = await db.execute<MergedFrom>(sql`
    select m.id as "mergeId", m.merged_uuid as "mergedUuid", a.name as "mergedName",
           m.link_ids::text[] as "linkIds", m.created_at as "mergedAt",
           coalesce(u.display_name, u.username) as "mergedBy"
    from asset_merges m join assets a on a.uuid = m.merged_uuid left join users u on u.id = m.actor_user_id
    where m.survivor_uuid = ${uuid} and m.split_at is null
    order by m.created_at, m.id`);
  return r.rows;
}

export type SourceView = { sourceId: string; runId: string; collectedAt: string };
// The values sit under `values` only: they are normalized-v1 data (snake_case inside, like `canonical`),
// which the API's camelCase check leaves alone under that key (src/server/http/contract.ts).
export type FieldAcrossSources = {
  path: string;
  /** The source the winning value is from. */
  sourceId: string;
  conflict: boolean;
  /** Each present source's value (`winning` marks the one shown); `reported: false` where it has none. */
  values: { sourceId: string; reported: boolean; winning: boolean; value: unknown }[];
};
export type CanonicalAcrossSources = { sources: SourceView[]; fields: FieldAcrossSources[] };

type StoredCanonical = {
  normalized?: Record<string, unknown>;
  sources?: { source_id: string; run_id: string; collected_at: string }[];
  provenance?: Record<string, number>;
};

/**
 * For an asset whose view merges several present links: every field with each source's value, read from
 * the same latest records the view was merged from (src/ingest/canonical.ts `mergeCanonical`: the source
 * whose latest complete run saw the asset wins a field). Null for an asset with one contributing source (nothing to
 * compare; `canonical` says it all).
 */
export async function canonicalAcrossSources(
  db: Db,
  uuid: string,
  canonical: Record<string, unknown>,
): Promise<CanonicalAcrossSources | null> {
  const c = canonical as StoredCanonical;
  const sources = Array.isArray(c.sources) ? c.sources : [];
  if (sources.length < 2) return null;
  const r = await db.execute<{ source_id: string; normalized: Record<string, unknown> }>(sql`
    select l.source_id, s.normalized from asset_source_links l
    join lateral (select normalized from source_records s where s.link_id = l.id order by s.id desc limit 1) s on true
    where l.asset_uuid = ${uuid} and l.presence = 'present'`);
  const bySource = new Map(r.rows.map((x) => [x.source_id, flatten(x.normalized ?? {})]));
  const winner = flatten(c.normalized ?? {});
  const fields: FieldAcrossSources[] = [];
  for (const [path, value] of winner) {
    const idx = c.provenance?.[path] ?? 0;
    const values = sources.map((s, i) => {
      const f = bySource.get(s.source_id);
      // The winner's value as the view holds it (the record read here is the same one).
      if (i === idx) return { sourceId: s.source_id, reported: true, winning: true, value };
      return {
        sourceId: s.source_id,
        reported: Boolean(f?.has(path)),
        winning: false,
        value: f?.get(path) ?? null,
      };
    });
    const texts = new Set(values.filter((v) => v.reported).map((v) => stableStringify(v.value)));
    fields.push({ path, sourceId: sources[idx]!.source_id, conflict: texts.size > 1, values });
  }
  fields.sort((a, b) => a.path.localeCompare(b.path));
  return {
    sources: sources.map((s) => ({
      sourceId: s.source_id,
      runId: s.run_id,
      collectedAt: new Date(s.collected_at).toISOString(),
    })),
    fields,
  };
}

/** Names of sources by id, deleted ones included (history keeps mentioning them). */
export async function getSourceNames(db: Db, ids: unknown[]): Promise<Record<string, string>> {
  const list = [
    ...new Set(ids.filter((x): x is string => typeof x === 'string' && /^[0-9a-f-]{36}$/i.test(x))),
  ];
  if (!list.length) return {};
  const r = await db.execute<{ id: string; name: string }>(
    sql`select id::text, name from sources where id = any(string_to_array(${list.join(',')}, ',')::uuid[])`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.id, x.name]));
}
