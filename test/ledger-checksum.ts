// A checksum of everything a run may write (every table but the run queue, sessions and the audit log), to
// assert that a failed or cancelled run left the ledger byte-for-byte unchanged.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

const NOT_LEDGER = new Set(['runs', 'audit_events', 'sessions', 'login_throttles']);

export async function ledgerChecksum(db: Db): Promise<Record<string, string>> {
  const tables = (
    await db.execute<{ t: string }>(sql`
      select table_name as t from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '%drizzle%'
      order by 1`)
  ).rows
    .map((r) => r.t)
    .filter((t) => !NOT_LEDGER.has(t));
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await db.execute<{ n: number; md5: string }>(
      sql.raw(
        `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5 from "${t}" x`,
      ),
    );
    out[t] = `${r.rows[0]!.n}:${r.rows[0]!.md5}`;
  }
  return out;
}
