// Names and pages of the things audit entries point at (`source:7e25…` → "Lab vCenter", /sources/7e25…),
// so the audit log reads as names with links rather than raw ids.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

const TABLES: Record<string, { table: string; name: string; href: (id: string) => string }> = {
  source: { table: 'sources', name: 'name', href: (id) => `/sources/${id}` },
  credential: { table: 'credentials', name: 'name', href: () => '/credentials' },
  schedule_group: { table: 'schedule_groups', name: 'name', href: () => '/schedule-groups' },
  user: { table: 'users', name: 'username', href: () => '/users' },
  asset: { table: 'assets', name: 'name', href: (id) => `/assets/${id}` },
};

export type AuditTarget = { name: string | null; href: string | null };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getAuditTargets(
  db: Db,
  rows: { targetType: string | null; targetId: string | null }[],
): Promise<Record<string, AuditTarget>> {
  const out: Record<string, AuditTarget> = {};
  const byType = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.targetType || !r.targetId || !UUID_RE.test(r.targetId)) continue;
    if (r.targetType === 'run') out[`run:${r.targetId}`] = { name: null, href: `/runs/${r.targetId}` };
    if (!TABLES[r.targetType]) continue;
    (byType.get(r.targetType) ?? byType.set(r.targetType, new Set()).get(r.targetType)!).add(r.targetId);
  }
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const spec = TABLES[type]!;
      const r = await db.execute<{ id: string; name: string | null }>(
        sql`select ${sql.raw(type === 'asset' ? 'uuid' : 'id')}::text as id, ${sql.raw(spec.name)} as name
            from ${sql.raw(spec.table)} where ${sql.raw(type === 'asset' ? 'uuid' : 'id')} in (${sql.join(
              [...ids].map((i) => sql`${i}::uuid`),
              sql`, `,
            )})`,
      );
      for (const row of r.rows) out[`${type}:${row.id}`] = { name: row.name, href: spec.href(row.id) };
    }),
  );
  return out;
}

/** Who appears in the audit trail (for the "who" filter). */
export async function listAuditActors(db: Db): Promise<{ id: string; label: string }[]> {
  const r = await db.execute<{ id: string; label: string }>(sql`
    select u.id, coalesce(u.display_name, u.username) as label from users u order by lower(u.username) limit 500`);
  return r.rows;
}
