// Ledger field definitions as the services read them (DESIGN §8a): the built-in set seeded by migration
// 0007 plus admin-defined ones. Read once per request; the set is small (tens of rows).
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { LEDGER_FIELD_TYPES } from '@/db/schema';
import { AppError } from '@/lib/errors';

export { LEDGER_FIELD_TYPES };
export type LedgerFieldType = (typeof LEDGER_FIELD_TYPES)[number];
export type AssetKind = 'host' | 'cluster' | 'vm';

export interface LedgerField {
  key: string;
  label: { en: string; 'zh-CN': string };
  type: LedgerFieldType;
  options: string[];
  kinds: AssetKind[];
  unique: boolean;
  builtin: boolean;
  position: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const LEDGER_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

type Row = {
  key: string;
  label_en: string;
  label_zh: string;
  type: LedgerFieldType;
  options: string[];
  kinds: string | AssetKind[];
  unique: boolean;
  builtin: boolean;
  position: number;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

// node-postgres returns arrays of an enum type as their text form ('{host,vm}').
const kindsOf = (v: string | AssetKind[]): AssetKind[] =>
  Array.isArray(v)
    ? v
    : (v
        .replace(/^\{|\}$/g, '')
        .split(',')
        .filter(Boolean) as AssetKind[]);

function fromRow(r: Row): LedgerField {
  return {
    key: r.key,
    label: { en: r.label_en, 'zh-CN': r.label_zh },
    type: r.type,
    options: r.options ?? [],
    kinds: kindsOf(r.kinds),
    unique: r.unique,
    builtin: r.builtin,
    position: r.position,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = sql.raw(
  'key, label_en, label_zh, type, options, kinds::text as kinds, "unique", builtin, position, archived_at, created_at, updated_at',
);

/** Every definition in display order; archived ones only when asked. */
export async function listLedgerFields(
  db: Db | Tx,
  opts: { includeArchived?: boolean } = {},
): Promise<LedgerField[]> {
  const r = await db.execute<Row>(sql`
    select ${COLUMNS} from ledger_fields
    ${opts.includeArchived ? sql`` : sql`where archived_at is null`}
    order by position, key`);
  return r.rows.map(fromRow);
}

export async function getLedgerField(db: Db | Tx, key: string, forUpdate = false): Promise<LedgerField> {
  const r = await db.execute<Row>(
    sql`select ${COLUMNS} from ledger_fields where key = ${key} ${forUpdate ? sql`for update` : sql``}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND', `ledger field '${key}' not found`);
  return fromRow(r.rows[0]);
}

/** Active definitions by key. */
export async function ledgerFieldMap(db: Db | Tx): Promise<Map<string, LedgerField>> {
  return new Map((await listLedgerFields(db)).map((f) => [f.key, f]));
}
