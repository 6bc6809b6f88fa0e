// Run queries for the API and the UI.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import type { RunMode } from '@/collector/contract';
import { AppError } from '@/lib/errors';
import { type RunRow, type RunStatus, type RunTrigger } from './types';

export interface RunFilters {
  sourceId?: string;
  status?: RunStatus[];
  mode?: RunMode[];
  trigger?: RunTrigger[];
  /** Queued at or after / at or before (RFC 3339): the dashboard's bars link to one day's runs. */
  createdFrom?: string;
  createdTo?: string;
  limit?: number;
  offset?: number;
}

export interface RunPage {
  items: RunRow[];
  total: number;
  limit: number;
  offset: number;
}

export async function listRuns(db: Db, f: RunFilters = {}): Promise<RunPage> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const offset = Math.max(f.offset ?? 0, 0);
  const where: SQL[] = [sql`true`];
  if (f.sourceId) where.push(sql`r.source_id = ${f.sourceId}`);
  // Compared as text, so an unknown value simply matches nothing.
  const oneOf = (col: SQL, values: string[]) =>
    sql`${col}::text in (${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`;
  if (f.status?.length) where.push(oneOf(sql`r.status`, f.status));
  if (f.mode?.length) where.push(oneOf(sql`r.mode`, f.mode));
  if (f.trigger?.length) where.push(oneOf(sql`r.trigger`, f.trigger));
  if (f.createdFrom) where.push(sql`r.created_at >= ${f.createdFrom}::timestamptz`);
  if (f.createdTo) where.push(sql`r.created_at <= ${f.createdTo}::timestamptz`);
  const cond = sql.join(where, sql` and `);
  const [items, total] = await Promise.all([
    db.execute<RunRow>(sql`
      select r.*, s.name as source_name from runs r join sources s on s.id = r.source_id
      where ${cond} order by r.created_at desc, r.id desc limit ${limit} offset ${offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from runs r where ${cond}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit, offset };
}

export async function getRun(db: Db, id: string): Promise<RunRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('NOT_FOUND', 'run not found');
  const r = await db.execute<RunRow>(sql`
    select r.*, s.name as source_name from runs r join sources s on s.id = r.source_id where r.id = ${id}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', 'run not found');
  return r.rows[0];
}
