// The dry run of an import, also the first half of its apply: every row's outcome — matched, unmatched,
// ambiguous (several assets fit: never applied by guess) or invalid — with the reason and the changes it
// would make (old → new). Writes no ledger table: the outcomes go to a temporary table of the transaction
// (ledger_import_rows), a batch of rows at a time, so the memory an import holds does not grow with the
// file. Rows are matched set-based, one query per way of matching and batch; the checks that span the file
// (one asset twice, a unique value twice or already another asset's) run on the temporary table at the end.
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { listLedgerFields, type AssetKind } from '@/server/ledger-fields/fields';
import { parseTextValue } from '@/server/ledger-fields/values';
import { parseOverrideValue } from '@/server/ledger-fields/apply-override-patches';
import { OVERRIDE_COLUMNS, OVERRIDE_KEYS, type OverrideKey } from '@/server/ledger-fields/overrides';
import { mapColumns, type ColumnMap } from './columns';
import type { ImportFile } from './parse-import-file';

export const OUTCOMES = ['matched', 'unmatched', 'ambiguous', 'invalid'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Rows evaluated per round trip: bounds what an import holds in memory at once. */
export const IMPORT_BATCH = 1000;

export interface RowChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface RowResult {
  /** 1-based row number among the data rows (the header is row 0). */
  row: number;
  outcome: Outcome;
  assetUuid: string | null;
  assetName: string | null;
  reason: string | null;
  changes: RowChange[];
}

export interface Evaluation {
  columns: {
    matchBy: string[];
    fields: { header: string; key: string }[];
    overrides: { header: string; key: string }[];
    ignored: string[];
  };
  summary: Record<Outcome | 'rows' | 'changed', number>;
}

/** A row being evaluated: its result, the typed patch to apply ({key: value|null}, matched rows with
 *  changes) and the values it gives unique fields (checked across the file at the end). */
interface Pending extends RowResult {
  patch: Record<string, unknown> | null;
  overrides: Record<string, unknown> | null;
  unique: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Candidate = { uuid: string; kind: AssetKind; name: string | null };
type MatchRow = { n: number; uuid: string; kind: AssetKind; name: string | null };

/** Candidate assets per row (index into `rows`), by the strongest key each row has. */
async function matchRows(tx: Tx, cells: string[][], map: ColumnMap, rows: Pending[]) {
  const cell = (r: string[], i: number | undefined) => (i === undefined ? '' : (r[i] ?? '').trim());
  const byUuid: [number, string][] = [];
  const byExternal: [number, string, string][] = [];
  const byIdent: [number, string | null, string | null, string | null][] = [];
  cells.forEach((r, i) => {
    const u = cell(r, map.match.uuid);
    if (u) {
      if (UUID.test(u)) byUuid.push([i, u]);
      else
        Object.assign(rows[i]!, { outcome: 'invalid', reason: `'${u.slice(0, 40)}' is not an asset UUID` });
      return;
    }
    const src = cell(r, map.match.source);
    const ext = cell(r, map.match.externalId);
    if (src && ext) return void byExternal.push([i, src.toLowerCase(), ext]);
    const name = cell(r, map.match.name).toLowerCase() || null;
    const serial = cell(r, map.match.serial).toLowerCase() || null;
    const host = cell(r, map.match.hostname).toLowerCase() || null;
    if (name || serial || host) return void byIdent.push([i, name, serial, host]);
    Object.assign(rows[i]!, {
      outcome: 'invalid',
      reason: 'no asset UUID, source + external id, name, serial or host name',
    });
  });
  const found = new Map<number, Candidate[]>();
  const add = (rs: MatchRow[]) => {
    for (const x of rs) {
      const list = found.get(x.n) ?? [];
      if (!list.some((c) => c.uuid === x.uuid)) list.push({ uuid: x.uuid, kind: x.kind, name: x.name });
      found.set(x.n, list);
    }
  };
  if (byUuid.length) {
    const r = await tx.execute<MatchRow>(sql`
      select r.n, a.uuid, a.kind, a.display_name as name
      from unnest(${sql.param(byUuid.map((x) => x[0]))}::int[], ${sql.param(byUuid.map((x) => x[1]))}::uuid[]) r(n, u)
      join assets a on a.uuid = r.u`);
    add(r.rows);
  }
  if (byExternal.length) {
    const r = await tx.execute<MatchRow>(sql`
      select r.n, a.uuid, a.kind, a.display_name as name
      from unnest(${sql.param(byExternal.map((x) => x[0]))}::int[], ${sql.param(byExternal.map((x) => x[1]))}::text[],
                  ${sql.param(byExternal.map((x) => x[2]))}::text[]) r(n, src, ext)
      join sources s on lower(s.name) = r.src and s.deleted_at is null
      join asset_source_links l on l.source_id = s.id and l.external_id = r.ext
      join assets a on a.uuid = l.asset_uuid`);
    add(r.rows);
  }
  if (byIdent.length) {
    // Each row joins on its strongest identifier (an indexed lower() column), the others filter.
    const cols = [
      sql.param(byIdent.map((x) => x[0])),
      ...[1, 2, 3].map((k) => sql.param(byIdent.map((x) => x[k]))),
    ];
    const r = await tx.execute<MatchRow>(sql`
      with r(n, name, serial, host) as (select * from unnest(${cols[0]}::int[], ${cols[1]}::text[], ${cols[2]}::text[], ${cols[3]}::text[]))
      select r.n, a.uuid, a.kind, a.display_name as name from r join assets a on lower(a.serial_number) = r.serial
        where (r.host is null or lower(a.hostname) = r.host) and (r.name is null or lower(a.display_name) = r.name)
      union all
      select r.n, a.uuid, a.kind, a.display_name from r join assets a on lower(a.hostname) = r.host
        where r.serial is null and (r.name is null or lower(a.display_name) = r.name)
      union all
      select r.n, a.uuid, a.kind, a.display_name from r join assets a on lower(a.display_name) = r.name
        where r.serial is null and r.host is null`);
    add(r.rows);
  }
  return found;
}

/** One batch: match, read the matched assets' values, parse and compare every cell, store the outcomes. */
async function evaluateBatch(
  tx: Tx,
  cells: string[][],
  firstRow: number,
  map: ColumnMap,
  clearEmpty: boolean,
) {
  const rows: Pending[] = cells.map((_, i) => ({
    row: firstRow + i,
    outcome: 'unmatched',
    assetUuid: null,
    assetName: null,
    reason: null,
    changes: [],
    patch: null,
    overrides: null,
    unique: null,
  }));
  const found = await matchRows(tx, cells, map, rows);
  const kindOf = new Map<string, AssetKind>();
  rows.forEach((r, i) => {
    if (r.outcome === 'invalid') return;
    const c = found.get(i) ?? [];
    if (c.length === 0) {
      r.reason = 'no asset matches';
    } else if (c.length > 1) {
      r.outcome = 'ambiguous';
      r.reason = `${c.length} assets match: ${c
        .slice(0, 5)
        .map((x) => x.name ?? x.uuid)
        .join(', ')}`;
    } else {
      r.outcome = 'matched';
      r.assetUuid = c[0]!.uuid;
      r.assetName = c[0]!.name;
      kindOf.set(c[0]!.uuid, c[0]!.kind);
    }
  });

  const current = new Map<string, Record<string, unknown>>();
  const currentOverrides = new Map<string, Record<string, string | null>>();
  if (kindOf.size) {
    const r = await tx.execute<{
      uuid: string;
      values: Record<string, unknown> | null;
      overrides: Record<string, string | null>;
    }>(sql`
      select a.uuid, l.values, jsonb_build_object(${sql.join(
        OVERRIDE_KEYS.map((k) => sql`${k}::text, a.${sql.raw(OVERRIDE_COLUMNS[k])}`),
        sql`, `,
      )}) as overrides
      from assets a left join asset_ledger l on l.asset_uuid = a.uuid
      where a.uuid = any(${sql.param([...kindOf.keys()])}::uuid[])`);
    for (const x of r.rows) {
      if (x.values) current.set(x.uuid, x.values);
      currentOverrides.set(x.uuid, x.overrides);
    }
  }
  rows.forEach((r, i) => {
    if (r.outcome !== 'matched') return;
    const kind = kindOf.get(r.assetUuid!)!;
    const old = current.get(r.assetUuid!) ?? {};
    const patch: Record<string, unknown> = {};
    const unique: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const { index, header, field } of map.fields) {
      const raw = cells[i]![index] ?? '';
      if (raw.trim() === '' && !clearEmpty) continue;
      const v = parseTextValue(field, raw);
      if (!v.ok) {
        problems.push(`${header}: ${v.reason}`);
        continue;
      }
      if (v.value !== null && !field.kinds.includes(kind)) {
        problems.push(`${header}: does not apply to ${kind} (only ${field.kinds.join(', ')})`);
        continue;
      }
      if (field.unique && v.value !== null) unique[field.key] = v.value;
      if ((old[field.key] ?? null) !== v.value) {
        patch[field.key] = v.value;
        r.changes.push({ field: field.key, old: old[field.key] ?? null, new: v.value });
      }
    }
    const oldOverrides = currentOverrides.get(r.assetUuid!) ?? {};
    const overrides: Partial<Record<OverrideKey, string | null>> = {};
    for (const { index, header, key } of map.overrides) {
      const raw = cells[i]![index] ?? '';
      if (raw.trim() === '' && !clearEmpty) continue;
      const v = parseOverrideValue(key, raw);
      if (!v.ok) {
        problems.push(`${header}: ${v.reason}`);
        continue;
      }
      if ((oldOverrides[key] ?? null) !== v.value) {
        overrides[key] = v.value;
        r.changes.push({ field: `override.${key}`, old: oldOverrides[key] ?? null, new: v.value });
      }
    }
    if (Object.keys(unique).length) r.unique = unique;
    if (problems.length) {
      r.outcome = 'invalid';
      r.reason = problems.join('; ');
      r.changes = [];
    } else {
      if (Object.keys(patch).length) r.patch = patch;
      if (Object.keys(overrides).length) r.overrides = overrides;
    }
  });

  const col = <T>(f: (r: Pending) => T) => sql.param(rows.map(f));
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await tx.execute(sql`
    insert into ledger_import_rows (row, outcome, asset_uuid, asset_name, reason, changes, patch, overrides, uniq)
    select * from unnest(${col((r) => r.row)}::int[], ${col((r) => r.outcome)}::text[],
      ${col((r) => r.assetUuid)}::uuid[], ${col((r) => r.assetName)}::text[], ${col((r) => r.reason)}::text[],
      ${col((r) => JSON.stringify(r.changes))}::jsonb[], ${col((r) => json(r.patch))}::jsonb[],
      ${col((r) => json(r.overrides))}::jsonb[],
      ${col((r) => json(r.unique))}::jsonb[])`);
}

/** The checks that span the file, on the stored outcomes (row order decides who was first). */
async function checkAcrossFile(tx: Tx, map: ColumnMap) {
  // One asset in several rows: the first keeps it (whatever its own outcome), the others are invalid.
  await tx.execute(sql`
    update ledger_import_rows r set outcome = 'invalid', reason = 'same asset as row ' || f.first,
           changes = '[]', patch = null, overrides = null, uniq = null
    from (select asset_uuid, min(row) as first from ledger_import_rows where asset_uuid is not null
          group by asset_uuid having count(*) > 1) f
    where r.asset_uuid = f.asset_uuid and r.row > f.first`);
  for (const { field, header } of map.fields.filter((f) => f.field.unique)) {
    const key = sql.raw(`'${field.key}'`); // a validated key (LEDGER_KEY_PATTERN): the unique index's literal
    // A unique value may appear once in the file (the first row that gives it keeps it)…
    await tx.execute(sql`
      update ledger_import_rows r
      set reason = case when r.outcome = 'invalid' then r.reason || '; ' else '' end ||
                   format('%s: ''%s'' is also in row %s (unique field)', ${header}::text, d.v, d.first),
          outcome = 'invalid', changes = '[]', patch = null, overrides = null
      from (select row, uniq ->> ${key} as v, min(row) over (partition by uniq ->> ${key}) as first
            from ledger_import_rows where uniq ? ${key}) d
      where r.row = d.row and d.row > d.first`);
    // …and may not belong to an asset that this file does not set it on.
    await tx.execute(sql`
      update ledger_import_rows r
      set outcome = 'invalid', changes = '[]', patch = null, overrides = null,
          reason = format('%s: ''%s'' belongs to another asset (unique field)', ${header}::text, r.patch ->> ${key})
      where r.outcome = 'matched' and r.patch ->> ${key} is not null
        and exists (select 1 from asset_ledger l
                    where l.values ? ${key} and l.values ->> ${key} = r.patch ->> ${key} and l.asset_uuid <> r.asset_uuid
                      and not exists (select 1 from ledger_import_rows o where o.asset_uuid = l.asset_uuid and o.patch ? ${key}))`);
  }
}

/** Evaluates every row of the file into ledger_import_rows (dropped when the transaction ends). */
export async function evaluateImport(
  tx: Tx,
  file: ImportFile,
  opts: { clearEmpty?: boolean } = {},
): Promise<Evaluation> {
  const fields = await listLedgerFields(tx);
  const map = mapColumns(file.header, fields);
  const matchBy = Object.keys(map.match);
  const hasKey =
    map.match.uuid !== undefined ||
    (map.match.source !== undefined && map.match.externalId !== undefined) ||
    map.match.name !== undefined ||
    map.match.serial !== undefined ||
    map.match.hostname !== undefined;
  if (!hasKey) {
    throw new AppError(
      'IMPORT_FILE_INVALID',
      'No column identifies the asset: add one of uuid, source + external id, name, serial, hostname',
      { status: 400, details: { header: file.header.slice(0, 50) } },
    );
  }
  if (!map.fields.length && !map.overrides.length) {
    throw new AppError(
      'IMPORT_FILE_INVALID',
      'No column names a ledger field (by key or label) or an override',
      {
        status: 400,
        details: { header: file.header.slice(0, 50) },
      },
    );
  }
  await tx.execute(sql`
    create temporary table ledger_import_rows (
      row int primary key, outcome text not null, asset_uuid uuid, asset_name text, reason text,
      changes jsonb not null, patch jsonb, overrides jsonb, uniq jsonb) on commit drop`);
  let next = 1;
  for await (const cells of file.batches(IMPORT_BATCH)) {
    await evaluateBatch(tx, cells, next, map, opts.clearEmpty ?? false);
    next += cells.length;
  }
  await tx.execute(sql`create index on ledger_import_rows (asset_uuid)`);
  await tx.execute(sql`analyze ledger_import_rows`);
  await checkAcrossFile(tx, map);

  const s = await tx.execute<Record<Outcome | 'rows' | 'changed', number>>(sql`
    select count(*)::int as rows, (count(*) filter (where outcome = 'matched'))::int as matched,
           (count(*) filter (where outcome = 'unmatched'))::int as unmatched,
           (count(*) filter (where outcome = 'ambiguous'))::int as ambiguous,
           (count(*) filter (where outcome = 'invalid'))::int as invalid,
           (count(*) filter (where outcome = 'matched' and (patch is not null or overrides is not null)))::int as changed
    from ledger_import_rows`);
  return {
    columns: {
      matchBy,
      fields: map.fields.map((f) => ({ header: f.header, key: f.field.key })),
      overrides: map.overrides.map((o) => ({ header: o.header, key: o.key })),
      ignored: map.ignored,
    },
    summary: s.rows[0]!,
  };
}

/** The evaluated patches, as the (asset_uuid, patch) source applyLedgerPatches takes. */
export const importPatches = sql`
  select asset_uuid, patch from ledger_import_rows where outcome = 'matched' and patch is not null`;

/** The evaluated overrides, as the (asset_uuid, overrides) source applyOverridePatches takes. */
export const importOverrides = sql`
  select asset_uuid, overrides from ledger_import_rows where outcome = 'matched' and overrides is not null`;

/** Up to `limit` evaluated rows in file order, optionally of one outcome. */
export async function listImportRows(tx: Tx, p: { outcome?: Outcome; limit: number }): Promise<RowResult[]> {
  if (p.limit <= 0) return [];
  const r = await tx.execute<RowResult & Record<string, unknown>>(sql`
    select row, outcome, asset_uuid as "assetUuid", asset_name as "assetName", reason, changes
    from ledger_import_rows where ${p.outcome ?? null}::text is null or outcome = ${p.outcome ?? null}
    order by row limit ${p.limit}`);
  return r.rows;
}
