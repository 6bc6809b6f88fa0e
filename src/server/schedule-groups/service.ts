// Schedule groups: when a set of sources is collected (daily HH:mm in an IANA zone, or a cron pattern).
// Membership is set in one call (`sourceIds`), which moves sources from any other group.
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { nextInstant, validateSchedule } from '@/server/scheduler/schedule';
import { changesOf } from '@/server/audit/changes';
import { audit, rethrowUnique, type Actor } from '@/server/users/actor';

export type GroupView = {
  id: string;
  name: string;
  enabled: boolean;
  timezone: string;
  timeOfDay: string;
  cron: string | null;
  lastFiredFor: string | null;
  nextFireAt: string | null;
  sources: { id: string; name: string; enabled: boolean }[];
  createdAt: string;
  updatedAt: string;
};

const VIEW = sql`
  select g.id, g.name, g.enabled, g.timezone, g.time_of_day as "timeOfDay", g.cron,
         g.last_fired_for as "lastFiredFor", g.created_at as "createdAt", g.updated_at as "updatedAt",
         coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'enabled', s.enabled)
                                    order by lower(s.name))
                   from sources s where s.schedule_group_id = g.id and s.deleted_at is null), '[]'::jsonb) as sources
  from schedule_groups g`;

function withNext(row: Omit<GroupView, 'nextFireAt'>, now = new Date()): GroupView {
  let next: Date | null = null;
  if (row.enabled) {
    try {
      next = nextInstant({ timezone: row.timezone, timeOfDay: row.timeOfDay, cron: row.cron }, now);
    } catch {
      next = null; // a schedule stored before validation tightened: shown as never, not a 500
    }
  }
  return { ...row, nextFireAt: next ? next.toISOString() : null };
}

/** IANA zone (Intl knows it) and time of day / cron; errors name the field. */
export function checkSchedule(spec: { timezone: string; timeOfDay: string; cron?: string | null }): void {
  let zoneOk = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timezone });
  } catch {
    zoneOk = false;
  }
  // Intl also accepts offsets like "+01:00"; the scheduler wants real zones (DST rules), so require a name.
  if (!zoneOk || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(spec.timezone)) {
    throw new AppError('VALIDATION_FAILED', `body.timezone: unknown IANA time zone '${spec.timezone}'`, {
      details: { field: 'body.timezone' },
    });
  }
  try {
    validateSchedule({ timezone: spec.timezone, timeOfDay: spec.timeOfDay, cron: spec.cron });
  } catch (err) {
    const field = spec.cron ? 'body.cron' : 'body.timeOfDay';
    throw new AppError('VALIDATION_FAILED', `${field}: ${(err as Error).message}`, { details: { field } });
  }
}

export async function listGroups(db: Db, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute<Omit<GroupView, 'nextFireAt'>>(
      sql`${VIEW} order by lower(g.name), g.id limit ${p.limit} offset ${p.offset}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from schedule_groups`),
  ]);
  const now = new Date();
  return {
    items: items.rows.map((r) => withNext(r, now)),
    total: total.rows[0]!.n,
    limit: p.limit,
    offset: p.offset,
  };
}

export async function getGroup(db: Db | Tx, id: string): Promise<GroupView> {
  const r = await db.execute<Omit<GroupView, 'nextFireAt'>>(sql`${VIEW} where g.id = ${id}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', 'schedule group not found');
  return withNext(r.rows[0]);
}

async function setMembers(tx: Tx, groupId: string, sourceIds: string[]): Promise<void> {
  const ids = [...new Set(sourceIds)];
  if (ids.length) {
    const found = await tx.execute<{ id: string }>(sql`
      select id from sources where deleted_at is null and id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )}) for update`);
    const have = new Set(found.rows.map((r) => r.id));
    const missing = ids.filter((i) => !have.has(i));
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', `body.sourceIds: no source with id ${missing[0]}`, {
        details: { field: 'body.sourceIds', missing },
      });
    }
  }
  const keep = ids.length
    ? sql`and id not in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql``;
  await tx.execute(
    sql`update sources set schedule_group_id = null, updated_at = now() where schedule_group_id = ${groupId} ${keep}`,
  );
  if (ids.length) {
    await tx.execute(sql`update sources set schedule_group_id = ${groupId}, updated_at = now()
      where id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`);
  }
}

export interface GroupInput {
  name: string;
  enabled?: boolean;
  timezone?: string;
  timeOfDay?: string;
  cron?: string | null;
  sourceIds?: string[];
}

export async function createGroup(db: Db, actor: Actor, input: GroupInput): Promise<GroupView> {
  const spec = {
    timezone: input.timezone ?? 'UTC',
    timeOfDay: input.timeOfDay ?? '02:00',
    cron: input.cron ?? null,
  };
  checkSchedule(spec);
  return db.transaction(async (tx) => {
    let id: string;
    try {
      const r = await tx.execute<{ id: string }>(sql`
        insert into schedule_groups (name, enabled, timezone, time_of_day, cron)
        values (${input.name}, ${input.enabled ?? true}, ${spec.timezone}, ${spec.timeOfDay}, ${spec.cron})
        returning id`);
      id = r.rows[0]!.id;
    } catch (err) {
      rethrowUnique(err, 'body.name', `a schedule group named '${input.name}'`);
    }
    if (input.sourceIds) await setMembers(tx, id, input.sourceIds);
    await audit(
      tx,
      actor,
      'schedule_group.create',
      { type: 'schedule_group', id },
      {
        name: input.name,
        ...spec,
        sourceIds: input.sourceIds ?? [],
      },
    );
    return getGroup(tx, id);
  });
}

export async function updateGroup(
  db: Db,
  actor: Actor,
  id: string,
  input: Partial<GroupInput>,
): Promise<GroupView> {
  return db.transaction(async (tx) => {
    const cur = await tx.execute<{ timezone: string; timeOfDay: string; cron: string | null }>(
      sql`select timezone, time_of_day as "timeOfDay", cron from schedule_groups where id = ${id} for update`,
    );
    if (!cur.rows[0]) throw new AppError('NOT_FOUND', 'schedule group not found');
    const before = auditedGroup(await getGroup(tx, id));
    const spec = {
      timezone: input.timezone ?? cur.rows[0].timezone,
      timeOfDay: input.timeOfDay ?? cur.rows[0].timeOfDay,
      cron: input.cron !== undefined ? input.cron : cur.rows[0].cron,
    };
    checkSchedule(spec);
    const sets: SQL[] = [sql`updated_at = now()`];
    if (input.name !== undefined) sets.push(sql`name = ${input.name}`);
    if (input.enabled !== undefined) sets.push(sql`enabled = ${input.enabled}`);
    if (input.timezone !== undefined) sets.push(sql`timezone = ${input.timezone}`);
    if (input.timeOfDay !== undefined) sets.push(sql`time_of_day = ${input.timeOfDay}`);
    if (input.cron !== undefined) sets.push(sql`cron = ${input.cron}`);
    try {
      await tx.execute(sql`update schedule_groups set ${sql.join(sets, sql`, `)} where id = ${id}`);
    } catch (err) {
      rethrowUnique(err, 'body.name', `a schedule group named '${input.name}'`);
    }
    if (input.sourceIds) await setMembers(tx, id, input.sourceIds);
    const after = await getGroup(tx, id);
    await audit(
      tx,
      actor,
      'schedule_group.update',
      { type: 'schedule_group', id },
      {
        changed: Object.keys(input),
        ...(input.sourceIds ? { sourceIds: input.sourceIds } : {}),
        changes: changesOf(before, auditedGroup(after)),
      },
    );
    return after;
  });
}

/** What a group's audit entry compares: its schedule and its members by name. */
function auditedGroup(g: GroupView): Record<string, unknown> {
  return {
    name: g.name,
    enabled: g.enabled,
    timezone: g.timezone,
    timeOfDay: g.cron ? null : g.timeOfDay,
    cron: g.cron,
    sources: g.sources.map((s) => s.name).sort(),
  };
}

/** Refused (409) while sources are bound: unbind them (PATCH sourceIds: []) first. */
export async function deleteGroup(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const cur = await tx.execute<{ name: string }>(
      sql`select name from schedule_groups where id = ${id} for update`,
    );
    if (!cur.rows[0]) throw new AppError('NOT_FOUND', 'schedule group not found');
    const bound = await tx.execute<{ id: string; name: string }>(sql`
      select id, name from sources where schedule_group_id = ${id} and deleted_at is null order by name limit 20`);
    if (bound.rows.length) {
      throw new AppError(
        'CONFLICT',
        `schedule group has sources: ${bound.rows.map((s) => s.name).join(', ')}`,
        {
          details: { sources: bound.rows },
        },
      );
    }
    await tx.execute(sql`update sources set schedule_group_id = null where schedule_group_id = ${id}`);
    await tx.execute(sql`delete from schedule_groups where id = ${id}`);
    await audit(
      tx,
      actor,
      'schedule_group.delete',
      { type: 'schedule_group', id },
      { name: cur.rows[0].name },
    );
  });
}
