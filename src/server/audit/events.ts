// Reading the audit trail (admin API): newest first, filtered by action, outcome, actor, target and time.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';

export interface AuditFilters {
  action?: string;
  outcome?: 'success' | 'failure' | 'denied';
  actorUserId?: string;
  targetType?: string;
  targetId?: string;
  requestId?: string;
  since?: Date;
  until?: Date;
}

function auditWhere(f: AuditFilters): SQL {
  const where: SQL[] = [sql`true`];
  // `action` ending in '.' or '*' is a prefix ("source." = every source action).
  if (f.action) {
    where.push(
      /[.*]$/.test(f.action)
        ? sql`e.action like ${f.action.replace(/\*$/, '').replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`
        : sql`e.action = ${f.action}`,
    );
  }
  if (f.outcome) where.push(sql`e.outcome = ${f.outcome}`);
  if (f.actorUserId) where.push(sql`e.actor_user_id = ${f.actorUserId}`);
  if (f.targetType) where.push(sql`e.target_type = ${f.targetType}`);
  if (f.targetId) where.push(sql`e.target_id = ${f.targetId}`);
  if (f.requestId) where.push(sql`e.request_id = ${f.requestId}`);
  if (f.since) where.push(sql`e.ts >= ${f.since.toISOString()}`);
  if (f.until) where.push(sql`e.ts < ${f.until.toISOString()}`);
  return sql.join(where, sql` and `);
}

/** Every matching event, newest first (the CSV export reads it through a cursor). */
export function auditEventsQuery(f: AuditFilters): SQL {
  return sql`
    select e.id, e.ts, e.actor_user_id as "actorUserId", e.actor_label as "actorLabel", e.action, e.outcome,
           e.target_type as "targetType", e.target_id as "targetId", e.request_id as "requestId", e.ip, e.details
    from audit_events e where ${auditWhere(f)} order by e.ts desc, e.id desc`;
}

export async function listAuditEvents(db: Db, f: AuditFilters, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute(sql`${auditEventsQuery(f)} limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events e where ${auditWhere(f)}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}
