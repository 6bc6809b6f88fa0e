// New objects go straight into their tables with COPY (asset, link, record, snapshot, `created` event):
// Node mints their ids, so nothing has to be read back, and COPY writes whole pages at a time. Their
// canonical view is their own record (one link), built as text around the record's JSON. Relations with a
// new endpoint are resolved here too (written by resolve-relations); the others are staged in `_in_rel`.
// Sets state.fresh, state.newByKey, state.rels, state.directRows, counters.new.
import { randomUUID } from 'node:crypto';
import type { AssetKind, CollectorRelation } from '@/collector/contract';
import type { IngestContext } from '../context';
import { searchColumns, singleSourceCanonicalJson } from '../canonical';
import { SEARCH_COPY_COLUMNS, endpointKey, recordTexts, searchValues } from '../rows';
import type { DirectRelation, FreshObject } from '../state';

type Row = Record<string, unknown>;

export async function insertNewObjects(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, relTypes, state } = ctx;
  const { items } = state;
  const newRows = await sql.query<{ idx: number }>(
    `select i.idx from _in_asset i
     where not exists (select 1 from asset_source_links l
                       where l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id)
     order by i.idx`,
    [sourceId],
  );
  const fresh: FreshObject[] = newRows.map(({ idx }) => ({
    idx,
    it: items[idx]!,
    uuid: randomUUID(),
    linkId: randomUUID(),
    // set by the assets copy, used and released by the records copy
    normalizedJson: null,
  }));
  // endpoint key → the asset uuid minted for it
  const newByKey = new Map<string, string>(
    fresh.map((f) => [endpointKey(f.it.a.external_kind, f.it.a.external_id), f.uuid]),
  );

  // A relation with a new endpoint cannot exist yet: it is inserted directly once both endpoints are known.
  // The other endpoint is either new too or an existing link of this source, looked up here in one query
  // (with its name and cluster: a new VM takes its host's at insert, not in a second write of the row).
  const rels: CollectorRelation[] = [];
  const direct: { r: CollectorRelation; fromKey: string; toKey: string }[] = [];
  const wanted = new Map<string, CollectorRelation['from']>();
  for (const r of state.relations) {
    if (!relTypes.includes(r.type)) continue;
    const fromKey = endpointKey(r.from.external_kind, r.from.external_id);
    const toKey = endpointKey(r.to.external_kind, r.to.external_id);
    const fromNew = newByKey.has(fromKey);
    const toNew = newByKey.has(toKey);
    if (!fromNew && !toNew) {
      rels.push(r);
      continue;
    }
    direct.push({ r, fromKey, toKey });
    if (!fromNew) wanted.set(fromKey, r.from);
    if (!toNew) wanted.set(toKey, r.to);
  }
  const known = new Map<string, { uuid: string; name: string | null; cluster: string | null }>();
  if (wanted.size) {
    const found = await sql.query<{
      kind: AssetKind;
      id: string;
      uuid: string;
      name: string | null;
      cluster: string | null;
    }>(
      `select l.external_kind as kind, l.external_id as id, l.asset_uuid as uuid, a.name, a.cluster_name as cluster
       from unnest($2::asset_kind[], $3::text[]) w(kind, id)
       join asset_source_links l on l.source_id = $1 and l.external_kind = w.kind and l.external_id = w.id
       join assets a on a.uuid = l.asset_uuid`,
      [
        sourceId,
        [...wanted.values()].map((e) => e.external_kind),
        [...wanted.values()].map((e) => e.external_id),
      ],
    );
    for (const f of found) known.set(endpointKey(f.kind, f.id), f);
  }
  const directRows: DirectRelation[] = [];
  const directSeen = new Set<string>();
  // A new VM's host (its runs_on target) gives the VM its host name, and its cluster when it names none.
  const hostOfNewVm = new Map<string, { name: string | null; cluster: string | null }>();
  for (const { r, fromKey, toKey } of direct) {
    const from = newByKey.get(fromKey) ?? known.get(fromKey)?.uuid;
    const to = newByKey.get(toKey) ?? known.get(toKey)?.uuid;
    // an endpoint that resolves nowhere goes the general way, which counts it unresolved
    if (!from || !to) {
      rels.push(r);
      continue;
    }
    const host = r.type === 'runs_on' && r.from.external_kind === 'vm' ? known.get(toKey) : undefined;
    if (host && !hostOfNewVm.has(r.from.external_id)) hostOfNewVm.set(r.from.external_id, host);
    const edge = `${r.type} ${from} ${to}`;
    if (directSeen.has(edge)) continue;
    directSeen.add(edge);
    directRows.push({
      type: r.type,
      from,
      to,
      raw: r.raw_payload === undefined ? null : JSON.stringify(r.raw_payload),
    });
  }

  if (rels.length) {
    await sql.copy(
      '_in_rel',
      [
        ['type', 'text'],
        ['from_kind', 'text'],
        ['from_id', 'text'],
        ['to_kind', 'text'],
        ['to_id', 'text'],
        ['raw', 'jsonb'],
      ],
      rels.map((r) => [
        r.type,
        r.from.external_kind,
        r.from.external_id,
        r.to.external_kind,
        r.to.external_id,
        r.raw_payload === undefined ? null : JSON.stringify(r.raw_payload),
      ]),
    );
    await sql.query('analyze _in_rel');
  }

  if (fresh.length) {
    const source = { source_id: sourceId, run_id: runId, collected_at: now };
    await sql.copy(
      'assets',
      [
        ['uuid', 'uuid'],
        ['kind', 'text'],
        ['status', 'text'],
        ['canonical', 'jsonb'],
        ...SEARCH_COPY_COLUMNS,
        ['cluster_name', 'text'],
        ['host_name', 'text'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
        ['last_seen_at', 'timestamptz'],
      ],
      (function* () {
        for (const f of fresh) {
          const a = f.it.a;
          const cols = searchColumns(a.external_kind, a.normalized as Row);
          f.normalizedJson = JSON.stringify(a.normalized);
          const host = a.external_kind === 'vm' ? hostOfNewVm.get(a.external_id) : undefined;
          yield [
            f.uuid,
            a.external_kind,
            'active',
            singleSourceCanonicalJson(f.normalizedJson, source),
            ...searchValues(cols),
            cols.cluster_name ?? host?.cluster ?? null,
            host?.name ?? null,
            now,
            now,
            now,
          ];
        }
      })(),
    );
    await sql.copy(
      'asset_source_links',
      [
        ['id', 'uuid'],
        ['asset_uuid', 'uuid'],
        ['source_id', 'uuid'],
        ['external_kind', 'text'],
        ['external_id', 'text'],
        ['identity_key', 'text'],
        ['presence', 'text'],
        ['first_seen_at', 'timestamptz'],
        ['last_seen_at', 'timestamptz'],
        ['last_seen_run_id', 'uuid'],
      ],
      fresh.map((f) => [
        f.linkId,
        f.uuid,
        sourceId,
        f.it.a.external_kind,
        f.it.a.external_id,
        f.it.identity,
        'present',
        now,
        now,
        runId,
      ]),
    );
    await sql.copy(
      'source_records',
      [
        ['link_id', 'uuid'],
        ['asset_uuid', 'uuid'],
        ['source_id', 'uuid'],
        ['run_id', 'uuid'],
        ['collected_at', 'timestamptz'],
        ['normalized', 'jsonb'],
        ['raw', 'text'],
        ['hash', 'text'],
        ['last_seen_run_id', 'uuid'],
        ['last_seen_at', 'timestamptz'],
      ],
      (function* () {
        for (const f of fresh) {
          const t = recordTexts(f.it.a, f.normalizedJson!);
          f.normalizedJson = null;
          yield [f.linkId, f.uuid, sourceId, runId, now, t.normalizedJson, t.rawJson, t.hash, runId, now];
        }
      })(),
    );
    // The first version's snapshot row; its content is the asset's canonical until a newer version replaces it.
    await sql.copy(
      'asset_snapshots',
      [
        ['asset_uuid', 'uuid'],
        ['run_id', 'uuid'],
        ['created_at', 'timestamptz'],
      ],
      fresh.map((f) => [f.uuid, runId, now]),
    );
    await sql.copy(
      'asset_events',
      [
        ['asset_uuid', 'uuid'],
        ['run_id', 'uuid'],
        ['source_id', 'uuid'],
        ['ts', 'timestamptz'],
        ['type', 'text'],
        ['details', 'jsonb'],
      ],
      fresh.map((f) => [
        f.uuid,
        runId,
        sourceId,
        now,
        'created',
        JSON.stringify({ source_id: sourceId, kind: f.it.a.external_kind }),
      ]),
    );
    await sql.copy(
      '_new',
      [['idx', 'int4']],
      fresh.map((f) => [f.idx]),
    );
  }
  state.fresh = fresh;
  state.newByKey = newByKey;
  state.rels = rels;
  state.directRows = directRows;
  ctx.counters.new = fresh.length;
}
