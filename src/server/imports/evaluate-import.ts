// The dry run of an import, also the first half of its apply: every row's outcome — matched, unmatched,
// ambiguous (several assets fit: never applied by guess) or invalid — with the reason and the changes it
// would make (old → new). Reads only. Rows are matched set-based: one query per way of matching.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { listLedgerFields, type AssetKind } from '@/server/ledger-fields/fields';
import { parseTextValue } from '@/server/ledger-fields/values';
import { mapColumns, type ColumnMap } from './columns';
import type { ParsedFile } from './parse-import-file';

export const OUTCOMES = ['matched', 'unmatched', 'ambiguous', 'invalid'] as const;
export type Outcome = (typeof OUTCOMES)[number];

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
  /** The typed patch to apply ({key: value|null}); only for matched rows with changes. */
  patch: Record<string, unknown> | null;
}

export interface Evaluation {
  columns: { matchBy: string[]; fields: { header: string; key: string }[]; ignored: string[] };
  rows: RowResult[];
  summary: Record<Outcome | 'rows' | 'changed', number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Candidate = { uuid: string; kind: AssetKind; name: string | null };

/** Candidate assets per row number, by the strongest key each row has. */
async function matchRows(db: Db | Tx, parsed: ParsedFile, map: ColumnMap, rows: RowResult[]) {
  const cell = (r: string[], i: number | undefined) => (i === undefined ? '' : (r[i] ?? '').trim());
  const byUuid: [number, string][] = [];
  const byExternal: [number, string, string][] = [];
  const byIdent: [number, string | null, string | null, string | null][] = [];
  parsed.rows.forEach((r, i) => {
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
  const add = (rs: { n: number; uuid: string; kind: AssetKind; name: string | null }[]) => {
    for (const x of rs) {
      const list = found.get(x.n) ?? [];
      if (!list.some((c) => c.uuid === x.uuid)) list.push({ uuid: x.uuid, kind: x.kind, name: x.name });
      found.set(x.n, list);
    }
  };
  type R = { n: number; uuid: string; kind: AssetKind; name: string | null };
  if (byUuid.length) {
    const r = await db.execute<R>(sql`
      select r.n, a.uuid, a.kind, a.display_name as name
      from unnest(${sql.param(byUuid.map((x) => x[0]))}::int[], ${sql.param(byUuid.map((x) => x[1]))}::uuid[]) r(n, u)
      join assets a on a.uuid = r.u`);
    add(r.rows);
  }
  if (byExternal.length) {
    const r = await db.execute<R>(sql`
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
    const r = await db.execute<R>(sql`
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

export async function evaluateImport(
  db: Db | Tx,
  parsed: ParsedFile,
  opts: { clearEmpty?: boolean } = {},
): Promise<Evaluation> {
  const fields = await listLedgerFields(db);
  const map = mapColumns(parsed.header, fields);
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
      { status: 400, details: { header: parsed.header.slice(0, 50) } },
    );
  }
  if (!map.fields.length) {
    throw new AppError('IMPORT_FILE_INVALID', 'No column names a ledger field (by key or label)', {
      status: 400,
      details: { header: parsed.header.slice(0, 50) },
    });
  }
  const rows: RowResult[] = parsed.rows.map((_, i) => ({
    row: i + 1,
    outcome: 'unmatched',
    assetUuid: null,
    assetName: null,
    reason: null,
    changes: [],
    patch: null,
  }));
  const found = await matchRows(db, parsed, map, rows);

  const matchedUuids: string[] = [];
  const firstRowOf = new Map<string, number>();
  for (const r of rows) {
    if (r.outcome === 'invalid') continue;
    const c = found.get(r.row - 1) ?? [];
    if (c.length === 0) {
      r.reason = 'no asset matches';
      continue;
    }
    if (c.length > 1) {
      r.outcome = 'ambiguous';
      r.reason = `${c.length} assets match: ${c
        .slice(0, 5)
        .map((x) => x.name ?? x.uuid)
        .join(', ')}`;
      continue;
    }
    const a = c[0]!;
    r.assetUuid = a.uuid;
    r.assetName = a.name;
    const dup = firstRowOf.get(a.uuid);
    if (dup !== undefined) {
      r.outcome = 'invalid';
      r.reason = `same asset as row ${dup}`;
      continue;
    }
    firstRowOf.set(a.uuid, r.row);
    r.outcome = 'matched';
    matchedUuids.push(a.uuid);
  }

  const current = new Map<string, Record<string, unknown>>();
  if (matchedUuids.length) {
    const r = await db.execute<{ asset_uuid: string; values: Record<string, unknown> }>(sql`
      select asset_uuid, values from asset_ledger where asset_uuid = any(${sql.param(matchedUuids)}::uuid[])`);
    for (const x of r.rows) current.set(x.asset_uuid, x.values);
  }
  const kindOf = new Map<string, AssetKind>();
  for (const list of found.values()) for (const c of list) kindOf.set(c.uuid, c.kind);

  // Unique fields: a value may appear once in the file and may not belong to an asset outside the file.
  const uniqueSeen = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.outcome !== 'matched') continue;
    const cells = parsed.rows[r.row - 1]!;
    const old = current.get(r.assetUuid!) ?? {};
    const patch: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const { index, header, field } of map.fields) {
      const raw = cells[index] ?? '';
      if (raw.trim() === '' && !opts.clearEmpty) continue;
      const v = parseTextValue(field, raw);
      if (!v.ok) {
        problems.push(`${header}: ${v.reason}`);
        continue;
      }
      if (v.value !== null && !field.kinds.includes(kindOf.get(r.assetUuid!)!)) {
        problems.push(
          `${header}: does not apply to ${kindOf.get(r.assetUuid!)} (only ${field.kinds.join(', ')})`,
        );
        continue;
      }
      if (field.unique && v.value !== null) {
        const seen = uniqueSeen.get(field.key) ?? new Map<string, number>();
        uniqueSeen.set(field.key, seen);
        const other = seen.get(String(v.value));
        if (other !== undefined) {
          problems.push(`${header}: '${v.value}' is also in row ${other} (unique field)`);
          continue;
        }
        seen.set(String(v.value), r.row);
      }
      if ((old[field.key] ?? null) !== v.value) {
        patch[field.key] = v.value;
        r.changes.push({ field: field.key, old: old[field.key] ?? null, new: v.value });
      }
    }
    if (problems.length) {
      r.outcome = 'invalid';
      r.reason = problems.join('; ');
      r.changes = [];
      continue;
    }
    if (r.changes.length) r.patch = patch;
  }
  await checkUniqueAgainstDatabase(db, rows, map);

  const summary = { rows: rows.length, matched: 0, unmatched: 0, ambiguous: 0, invalid: 0, changed: 0 };
  for (const r of rows) {
    summary[r.outcome]++;
    if (r.outcome === 'matched' && r.changes.length) summary.changed++;
  }
  return {
    columns: {
      matchBy,
      fields: map.fields.map((f) => ({ header: f.header, key: f.field.key })),
      ignored: map.ignored,
    },
    rows,
    summary,
  };
}

/** A unique value an import sets that another asset (not itself set in this file) already holds. */
async function checkUniqueAgainstDatabase(db: Db | Tx, rows: RowResult[], map: ColumnMap) {
  for (const { field, header } of map.fields.filter((f) => f.field.unique)) {
    const setting = rows.filter(
      (r) => r.patch && r.patch[field.key] !== undefined && r.patch[field.key] !== null,
    );
    if (!setting.length) continue;
    const inFile = rows.filter((r) => r.patch && field.key in r.patch).map((r) => r.assetUuid!);
    const held = await db.execute<{ v: string; asset_uuid: string }>(sql`
      select values ->> ${field.key} as v, asset_uuid from asset_ledger
      where values ->> ${field.key} = any(${sql.param(setting.map((r) => String(r.patch![field.key])))}::text[])
        and not (asset_uuid = any(${sql.param(inFile)}::uuid[]))`);
    const holder = new Map(held.rows.map((x) => [x.v, x.asset_uuid]));
    for (const r of setting) {
      const h = holder.get(String(r.patch![field.key]));
      if (h && h !== r.assetUuid) {
        r.outcome = 'invalid';
        r.reason = `${header}: '${r.patch![field.key]}' belongs to another asset (unique field)`;
        r.changes = [];
        r.patch = null;
      }
    }
  }
}
