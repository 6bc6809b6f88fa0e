// Builds pipeline fixtures directly in the database (faster than going through the API).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { secretKeyFrom, type SecretKey } from '@/server/credentials/crypto';
import { createCredential } from '@/server/credentials/store';
import { ingestRun, type IngestResult } from '@/ingest/ingest';
import type { CollectorResponse, RunMode } from '@/collector/contract';

export const TEST_KEY: SecretKey = secretKeyFrom('a'.repeat(64));

export async function createSource(
  db: Db,
  opts: {
    name?: string;
    config?: Record<string, unknown>;
    credential?: { username: string; password: string } | null;
    scheduleGroupId?: string | null;
    enabled?: boolean;
    type?: string;
  } = {},
): Promise<{ id: string; credentialId: string | null }> {
  const name = opts.name ?? `src-${randomBytes(3).toString('hex')}`;
  let credentialId: string | null = null;
  if (opts.credential !== null) {
    const c = opts.credential ?? { username: 'ledger@vsphere.local', password: 'ledger-pass' };
    credentialId = (
      await createCredential(
        db,
        {
          name: `cred-${name}`,
          type: 'vcenter',
          publicData: { username: c.username },
          secret: { password: c.password },
        },
        TEST_KEY,
      )
    ).id;
  }
  const r = await db.execute<{ id: string }>(sql`
    insert into sources (name, type, config, credential_id, schedule_group_id, enabled)
    values (${name}, ${opts.type ?? 'vcenter'}, ${JSON.stringify(opts.config ?? { endpoint: 'https://127.0.0.1:1' })}::jsonb,
            ${credentialId}, ${opts.scheduleGroupId ?? null}, ${opts.enabled ?? true})
    returning id`);
  return { id: r.rows[0]!.id, credentialId };
}

export async function createGroup(
  db: Db,
  opts: {
    name?: string;
    timezone?: string;
    timeOfDay?: string;
    cron?: string | null;
    lastFiredFor?: Date | null;
  } = {},
): Promise<string> {
  const r = await db.execute<{ id: string }>(sql`
    insert into schedule_groups (name, timezone, time_of_day, cron, last_fired_for)
    values (${opts.name ?? `grp-${randomBytes(3).toString('hex')}`}, ${opts.timezone ?? 'UTC'},
            ${opts.timeOfDay ?? '02:00'}, ${opts.cron ?? null}, ${opts.lastFiredFor?.toISOString() ?? null})
    returning id`);
  return r.rows[0]!.id;
}

/** A run row in state running, as if claimed, for ingest-level tests. */
export async function createRunningRun(db: Db, sourceId: string, mode: RunMode): Promise<string> {
  const r = await db.execute<{ id: string }>(sql`
    insert into runs (source_id, mode, trigger, status, worker_id, heartbeat_at, started_at)
    values (${sourceId}, ${mode}, 'manual', 'running', 'test', now(), now()) returning id`);
  return r.rows[0]!.id;
}

/** Ingests a response in its own transaction and marks the run succeeded, like the worker does. */
export async function ingestResponse(
  db: Db,
  sourceId: string,
  mode: RunMode,
  response: CollectorResponse,
  collectedAt = new Date(),
): Promise<IngestResult & { runId: string }> {
  const runId = await createRunningRun(db, sourceId, mode);
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    const result = await ingestRun(client, {
      runId,
      sourceId,
      mode,
      collectedAt,
      assets: response.assets,
      relations: response.relations,
      inventoryComplete: response.stats.inventory_complete,
    });
    await client.query(
      `update runs set status = 'succeeded', finished_at = now(), stats = $2 where id = $1`,
      [runId, JSON.stringify(result.stats)],
    );
    await client.query('commit');
    return { ...result, runId };
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

export async function rows<T extends Record<string, unknown>>(
  db: Db,
  q: ReturnType<typeof sql>,
): Promise<T[]> {
  return (await db.execute<T>(q)).rows as T[];
}

/** Runs a worker until the queue has nothing due and nothing is in flight, then stops it. */
export async function runWorkerUntilIdle(
  db: Db,
  options: Partial<import('@/collector/worker').WorkerOptions> = {},
): Promise<void> {
  const { startWorker } = await import('@/collector/worker');
  const w = startWorker({ db, secretKeys: [TEST_KEY], pollMs: 100, retryBaseSeconds: 0, ...options });
  try {
    await w.idle();
  } finally {
    await w.stop();
  }
}

export const WRAPPER = { command: process.execPath, args: ['test/pipeline-plugin-wrapper.mjs'] };

export async function runOf(db: Db, id: string) {
  return (await db.execute<import('@/server/runs/types').RunRow>(sql`select * from runs where id = ${id}`))
    .rows[0]!;
}
