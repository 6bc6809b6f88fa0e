// Sources: a vCenter (or another type) to collect, its credential and schedule group. Deleting is soft
// (runs and assets keep pointing at it) and refused while a run of it is queued or running.
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { assertSourceUnique } from '@/server/identity/assert-source-unique';
import { auditedConfig, changesOf } from '@/server/audit/changes';
import { audit, rethrowUnique, type Actor } from '@/server/users/actor';
import { parsePayload, typeSpec } from './types';
import { rfc3339Sql } from '@/db/timestamps';

export const RUN_MODES = ['healthcheck', 'detect', 'collect', 'collect_hosts', 'collect_vms'] as const;

export type LatestRun = {
  id: string;
  status: string;
  trigger: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCode: string | null;
};

export type SourceView = {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  credentialId: string | null;
  credentialName: string | null;
  scheduleGroupId: string | null;
  scheduleGroupName: string | null;
  enabled: boolean;
  instanceUuid: string | null;
  instanceUuidSeenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  latestRuns: Record<string, LatestRun | null>;
};

// Latest run per mode: one index probe per (source, mode) on runs_source_created_idx.
const VIEW = sql`
  select s.id, s.name, s.type, s.config, s.credential_id as "credentialId", c.name as "credentialName",
         s.schedule_group_id as "scheduleGroupId", g.name as "scheduleGroupName", s.enabled,
         s.instance_uuid as "instanceUuid", s.instance_uuid_seen_at as "instanceUuidSeenAt",
         s.created_at as "createdAt", s.updated_at as "updatedAt",
         (select coalesce(jsonb_object_agg(m.mode, to_jsonb(lr)), '{}'::jsonb)
            from unnest(enum_range(null::run_mode)) as m(mode)
            cross join lateral (
              select r.id, r.status, r.trigger, ${rfc3339Sql(sql`r.created_at`)} as "createdAt",
                     ${rfc3339Sql(sql`r.started_at`)} as "startedAt",
                     ${rfc3339Sql(sql`r.finished_at`)} as "finishedAt", r.error_code as "errorCode"
              from runs r where r.source_id = s.id and r.mode = m.mode
              order by r.created_at desc limit 1) lr) as "latestRuns"
  from sources s
  left join credentials c on c.id = s.credential_id
  left join schedule_groups g on g.id = s.schedule_group_id`;

function withAllModes(row: SourceView): SourceView {
  const latest: Record<string, LatestRun | null> = {};
  for (const m of RUN_MODES) latest[m] = (row.latestRuns?.[m] as LatestRun | undefined) ?? null;
  return { ...row, latestRuns: latest };
}

export async function listSources(db: Db, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute<SourceView>(
      sql`${VIEW} where s.deleted_at is null order by lower(s.name), s.id limit ${p.limit} offset ${p.offset}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from sources where deleted_at is null`),
  ]);
  return { items: items.rows.map(withAllModes), total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function getSource(db: Db | Tx, id: string): Promise<SourceView> {
  const r = await db.execute<SourceView>(sql`${VIEW} where s.id = ${id} and s.deleted_at is null`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', 'source not found');
  return withAllModes(r.rows[0]);
}

async function assertReferences(
  tx: Tx,
  input: { credentialId?: string | null; scheduleGroupId?: string | null },
): Promise<void> {
  if (input.credentialId) {
    const r = await tx.execute(sql`select 1 from credentials where id = ${input.credentialId} for share`);
    if (!r.rows[0]) {
      throw new AppError('VALIDATION_FAILED', 'body.credentialId: no credential with this id', {
        details: { field: 'body.credentialId' },
      });
    }
  }
  if (input.scheduleGroupId) {
    const r = await tx.execute(
      sql`select 1 from schedule_groups where id = ${input.scheduleGroupId} for share`,
    );
    if (!r.rows[0]) {
      throw new AppError('VALIDATION_FAILED', 'body.scheduleGroupId: no schedule group with this id', {
        details: { field: 'body.scheduleGroupId' },
      });
    }
  }
}

export interface SourceInput {
  name: string;
  type: string;
  config: unknown;
  credentialId?: string | null;
  scheduleGroupId?: string | null;
  enabled?: boolean;
}

export async function createSource(db: Db, actor: Actor, input: SourceInput): Promise<SourceView> {
  const config = parsePayload(typeSpec(input.type).config, input.config, 'body.config');
  return db.transaction(async (tx) => {
    await assertReferences(tx, input);
    if (typeof config.endpoint === 'string') await assertSourceUnique(tx, { endpoint: config.endpoint });
    let id: string;
    try {
      const r = await tx.execute<{ id: string }>(sql`
        insert into sources (name, type, config, credential_id, schedule_group_id, enabled)
        values (${input.name}, ${input.type}, ${JSON.stringify(config)}::jsonb, ${input.credentialId ?? null},
                ${input.scheduleGroupId ?? null}, ${input.enabled ?? true})
        returning id`);
      id = r.rows[0]!.id;
    } catch (err) {
      rethrowUnique(err, 'body.name', `a source named '${input.name}'`);
    }
    await audit(
      tx,
      actor,
      'source.create',
      { type: 'source', id },
      {
        name: input.name,
        type: input.type,
        endpoint: config.endpoint,
      },
    );
    return getSource(tx, id);
  });
}

export async function updateSource(
  db: Db,
  actor: Actor,
  id: string,
  input: Partial<Omit<SourceInput, 'type'>>,
): Promise<SourceView> {
  return db.transaction(async (tx) => {
    const cur = await tx.execute<{ type: string; instance_uuid: string | null }>(
      sql`select type, instance_uuid from sources where id = ${id} and deleted_at is null for update`,
    );
    if (!cur.rows[0]) throw new AppError('NOT_FOUND', 'source not found');
    const before = auditedSource(await getSource(tx, id));
    await assertReferences(tx, input);
    const sets: SQL[] = [sql`updated_at = now()`];
    if (input.name !== undefined) sets.push(sql`name = ${input.name}`);
    if (input.config !== undefined) {
      const config = parsePayload(typeSpec(cur.rows[0].type).config, input.config, 'body.config');
      if (typeof config.endpoint === 'string')
        await assertSourceUnique(tx, {
          id,
          endpoint: config.endpoint,
          instanceUuid: cur.rows[0].instance_uuid,
        });
      sets.push(sql`config = ${JSON.stringify(config)}::jsonb`);
    }
    if (input.credentialId !== undefined) sets.push(sql`credential_id = ${input.credentialId}`);
    if (input.scheduleGroupId !== undefined) sets.push(sql`schedule_group_id = ${input.scheduleGroupId}`);
    if (input.enabled !== undefined) sets.push(sql`enabled = ${input.enabled}`);
    try {
      await tx.execute(sql`update sources set ${sql.join(sets, sql`, `)} where id = ${id}`);
    } catch (err) {
      rethrowUnique(err, 'body.name', `a source named '${input.name}'`);
    }
    const after = await getSource(tx, id);
    await audit(
      tx,
      actor,
      'source.update',
      { type: 'source', id },
      { changed: Object.keys(input), changes: changesOf(before, auditedSource(after)) },
    );
    return after;
  });
}

/** What a source's audit entry compares: names rather than ids, the config without secrets. */
function auditedSource(s: SourceView): Record<string, unknown> {
  return {
    name: s.name,
    enabled: s.enabled,
    credential: s.credentialName,
    scheduleGroup: s.scheduleGroupName,
    ...auditedConfig(s.config),
  };
}

/** Soft delete; 409 while a run is queued or running (the worker would lose its source mid-run). */
export async function deleteSource(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Locking the source row makes a concurrent trigger (which reads it) wait or see it deleted.
    const cur = await tx.execute<{ name: string }>(
      sql`select name from sources where id = ${id} and deleted_at is null for update`,
    );
    if (!cur.rows[0]) throw new AppError('NOT_FOUND', 'source not found');
    const active = await tx.execute<{ id: string; mode: string; status: string }>(sql`
      select id, mode, status from runs where source_id = ${id} and status in ('queued', 'running')`);
    if (active.rows.length) {
      throw new AppError('CONFLICT', 'source has an active run; wait for it to finish or fail', {
        details: { runs: active.rows },
      });
    }
    await tx.execute(
      sql`update sources set deleted_at = now(), enabled = false, schedule_group_id = null, updated_at = now() where id = ${id}`,
    );
    await audit(tx, actor, 'source.delete', { type: 'source', id }, { name: cur.rows[0].name });
  });
}
