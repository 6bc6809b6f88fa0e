// The worker (DESIGN §5): claims queued runs from the runs table (the queue), runs the plugin, validates
// and ingests. Ownership of a run is (id, worker_id, attempt, status running); every write after the claim
// checks it, so a run recovered from a lost worker can never be finished twice.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '@/db/client';
import { rfc3339Sql, rfc3339Text } from '@/db/timestamps';
import { isDatabaseReadOnly, isDatabaseUnavailable } from '@/db/errors';
import { createOutageLog } from '@/db/outage-log';
import { getConfig } from '@/lib/config';
import { createLogger, errorFields, type Logger } from '@/lib/logger';
import { loadCredentialForPlugin } from '@/server/credentials/store';
import { keyring, type SecretKey } from '@/server/credentials/crypto';
import type { RunRow } from '@/server/runs/types';
import { RUNS_CHANNEL } from '@/server/runs/trigger';
import { isCollectMode, type CollectorRequest, type RunMode } from './contract';
import { FieldWarnings } from './field-invalid';
import { ingestStream, stepTimings, type IngestResult } from '@/ingest/ingest';
import { claimSourceInstance, sourceDuplicateFailure } from '@/server/identity/claim-source-instance';
import { PluginStream } from './plugin-stream';
import {
  PLUGIN_COMMANDS,
  RunFailureError,
  requestVersionOf,
  startPlugin,
  type PluginCommand,
  type PluginFailure,
} from './runner';

export type PluginCommandResolver = (sourceType: string, mode: RunMode) => PluginCommand | undefined;

export interface WorkerOptions {
  db: Db;
  log?: Logger;
  concurrency?: number;
  /** One command for every run (tests), or a resolver; default: PLUGIN_COMMANDS by source type. */
  pluginCommand?: PluginCommand | PluginCommandResolver;
  workerId?: string;
  pollMs?: number;
  heartbeatSeconds?: number;
  staleSeconds?: number;
  timeoutSeconds?: number;
  outputLimitBytes?: number;
  retryBaseSeconds?: number;
  secretKeys?: SecretKey[];
  /** Called inside the ingest transaction before the commit (tests use it to die mid-ingest). */
  beforeCommit?: (run: RunRow) => Promise<void>;
}

export interface WorkerHandle {
  workerId: string;
  /** Stops claiming; waits for in-flight runs, or after `timeoutMs` kills their plugins and requeues them. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves when no run is in flight and the queue had nothing due at the last poll (tests). */
  idle(): Promise<void>;
}

const MAX_BACKOFF_SECONDS = 15 * 60;
// An attempt's timestamps live in jsonb, where PostgreSQL would write them as `…+00:00`.
const NOW = rfc3339Sql(sql`now()`);
/** How often a running run looks for an admin's cancel. */
const cancelPollMs = 1000;
/** Progress reaches the run row at most this often. */
const PROGRESS_WRITE_MS = 1000;

/** How long a worker keeps trying to record a run's outcome while the database refuses writes. */
const OUTCOME_WRITE_PATIENCE_MS = 10 * 60 * 1000;

/** A run that failed because the database went read-only; the same run succeeds once it is writable. */
const readOnlyFailure = (detail: string): Omit<PluginFailure, 'ok'> => ({
  code: 'DATABASE_READ_ONLY',
  message: `the database is read-only (SQLSTATE 25006: a standby after a failover, or default_transaction_read_only); the ingest was rolled back, nothing was ingested; retried once it is writable (${detail})`,
  retryable: true,
});

/** Retryable database errors: serialization, deadlock, connection loss. */
const isTransientDbError = (err: unknown): boolean => {
  const code = (err as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (code === '40001' || code === '40P01' || code.startsWith('08') || code === '57P01')
  );
};

export function startWorker(options: WorkerOptions): WorkerHandle {
  const cfg = getConfig();
  const db = options.db;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = (options.log ?? createLogger('worker')).child({ worker_id: workerId });
  const concurrency = options.concurrency ?? cfg.WORKER_CONCURRENCY;
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = (options.heartbeatSeconds ?? cfg.RUN_HEARTBEAT_SECONDS) * 1000;
  const staleSeconds = options.staleSeconds ?? cfg.RUN_STALE_SECONDS;
  const timeoutMs = (options.timeoutSeconds ?? cfg.RUN_TIMEOUT_SECONDS) * 1000;
  const outputLimitBytes = options.outputLimitBytes ?? cfg.RUN_OUTPUT_LIMIT_MB * 1024 * 1024;
  const retryBase = options.retryBaseSeconds ?? cfg.RUN_RETRY_BASE_SECONDS;
  const resolveCommand: PluginCommandResolver =
    typeof options.pluginCommand === 'function'
      ? options.pluginCommand
      : options.pluginCommand
        ? () => options.pluginCommand as PluginCommand
        : (type) => PLUGIN_COMMANDS[type];

  let stopping = false;
  const abort = new AbortController();
  const wakers = new Set<() => void>();
  const wakeAll = () => [...wakers].forEach((w) => w());
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  let lastPollEmpty = false;

  const checkIdle = () => {
    if (inFlight === 0 && lastPollEmpty) {
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach((f) => f());
    }
  };

  async function recoverStale(): Promise<void> {
    const r = await db.execute<{ id: string; status: string; attempt: number }>(sql`
      with stale as (
        -- A run an admin asked to cancel is not retried: it ends cancelled (its worker rolled back or died).
        select id, (cancel_requested_at is null and attempt < max_attempts and not exists (
                      select 1 from jsonb_array_elements(attempts) e where e->>'errorCode' = 'WORKER_LOST')) as requeue,
               cancel_requested_at is not null as cancelled
        from runs
        where status = 'running' and heartbeat_at < now() - make_interval(secs => ${staleSeconds})
        for update skip locked
      )
      update runs r set
        status = case when s.requeue then 'queued'::run_status
                      when s.cancelled then 'cancelled'::run_status else 'failed'::run_status end,
        attempt = case when s.requeue then r.attempt + 1 else r.attempt end,
        worker_id = null, heartbeat_at = null, not_before = now(),
        finished_at = case when s.requeue then null else now() end,
        error_code = case when s.cancelled then 'RUN_CANCELLED' else 'WORKER_LOST' end,
        error_message = ${`the worker stopped sending heartbeats for more than ${staleSeconds} s`},
        progress = jsonb_build_object('phase', case when s.requeue then 'queued'
                                                    when s.cancelled then 'cancelled' else 'failed' end),
        attempts = case when jsonb_array_length(r.attempts) = 0 then r.attempts else jsonb_set(r.attempts,
          array[(jsonb_array_length(r.attempts) - 1)::text],
          (r.attempts -> -1) || jsonb_build_object('finishedAt', ${NOW}, 'errorCode', 'WORKER_LOST',
            'errorMessage', 'no heartbeat')) end
      from stale s where r.id = s.id
      returning r.id, r.status::text as status, r.attempt`);
    for (const row of r.rows)
      log.warn('run.stale_recovered', { run_id: row.id, status: row.status, attempt: row.attempt });
  }

  async function claim(): Promise<RunRow | null> {
    const r = await db.execute<RunRow>(sql`
      with next as (
        -- Hosts first: a VMs run waits while an earlier hosts run of its source is running or due, so
        -- its runs_on relations find the hosts. A hosts run that failed, or waits out a retry backoff,
        -- does not hold it back: the two runs stay independent.
        select id from runs q where q.status = 'queued' and q.not_before <= now()
          and not (q.mode = 'collect_vms' and exists (
            select 1 from runs h where h.source_id = q.source_id and h.mode = 'collect_hosts'
              and h.created_at <= q.created_at and h.id <> q.id
              and (h.status = 'running' or (h.status = 'queued' and h.not_before <= now()))))
        order by q.created_at, q.id limit 1 for update skip locked
      )
      update runs r set status = 'running', worker_id = ${workerId}, heartbeat_at = now(),
        started_at = coalesce(r.started_at, now()), finished_at = null,
        progress = jsonb_build_object('phase', 'starting'),
        attempts = r.attempts || jsonb_build_array(jsonb_build_object(
          'attempt', r.attempt, 'startedAt', ${NOW}, 'workerId', ${workerId}::text))
      from next where r.id = next.id
      returning r.*`);
    return r.rows[0] ?? null;
  }

  const owned = (run: RunRow) =>
    sql`id = ${run.id} and worker_id = ${workerId} and status = 'running' and attempt = ${run.attempt}`;

  async function setProgress(run: RunRow, progress: Record<string, unknown>): Promise<void> {
    await db.execute(sql`update runs set progress = ${JSON.stringify(progress)}::jsonb where ${owned(run)}`);
  }

  const patchLastAttempt = (patch: Record<string, unknown>) =>
    sql`jsonb_set(attempts, array[(jsonb_array_length(attempts) - 1)::text],
                  (attempts -> -1) || jsonb_build_object('finishedAt', ${NOW}) || ${JSON.stringify(patch)}::jsonb)`;

  /**
   * Records a failure. While the database is unreachable or read-only (a failover) the write is tried again
   * — the run must not stay `running` until it goes stale — and an ingest that failed because the
   * connection died in the failover is recorded as what it was: DATABASE_READ_ONLY.
   */
  async function fail(run: RunRow, first: Omit<PluginFailure, 'ok'>): Promise<void> {
    let f = first;
    const deadline = Date.now() + OUTCOME_WRITE_PATIENCE_MS;
    for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        return await writeFailure(run, f);
      } catch (err) {
        if (!isDatabaseUnavailable(err) || stopping || Date.now() > deadline) throw err;
        if (isDatabaseReadOnly(err) && f.code === 'INGEST_FAILED') f = readOnlyFailure(f.message);
        log.warn('run.outcome_write_retry', {
          run_id: run.id,
          failure: f.code,
          read_only: isDatabaseReadOnly(err),
          ...errorFields(err),
        });
        await sleep(wait);
      }
    }
  }

  async function writeFailure(run: RunRow, f: Omit<PluginFailure, 'ok'>): Promise<void> {
    const retry = f.retryable && run.attempt < run.max_attempts;
    const backoff = Math.min(retryBase * 2 ** (run.attempt - 1), MAX_BACKOFF_SECONDS);
    const r = await db.execute(sql`
      update runs set
        status = ${retry ? 'queued' : 'failed'}::run_status,
        attempt = ${retry ? run.attempt + 1 : run.attempt},
        not_before = now() + make_interval(secs => ${retry ? backoff : 0}),
        worker_id = null, heartbeat_at = null,
        finished_at = ${retry ? null : sql`now()`},
        error_code = ${f.code}, error_message = ${f.message},
        errors = ${JSON.stringify(f.errors ?? [])}::jsonb,
        warnings = ${JSON.stringify(f.warnings ?? [])}::jsonb,
        progress = ${JSON.stringify({ phase: retry ? 'retry_wait' : 'failed', stderr_tail: f.stderrTail?.slice(-2000) || undefined })}::jsonb,
        attempts = ${patchLastAttempt({ errorCode: f.code, errorMessage: f.message })}
      where ${owned(run)}`);
    const fields = {
      run_id: run.id,
      source_id: run.source_id,
      mode: run.mode,
      attempt: run.attempt,
      error_code: f.code,
      error: f.message,
      retry,
      retry_in_seconds: retry ? backoff : undefined,
      plugin_error_codes: f.errors?.map((e) => e.code),
    };
    if (r.rowCount === 0) log.warn('run.lost_ownership', fields);
    else log.warn(retry ? 'run.retry_scheduled' : 'run.failed', fields);
  }

  /** Puts a run this worker stopped back in the queue without spending an attempt. */
  async function release(run: RunRow): Promise<void> {
    await db.execute(sql`
      update runs set status = 'queued', worker_id = null, heartbeat_at = null, not_before = now(),
        progress = jsonb_build_object('phase', 'queued'),
        attempts = ${patchLastAttempt({ errorCode: 'WORKER_STOPPED', errorMessage: 'released by a stopping worker' })}
      where ${owned(run)}`);
    log.info('run.released', { run_id: run.id });
  }

  /** Ends a run an admin cancelled: nothing was ingested (the caller rolled back). */
  async function markCancelled(run: RunRow, stats: Record<string, unknown>): Promise<void> {
    const r = await db.execute(sql`
      update runs set status = 'cancelled', finished_at = now(), worker_id = null, heartbeat_at = null,
        error_code = 'RUN_CANCELLED', error_message = 'the run was cancelled; nothing was ingested',
        stats = ${JSON.stringify(stats)}::jsonb,
        progress = jsonb_build_object('phase', 'cancelled'),
        attempts = ${patchLastAttempt({ errorCode: 'RUN_CANCELLED', errorMessage: 'cancelled' })}
      where ${owned(run)}`);
    log.info(r.rowCount ? 'run.cancelled' : 'run.lost_ownership', { run_id: run.id });
  }

  /**
   * Runs the plugin and streams its output into ingest inside one transaction, which commits together with
   * the run's success or rolls back entirely. Failures of the plugin or its output reach here as
   * RunFailureError thrown through ingest's pull of items.
   */
  async function collectAndIngest(
    run: RunRow,
    command: PluginCommand,
    request: CollectorRequest,
    lost: AbortSignal,
    cancel: AbortController,
    rlog: Logger,
  ): Promise<void> {
    const fields = new FieldWarnings();
    const plugin = startPlugin(command, request, {
      timeoutMs,
      outputLimitBytes,
      signal: lost,
      cancelSignal: cancel.signal,
      fields,
    });
    // Progress lines reach the run row at most once per PROGRESS_WRITE_MS.
    let lastWrite = 0;
    let writing: Promise<void> | undefined;
    const stream = new PluginStream(plugin, {
      mode: run.mode,
      fields,
      onProgress: (p) => {
        const now = Date.now();
        if (writing || now - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = now;
        writing = setProgress(run, { phase: 'collecting', ...p, updatedAt: new Date(now).toISOString() })
          .catch((err) => rlog.warn('run.progress_failed', errorFields(err)))
          .finally(() => (writing = undefined));
      },
    });
    const collectedAt = new Date();
    const pluginStats = () => ({
      plugin_ms: plugin.durationMs(),
      output_bytes: plugin.outputBytes(),
      contract: stream.end?.version,
      ...stream.end?.stats,
    });
    const client = await db.$client.connect().catch((err: unknown) => {
      plugin.kill(); // nobody will read its output
      throw err;
    });
    const t0 = Date.now();
    let ingest: IngestResult | null = null;
    try {
      await client.query('begin');
      if (isCollectMode(run.mode)) {
        rlog.info('run.ingest_started');
        ingest = await ingestStream(client, {
          runId: run.id,
          sourceId: run.source_id,
          mode: run.mode,
          collectedAt,
          items: stream.items(),
          end: async () => ({ inventoryComplete: stream.end?.stats.inventory_complete === true }),
        });
      } else {
        await stream.drain();
      }
      await writing;
      // The vCenter that answered (its end line names it) must not be another source's: a duplicate rolls
      // back everything this run ingested.
      const instanceUuid = stream.end?.detect?.instance_uuid;
      const duplicateOf = instanceUuid
        ? await claimSourceInstance(client, run.source_id, instanceUuid)
        : null;
      if (duplicateOf) throw new RunFailureError(sourceDuplicateFailure(duplicateOf, instanceUuid!));
      if (options.beforeCommit) await options.beforeCommit(run);
      const stats = {
        ...pluginStats(),
        // per step: where a slow run's time went (the step list is src/ingest/steps/index.ts)
        ...(ingest
          ? { ...ingest.stats, ingest_ms: Date.now() - t0, ingest_steps: stepTimings(ingest.timings) }
          : {}),
      };
      const warnings = [...stream.allWarnings(), ...(ingest?.warnings ?? [])];
      const done = await client.query(
        // clock_timestamp(), not now(): this transaction began when the plugin started, now() is that moment.
        `update runs set status = 'succeeded', finished_at = clock_timestamp(), worker_id = worker_id,
           heartbeat_at = clock_timestamp(),
           stats = $5::jsonb, warnings = $6::jsonb, errors = '[]'::jsonb, error_code = null, error_message = null,
           detect = coalesce($7::jsonb, detect), progress = $8::jsonb,
           attempts = jsonb_set(attempts, array[(jsonb_array_length(attempts) - 1)::text],
                                (attempts -> -1) || jsonb_build_object('finishedAt', ${rfc3339Text('clock_timestamp()')}))
         where id = $1 and worker_id = $2 and status = 'running' and attempt = $3 and $4::boolean
           and cancel_requested_at is null`,
        [
          run.id,
          workerId,
          run.attempt,
          true,
          JSON.stringify(stats),
          JSON.stringify(warnings),
          stream.end?.detect ? JSON.stringify(stream.end.detect) : null,
          JSON.stringify({
            phase: 'done',
            objects: stream.assets,
            assets: ingest?.stats.assets,
            relations: ingest?.stats.relations,
          }),
        ],
      );
      if (done.rowCount === 0) {
        // Cancelled just now, or recovered by another worker meanwhile: this attempt's work must not land.
        await client.query('rollback');
        const still = await db.execute<{ cancel: boolean }>(
          sql`select cancel_requested_at is not null as cancel from runs where ${owned(run)}`,
        );
        if (still.rows[0]?.cancel) return await markCancelled(run, pluginStats());
        rlog.warn('run.lost_ownership', { reason: 'run no longer owned at commit' });
        return;
      }
      await client.query('commit');
      rlog.info('run.succeeded', { ...stats, warnings: warnings.length });
    } catch (err) {
      plugin.kill();
      await client.query('rollback').catch(() => {});
      if (err instanceof RunFailureError) {
        const f = err.failure;
        if (f.code === 'WORKER_STOPPED') return await release(run);
        if (f.code === 'RUN_CANCELLED') return await markCancelled(run, pluginStats());
        return await fail(run, { ...f, warnings: f.warnings ?? stream.allWarnings() });
      }
      rlog.error('run.ingest_failed', errorFields(err));
      if (isDatabaseReadOnly(err)) return await fail(run, readOnlyFailure((err as Error).message));
      return await fail(run, {
        code: 'INGEST_FAILED',
        message: `ingest failed and was rolled back: ${(err as Error).message}`,
        retryable: isTransientDbError(err),
      });
    } finally {
      client.release();
    }
  }

  async function execute(run: RunRow): Promise<void> {
    const rlog = log.child({
      run_id: run.id,
      source_id: run.source_id,
      mode: run.mode,
      attempt: run.attempt,
    });
    rlog.info('run.started');
    const lost = new AbortController();
    const cancel = new AbortController();
    const onStop = () => lost.abort();
    abort.signal.addEventListener('abort', onStop);
    // Every cancelPollMs: a heartbeat when one is due, else a look at the cancel flag only (a read), so an
    // admin's cancel is noticed within about a second without a write per second.
    let beating = false;
    let lastBeat = Date.now();
    const heartbeat = setInterval(
      () => {
        if (beating) return;
        beating = true;
        const beat = Date.now() - lastBeat >= heartbeatMs - 50;
        const q = beat
          ? sql`update runs set heartbeat_at = now() where ${owned(run)}
              returning cancel_requested_at is not null as cancel`
          : sql`select cancel_requested_at is not null as cancel from runs where ${owned(run)}`;
        db.execute<{ cancel: boolean }>(q)
          .then((r) => {
            if (beat) lastBeat = Date.now();
            if (r.rows.length === 0) {
              rlog.warn('run.lost_ownership', { reason: 'heartbeat matched no row' });
              lost.abort();
            } else if (r.rows[0]?.cancel && !cancel.signal.aborted) {
              rlog.info('run.cancel_noticed');
              cancel.abort();
            }
          })
          .catch((err) => rlog.warn('run.heartbeat_failed', errorFields(err)))
          .finally(() => (beating = false));
      },
      Math.min(heartbeatMs, cancelPollMs),
    );
    try {
      const src = await db.execute<{
        id: string;
        type: string;
        config: Record<string, unknown>;
        credential_id: string | null;
        deleted_at: Date | null;
      }>(sql`select id, type, config, credential_id, deleted_at from sources where id = ${run.source_id}`);
      const source = src.rows[0];
      if (!source || source.deleted_at) {
        return await fail(run, {
          code: 'SOURCE_MISSING',
          message: 'the source of this run no longer exists',
          retryable: false,
        });
      }
      if (!source.credential_id) {
        return await fail(run, {
          code: 'CREDENTIAL_MISSING',
          message: 'the source has no credential; assign one and run again',
          retryable: false,
        });
      }
      let credential: Record<string, unknown> | null;
      try {
        credential = await loadCredentialForPlugin(db, source.credential_id, options.secretKeys ?? keyring());
      } catch (err) {
        return await fail(run, {
          code: 'CREDENTIAL_UNREADABLE',
          message: `the credential cannot be decrypted (${(err as Error).message}); check ASSET_LEDGER_SECRET_KEY or re-enter the password`,
          retryable: false,
        });
      }
      if (!credential) {
        return await fail(run, {
          code: 'CREDENTIAL_MISSING',
          message: 'the credential of the source no longer exists',
          retryable: false,
        });
      }
      const command = resolveCommand(source.type, run.mode);
      if (!command) {
        return await fail(run, {
          code: 'PLUGIN_MISSING',
          message: `no plugin for source type ${source.type}`,
          retryable: false,
        });
      }
      const request: CollectorRequest = {
        schema_version: requestVersionOf(command),
        source: { source_id: source.id, source_type: source.type, config: source.config, credential },
        request: { run_id: run.id, mode: run.mode, now: new Date().toISOString() },
      };
      await setProgress(run, { phase: 'collecting' });
      await collectAndIngest(run, command, request, lost.signal, cancel, rlog);
      credential = null;
    } catch (err) {
      rlog.error('run.worker_error', errorFields(err));
      await fail(run, {
        code: 'INGEST_FAILED',
        message: `worker error: ${(err as Error).message}`,
        retryable: isTransientDbError(err),
      }).catch((e) => rlog.error('run.fail_update_failed', errorFields(e)));
    } finally {
      clearInterval(heartbeat);
      abort.signal.removeEventListener('abort', onStop);
    }
  }

  // Woken by the NOTIFY of a trigger (src/server/runs/trigger.ts): a run someone starts is claimed at once,
  // not at the next poll (up to a second later). Polling stays the fallback — retries come due by time, and
  // a lost listening connection is only logged and opened again.
  let listener: pg.PoolClient | null = null;
  async function listen(): Promise<void> {
    if (stopping) return;
    let client: pg.PoolClient | null = null;
    try {
      client = await db.$client.connect();
      const c = client;
      c.on('notification', wakeAll);
      c.on('error', (err) => {
        log.warn('worker.listen_lost', errorFields(err));
        if (listener === c) listener = null;
        c.release(true);
        setTimeout(() => void listen(), 5000).unref();
      });
      await c.query(`LISTEN ${RUNS_CHANNEL}`);
      if (stopping) c.release(true);
      else listener = c;
    } catch (err) {
      log.warn('worker.listen_failed', errorFields(err));
      client?.release(true);
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const w = () => {
        clearTimeout(t);
        wakers.delete(w);
        resolve();
      };
      const t = setTimeout(w, ms);
      wakers.add(w);
    });

  const pollLog = createOutageLog(log, 'worker', 'worker.poll_failed');
  async function slot(index: number): Promise<void> {
    while (!stopping) {
      let run: RunRow | null = null;
      try {
        if (index === 0) await recoverStale();
        run = await claim();
        pollLog.ok();
      } catch (err) {
        pollLog.failed(err);
      }
      if (!run) {
        lastPollEmpty = inFlight === 0;
        checkIdle();
        if (!stopping) await sleep(pollMs + Math.floor(Math.random() * 100));
        continue;
      }
      lastPollEmpty = false;
      inFlight++;
      try {
        await execute(run);
      } finally {
        inFlight--;
      }
    }
  }

  log.info('worker.started', { concurrency });
  void listen();
  const slots = Array.from({ length: concurrency }, (_, i) => slot(i));

  return {
    workerId,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wakeAll();
      }),
    async stop({ timeoutMs } = {}) {
      stopping = true;
      wakeAll();
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs !== undefined) timer = setTimeout(() => abort.abort(), timeoutMs);
      await Promise.all(slots);
      if (timer) clearTimeout(timer);
      // destroyed, not returned: a pooled connection must not keep listening
      listener?.release(true);
      listener = null;
      log.info('worker.stopped');
    },
  };
}
