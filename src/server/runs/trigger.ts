// The one trigger service, used by the scheduler, the API and "run group now". The partial unique index
// runs_one_active_per_source_mode decides suppression; nothing here reads-then-writes.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import type { RunMode } from '@/collector/contract';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { createLogger, type Logger } from '@/lib/logger';
import { type RunRow, type RunTrigger } from './types';

const defaultLog = createLogger('runs');

export interface TriggerRunInput {
  sourceId: string;
  mode: RunMode;
  trigger: RunTrigger;
  requestedBy?: string | null;
  scheduleGroupId?: string | null;
}

export interface TriggerRunResult {
  run: RunRow;
  suppressed: boolean;
}

/** Modes the scheduler enqueues for a source type, in order (hosts first, so VM runs find them). */
export function scheduledModes(sourceType: string): RunMode[] {
  return sourceType === 'vcenter' ? ['collect_hosts', 'collect_vms'] : ['collect'];
}

/** The channel a trigger NOTIFYs (at its commit) and workers LISTEN on, to claim a new run at once. */
export const RUNS_CHANNEL = 'asset_ledger_runs';

async function enqueue(db: Db | Tx, input: TriggerRunInput): Promise<TriggerRunResult> {
  const maxAttempts = getConfig().RUN_MAX_ATTEMPTS;
  // A conflicting active run may finish between our insert and our read: then try again.
  for (let i = 0; i < 5; i++) {
    // clock_timestamp(): runs enqueued in one transaction still get increasing created_at (claim order).
    const inserted = await db.execute<RunRow>(sql`
      insert into runs (source_id, mode, trigger, requested_by, schedule_group_id, max_attempts, created_at, not_before)
      values (${input.sourceId}, ${input.mode}, ${input.trigger}, ${input.requestedBy ?? null},
              ${input.scheduleGroupId ?? null}, ${maxAttempts}, clock_timestamp(), clock_timestamp())
      on conflict (source_id, mode) where status in ('queued', 'running') do nothing
      returning *`);
    if (inserted.rows[0]) {
      await db.execute(sql`select pg_notify(${RUNS_CHANNEL}, '')`);
      return { run: inserted.rows[0], suppressed: false };
    }
    const active = await db.execute<RunRow>(sql`
      select * from runs where source_id = ${input.sourceId} and mode = ${input.mode}
        and status in ('queued', 'running') limit 1`);
    if (active.rows[0]) return { run: active.rows[0], suppressed: true };
  }
  throw new AppError('CONFLICT', 'could not enqueue the run: the active run kept changing');
}

const countBy = (modes: RunMode[]) =>
  modes.reduce<Record<string, number>>((acc, m) => ((acc[m] = (acc[m] ?? 0) + 1), acc), {});

/** Enqueues one run of a source; returns the active one instead when there is one (suppressed). */
export async function triggerRun(
  db: Db | Tx,
  input: TriggerRunInput,
  log: Logger = defaultLog,
): Promise<TriggerRunResult> {
  const src = await db.execute<{ id: string; name: string; deleted_at: Date | null }>(
    sql`select id, name, deleted_at from sources where id = ${input.sourceId}`,
  );
  if (!src.rows[0] || src.rows[0].deleted_at) throw new AppError('NOT_FOUND', 'source not found');
  const queued = await enqueue(db, input);
  // the run as GET /runs/{id} shows it, with its source's name (the queue's row has only the id)
  const result = { ...queued, run: { ...queued.run, source_name: src.rows[0].name } };
  log.info('run.trigger', {
    trigger: input.trigger,
    source_id: input.sourceId,
    run_id: result.run.id,
    suppressed: result.suppressed,
    queued_by_mode: countBy(result.suppressed ? [] : [input.mode]),
    skipped_active_by_mode: countBy(result.suppressed ? [input.mode] : []),
  });
  return result;
}

export interface TriggerGroupResult {
  queued: number;
  suppressed: number;
  skippedMissingCredential: number;
  runs: { sourceId: string; mode: RunMode; runId: string; suppressed: boolean }[];
}

/** Enqueues the runs of every enabled, non-deleted source of a group that has a credential. */
export async function triggerGroup(
  db: Db | Tx,
  groupId: string,
  trigger: RunTrigger,
  options: { requestedBy?: string | null; log?: Logger } = {},
): Promise<TriggerGroupResult> {
  const log = options.log ?? defaultLog;
  const group = await db.execute(sql`select id from schedule_groups where id = ${groupId}`);
  if (!group.rows[0]) throw new AppError('NOT_FOUND', 'schedule group not found');
  const srcs = await db.execute<{ id: string; type: string; credential_id: string | null }>(sql`
    select id, type, credential_id from sources
    where schedule_group_id = ${groupId} and enabled and deleted_at is null
    order by created_at, id`);
  const result: TriggerGroupResult = { queued: 0, suppressed: 0, skippedMissingCredential: 0, runs: [] };
  const queuedModes: RunMode[] = [];
  const skippedModes: RunMode[] = [];
  const skippedSources: string[] = [];
  for (const s of srcs.rows) {
    if (!s.credential_id) {
      result.skippedMissingCredential++;
      skippedSources.push(s.id);
      continue;
    }
    for (const mode of scheduledModes(s.type)) {
      const r = await enqueue(db, {
        sourceId: s.id,
        mode,
        trigger,
        requestedBy: options.requestedBy,
        scheduleGroupId: groupId,
      });
      result.runs.push({ sourceId: s.id, mode, runId: r.run.id, suppressed: r.suppressed });
      if (r.suppressed) {
        result.suppressed++;
        skippedModes.push(mode);
      } else {
        result.queued++;
        queuedModes.push(mode);
      }
    }
  }
  log.info('run.trigger_group', {
    trigger,
    schedule_group_id: groupId,
    sources: srcs.rows.length,
    queued_by_mode: countBy(queuedModes),
    skipped_active_by_mode: countBy(skippedModes),
    skipped_missing_credential: result.skippedMissingCredential,
    skipped_missing_credential_sources: skippedSources,
  });
  return result;
}
