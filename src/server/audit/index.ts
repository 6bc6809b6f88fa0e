// Audit events (DESIGN §10): who did what to which target, with the request id. Never put secrets in details.
import type { Db, Tx } from '@/db/client';
import { auditEvents } from '@/db/schema';

export interface AuditEntry {
  action: string; // e.g. 'auth.login', 'source.create', 'run.trigger', 'record.raw_view'
  outcome?: 'success' | 'failure' | 'denied';
  actorUserId?: string | null;
  actorLabel?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    actorUserId: entry.actorUserId ?? null,
    actorLabel: entry.actorLabel ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? null,
  });
}
