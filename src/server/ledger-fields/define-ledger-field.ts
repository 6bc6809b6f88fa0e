// Creating, changing, archiving and deleting ledger field definitions (admins). A change that existing
// values do not fit (type, enum options, kinds, uniqueness) is 409 with the count of values that do not
// fit, and changes nothing. Uniqueness is a partial unique index per field, so the database enforces it.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { changesOf } from '@/server/audit/changes';
import { audit, pgCode, type Actor } from '@/server/users/actor';
import {
  getLedgerField,
  LEDGER_KEY_PATTERN,
  type AssetKind,
  type LedgerField,
  type LedgerFieldType,
} from './fields';
import { convertStored } from './values';

export interface LedgerFieldInput {
  key: string;
  label: { en: string; zhCN: string };
  type: LedgerFieldType;
  options?: string[];
  kinds?: AssetKind[];
  unique?: boolean;
  position?: number;
}

export type LedgerFieldPatch = Partial<Omit<LedgerFieldInput, 'key' | 'label'>> & {
  label?: { en?: string; zhCN?: string };
  archived?: boolean;
};

const indexName = (key: string) => `asset_ledger_unique_${key}`;

async function createUniqueIndex(tx: Tx, key: string) {
  // The key matched LEDGER_KEY_PATTERN (and the table's check), so it is safe as an identifier and literal.
  await tx.execute(
    sql.raw(
      `create unique index if not exists "${indexName(key)}" on asset_ledger (("values" ->> '${key}')) where "values" ? '${key}'`,
    ),
  );
}

const dropUniqueIndex = (tx: Tx, key: string) =>
  tx.execute(sql.raw(`drop index if exists "${indexName(key)}"`));

function conflict(message: string, details: Record<string, unknown>): AppError {
  return new AppError('CONFLICT', message, { details });
}

function checkOptions(type: LedgerFieldType, options: string[] | undefined): string[] {
  if (type !== 'enum') return [];
  const list = (options ?? []).map((o) => o.trim());
  if (!list.length || list.some((o) => !o)) {
    throw new AppError('VALIDATION_FAILED', 'body.options: an enum field needs non-empty options', {
      details: { issues: [{ path: 'body.options', message: 'an enum field needs non-empty options' }] },
    });
  }
  if (new Set(list).size !== list.length) {
    throw new AppError('VALIDATION_FAILED', 'body.options: options must be distinct', {
      details: { issues: [{ path: 'body.options', message: 'options must be distinct' }] },
    });
  }
  return list;
}

/** How many stored values of `key` exist, and how many do not fit `def`. */
async function valueFit(
  tx: Tx,
  def: LedgerField,
): Promise<{ total: number; misfits: number; wrongKind: number }> {
  const r = await tx.execute<{ v: unknown; kind: AssetKind }>(sql`
    select l.values -> ${def.key} as v, a.kind from asset_ledger l join assets a on a.uuid = l.asset_uuid
    where l.values ? ${def.key}`);
  let misfits = 0;
  let wrongKind = 0;
  for (const row of r.rows) {
    if (!convertStored(def, row.v).ok) misfits++;
    if (!def.kinds.includes(row.kind)) wrongKind++;
  }
  return { total: r.rows.length, misfits, wrongKind };
}

async function duplicateValues(tx: Tx, key: string): Promise<number> {
  const r = await tx.execute<{ n: number }>(sql`
    select coalesce(sum(n - 1), 0)::int as n from (
      select count(*) as n from asset_ledger where values ? ${key} group by values ->> ${key} having count(*) > 1) d`);
  return r.rows[0]!.n;
}

export async function createLedgerField(db: Db, actor: Actor, input: LedgerFieldInput): Promise<LedgerField> {
  if (!LEDGER_KEY_PATTERN.test(input.key)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'body.key: lower-case letters, digits and _ (starting with a letter, ≤ 40)',
    );
  }
  const options = checkOptions(input.type, input.options);
  await db.transaction(async (tx) => {
    try {
      await tx.execute(sql`
        insert into ledger_fields (key, label_en, label_zh, type, options, kinds, "unique", position)
        values (${input.key}, ${input.label.en}, ${input.label.zhCN}, ${input.type},
                ${sql.param(options)}::text[],
                ${sql.param(input.kinds ?? ['host', 'cluster', 'vm'])}::asset_kind[], ${input.unique ?? false},
                ${input.position ?? 1000})`);
    } catch (err) {
      if (pgCode(err) === '23505') {
        throw conflict(`key: a ledger field '${input.key}' already exists`, { field: 'key' });
      }
      throw err;
    }
    if (input.unique) await createUniqueIndex(tx, input.key);
    await audit(
      tx,
      actor,
      'ledger_field.create',
      { type: 'ledger_field', id: input.key },
      {
        type: input.type,
        unique: input.unique ?? false,
      },
    );
  });
  return getLedgerField(db, input.key);
}

export async function updateLedgerField(
  db: Db,
  actor: Actor,
  key: string,
  patch: LedgerFieldPatch,
): Promise<LedgerField> {
  await db.transaction(async (tx) => {
    const before = await getLedgerField(tx, key, true);
    const type = patch.type ?? before.type;
    if (before.builtin && type !== before.type) {
      throw conflict(`type: the built-in field '${key}' keeps its type`, { field: 'type' });
    }
    const options =
      patch.options !== undefined || patch.type !== undefined
        ? checkOptions(type, patch.options ?? before.options)
        : before.options;
    const next: LedgerField = {
      ...before,
      type,
      options,
      kinds: patch.kinds ?? before.kinds,
      unique: patch.unique ?? before.unique,
    };
    const shapeChanged =
      next.type !== before.type ||
      next.options.join('\u0000') !== before.options.join('\u0000') ||
      next.kinds.join() !== before.kinds.join();
    if (shapeChanged) {
      const fit = await valueFit(tx, next);
      if (fit.misfits) {
        throw conflict(`type: ${fit.misfits} existing value(s) do not fit the new definition`, {
          field: 'type',
          count: fit.misfits,
        });
      }
      if (fit.wrongKind) {
        throw conflict(`kinds: ${fit.wrongKind} asset(s) of other kinds hold a value`, {
          field: 'kinds',
          count: fit.wrongKind,
        });
      }
      if (next.type !== before.type) await convertValues(tx, next);
    }
    if (next.unique && !before.unique) {
      const dups = await duplicateValues(tx, key);
      if (dups) throw conflict(`unique: ${dups} value(s) are duplicates`, { field: 'unique', count: dups });
      await createUniqueIndex(tx, key);
    } else if (!next.unique && before.unique) {
      await dropUniqueIndex(tx, key);
    }
    const archived =
      patch.archived === undefined
        ? sql`archived_at`
        : patch.archived
          ? sql`coalesce(archived_at, now())`
          : sql`null`;
    await tx.execute(sql`
      update ledger_fields set label_en = ${patch.label?.en ?? before.label.en},
        label_zh = ${patch.label?.zhCN ?? before.label['zh-CN']}, type = ${next.type},
        options = ${sql.param(next.options)}::text[],
        kinds = ${sql.param(next.kinds)}::asset_kind[], "unique" = ${next.unique},
        position = ${patch.position ?? before.position}, archived_at = ${archived}, updated_at = now()
      where key = ${key}`);
    await audit(
      tx,
      actor,
      'ledger_field.update',
      { type: 'ledger_field', id: key },
      {
        changed: Object.keys(patch).sort(),
        changes: changesOf(
          {
            label: `${before.label.en} / ${before.label['zh-CN']}`,
            type: before.type,
            options: before.options,
            kinds: before.kinds,
            unique: before.unique,
            archived: before.archivedAt !== null,
          },
          {
            label: `${patch.label?.en ?? before.label.en} / ${patch.label?.zhCN ?? before.label['zh-CN']}`,
            type: next.type,
            options: next.options,
            kinds: next.kinds,
            unique: next.unique,
            archived: patch.archived,
          },
        ),
      },
    );
  });
  return getLedgerField(db, key);
}

/** Rewrites the stored values of a field in the new type's JSON form ('12' → 12), in one statement. */
async function convertValues(tx: Tx, def: LedgerField) {
  const r = await tx.execute<{ asset_uuid: string; v: unknown }>(sql`
    select asset_uuid, values -> ${def.key} as v from asset_ledger where values ? ${def.key}`);
  if (!r.rows.length) return;
  const uuids = r.rows.map((x) => x.asset_uuid);
  const vals = r.rows.map((x) => JSON.stringify((convertStored(def, x.v) as { value: unknown }).value));
  await tx.execute(sql`
    update asset_ledger l set values = jsonb_set(l.values, ${sql.param([def.key])}::text[], c.v)
    from unnest(${sql.param(uuids)}::uuid[], ${sql.param(vals)}::jsonb[]) as c(asset_uuid, v) where l.asset_uuid = c.asset_uuid`);
}

/**
 * Deletes a field that holds no values. One that holds values is 409 unless `archive` is set: then it is
 * archived (values and history stay). Built-in fields are only ever archived.
 */
export async function deleteLedgerField(
  db: Db,
  actor: Actor,
  key: string,
  opts: { archive?: boolean },
): Promise<{ deleted: boolean; archived: boolean; values: number }> {
  return db.transaction(async (tx) => {
    const def = await getLedgerField(tx, key, true);
    const r = await tx.execute<{ n: number }>(
      sql`select count(*)::int as n from asset_ledger where values ? ${key}`,
    );
    const values = r.rows[0]!.n;
    if ((values > 0 || def.builtin) && !opts.archive) {
      throw conflict(
        def.builtin
          ? `'${key}' is a built-in field: archive it instead (?archive=true)`
          : `'${key}' holds ${values} value(s): archive it instead (?archive=true)`,
        { field: key, count: values },
      );
    }
    if (opts.archive && (values > 0 || def.builtin)) {
      await tx.execute(
        sql`update ledger_fields set archived_at = coalesce(archived_at, now()), updated_at = now() where key = ${key}`,
      );
      await audit(tx, actor, 'ledger_field.archive', { type: 'ledger_field', id: key }, { values });
      return { deleted: false, archived: true, values };
    }
    await dropUniqueIndex(tx, key);
    await tx.execute(sql`delete from ledger_fields where key = ${key}`);
    await audit(tx, actor, 'ledger_field.delete', { type: 'ledger_field', id: key });
    return { deleted: true, archived: false, values };
  });
}
