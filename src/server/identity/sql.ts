// The one thing identity's set-based statements need from a connection: text and parameters in, rows out.
// Ingest's run connection (IngestSql) is one; a drizzle transaction becomes one through txQuery.
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';

type Row = Record<string, unknown>;

export interface Q {
  query<T extends Row = Row>(text: string, values?: unknown[]): Promise<T[]>;
}

/** A drizzle transaction as a Q: `$n` placeholders become drizzle parameters, in order of use. */
export function txQuery(tx: Db | Tx): Q {
  return {
    async query<T extends Row = Row>(text: string, values: unknown[] = []) {
      const chunks: SQL[] = [];
      let last = 0;
      for (const m of text.matchAll(/\$(\d+)/g)) {
        // one parameter each, arrays too (a bare array would be spread into a list)
        chunks.push(sql.raw(text.slice(last, m.index)), sql`${sql.param(values[Number(m[1]) - 1])}`);
        last = m.index! + m[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      return (await tx.execute<T>(sql.join(chunks, sql``))).rows as T[];
    },
  };
}

// Identity's working tables, created once per connection and emptied at every commit (like ingest's):
// the assets whose evidence a run or a merge changed, and pairs of assets whose contents move.
export const IDENTITY_TEMP_TABLES = `
do $$
begin
  if to_regclass('pg_temp._id_touched') is null then
    create temp table _id_touched (uuid uuid primary key) on commit delete rows;
    create temp table _id_pairs (from_uuid uuid primary key, to_uuid uuid not null) on commit delete rows;
  end if;
end $$`;
