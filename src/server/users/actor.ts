// Who is acting, as every audited service call receives it from the route (actor, request id, address).
import type { Db, Tx } from '@/db/client';
import { recordAudit } from '@/server/audit';
import { AppError } from '@/lib/errors';

export interface Actor {
  userId: string | null;
  label: string | null;
  requestId: string | null;
  ip: string | null;
  /** Set when the request came with an API token (history says "by <user> via token"). */
  apiTokenId?: string | null;
}

export function actorFrom(ctx: {
  session: { user: { id: string; username: string }; apiTokenId?: string } | null;
  requestId: string;
  ip: string | null;
}): Actor {
  return {
    userId: ctx.session?.user.id ?? null,
    label: ctx.session?.user.username ?? null,
    requestId: ctx.requestId,
    ip: ctx.ip,
    apiTokenId: ctx.session?.apiTokenId ?? null,
  };
}

/** A system actor for command-line tools (key rotation) and tests. */
export const systemActor = (label: string): Actor => ({ userId: null, label, requestId: null, ip: null });

export async function audit(
  db: Db | Tx,
  actor: Actor,
  action: string,
  target: { type: string; id: string | null },
  details?: Record<string, unknown>,
  outcome: 'success' | 'failure' | 'denied' = 'success',
): Promise<void> {
  await recordAudit(db, {
    action,
    outcome,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    targetType: target.type,
    targetId: target.id,
    requestId: actor.requestId,
    ip: actor.ip,
    details,
  });
}

/** PostgreSQL error code of a driver error (drizzle wraps it in `cause`). */
export function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Maps a unique violation to 409 naming the field; rethrows anything else. */
export function rethrowUnique(err: unknown, field: string, what: string): never {
  if (pgCode(err) === '23505') {
    throw new AppError('CONFLICT', `${field}: ${what} already exists`, { details: { field } });
  }
  throw err;
}
