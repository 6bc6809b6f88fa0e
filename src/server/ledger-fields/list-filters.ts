// Ledger fields in the asset list (issue 13 §7): `?ledger.<key>=value` filters (several values: any of
// them; `(empty)` / `(any)`: no value / some value) and `sort=ledger.<key>`. Values compare as text,
// case-insensitively, so one syntax serves every type (`ledger.rack_unit=12`, `ledger.lifecycle=retired`).
// Each filter is a subquery on asset_ledger keyed by asset, so the list's count needs no join.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { ledgerFieldMap } from './fields';

export const EMPTY = '(empty)';
export const ANY = '(any)';
const PREFIX = 'ledger.';

export interface LedgerFilter {
  key: string;
  values: string[];
}

/** The `ledger.<key>` entries of a parsed query object. */
export function ledgerFiltersFrom(query: Record<string, unknown>): LedgerFilter[] {
  const out: LedgerFilter[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith(PREFIX)) continue;
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
    if (values.length) out.push({ key: k.slice(PREFIX.length), values });
  }
  return out;
}

export function ledgerWhere(filters: LedgerFilter[]): SQL[] {
  return filters.map((f) => {
    if (f.values.includes(EMPTY)) {
      return sql`not exists (select 1 from asset_ledger lf where lf.asset_uuid = a.uuid and lf.values ? ${f.key})`;
    }
    if (f.values.includes(ANY)) {
      return sql`exists (select 1 from asset_ledger lf where lf.asset_uuid = a.uuid and lf.values ? ${f.key})`;
    }
    const lowered = f.values.map((v) => v.toLowerCase());
    return sql`exists (select 1 from asset_ledger lf where lf.asset_uuid = a.uuid
      and lower(lf.values ->> ${f.key}) = any(${sql.param(lowered)}::text[]))`;
  });
}

/** `ledger.<key>` of a sort value, or null for an observed sort key. */
export function ledgerSortKey(sort: string | undefined): string | null {
  const k = sort?.replace(/^-/, '');
  return k?.startsWith(PREFIX) ? k.slice(PREFIX.length) : null;
}

// jsonb orders numbers as numbers, dates (YYYY-MM-DD) and strings as text, false before true.
export const ledgerSortExpression = (key: string): SQL => sql`l.values -> ${key}`;

/** 400 naming the field when a filter or sort names a ledger field that does not exist (or is archived). */
export async function assertLedgerKeys(db: Db, filters: LedgerFilter[] | undefined, sort?: string) {
  const keys = [...(filters ?? []).map((f) => f.key)];
  const s = ledgerSortKey(sort);
  if (s) keys.push(s);
  if (!keys.length) return;
  const fields = await ledgerFieldMap(db);
  for (const key of keys) {
    if (!fields.has(key)) {
      throw new AppError('VALIDATION_FAILED', `ledger.${key}: unknown ledger field`, {
        details: { issues: [{ path: `query.ledger.${key}`, message: 'unknown ledger field' }], field: key },
      });
    }
  }
}
