// API shapes for runs (zod → OpenAPI). The API speaks camelCase like the other resources; the services
// return database-named rows (RunRow), mapped here — including the keys inside the JSON the worker stores
// in the collector contract's snake_case (stats, attempts, detect, warnings, errors). The pages use RunDto.
import { RUN_MODES } from '@/collector/contract';
import { pgTimestamptzToRfc3339 } from '@/db/timestamps';
import { camelKeys } from '@/lib/camel-case';
import { z } from '@/server/http/openapi';
import { paginationQuery } from '@/server/http/pagination';
import { ts } from '@/server/users/schemas';
import { RUN_STATUSES, RUN_TRIGGERS, type RunRow, type RunStatus, type RunTrigger } from './types';

export const runModeEnum = z.enum(RUN_MODES);

export const runProgressSchema = z
  .object({
    phase: z.string().openapi({
      description:
        'starting, collecting, done, failed, cancelled, queued, retry_wait (older runs: ingesting)',
    }),
    pluginPhase: z
      .string()
      .optional()
      .openapi({ description: "The plugin's own phase while collecting, e.g. inventory, hosts, vms" }),
    objects: z.number().int().optional().openapi({ description: 'Objects read so far' }),
    total: z.number().int().optional().openapi({ description: 'Objects expected, when the plugin knows' }),
    assets: z.number().int().optional(),
    relations: z.number().int().optional(),
    updatedAt: z
      .string()
      .optional()
      .openapi({ description: 'When this progress was written (at most about once a second)' }),
  })
  .catchall(z.unknown())
  .openapi('RunProgress', { description: 'Phase and counts while running; updated about once a second' });

export const runAttemptSchema = z
  .object({
    attempt: z.number().int(),
    startedAt: ts(),
    finishedAt: ts().optional().openapi({ description: 'Absent while the attempt runs' }),
    workerId: z.string().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('RunAttempt');
type RunAttempt = z.infer<typeof runAttemptSchema>;

export const runSchema = z
  .object({
    id: z.uuid(),
    sourceId: z.uuid(),
    sourceName: z.string().nullable(),
    mode: runModeEnum,
    status: z.enum(RUN_STATUSES as [RunStatus, ...RunStatus[]]),
    trigger: z.enum(RUN_TRIGGERS as [RunTrigger, ...RunTrigger[]]),
    requestedBy: z.uuid().nullable(),
    scheduleGroupId: z.uuid().nullable(),
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    attempts: z.array(runAttemptSchema).openapi({ description: 'One entry per attempt, oldest first' }),
    notBefore: ts().openapi({ description: 'A retry waits until then (backoff)' }),
    workerId: z.string().nullable(),
    heartbeatAt: ts().nullable(),
    createdAt: ts(),
    startedAt: ts().nullable(),
    finishedAt: ts().nullable(),
    progress: runProgressSchema.nullable(),
    cancelRequestedAt: ts()
      .nullable()
      .openapi({ description: 'When an admin asked to cancel this running run (POST /runs/{id}/cancel)' }),
    stats: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        'assets, new, changed, unchanged, missing, cameBack, relations, relationsUnresolved, inventoryComplete, pluginMs, ingestMs, roundTrips, …',
    }),
    warnings: z.array(z.unknown()).openapi({
      description:
        'code, message, count; FIELD_INVALID groups: field, count, examples [{externalKind, externalId, path, value}]',
    }),
    errors: z
      .array(z.unknown())
      .openapi({ description: "The plugin's errors (code, category, message, retryable, context)" }),
    errorCode: z.string().nullable().openapi({
      description: 'e.g. PLUGIN_TIMEOUT, PLUGIN_ERRORS, INVENTORY_INCOMPLETE, INGEST_FAILED (docs/runs.md)',
    }),
    errorMessage: z.string().nullable(),
    detect: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        'What detect found: targetVersion, build, instanceUuid, apiType, apiVersion, capabilities, driver',
    }),
  })
  .openapi('Run');
export type RunDto = z.infer<typeof runSchema>;

export function toRunDto(r: RunRow): RunDto {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name ?? null,
    mode: r.mode,
    status: r.status,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    scheduleGroupId: r.schedule_group_id,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    attempts: camelKeys<RunAttempt[]>(r.attempts).map(utcAttempt),
    notBefore: r.not_before,
    workerId: r.worker_id,
    heartbeatAt: r.heartbeat_at,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    progress: camelKeys(r.progress),
    cancelRequestedAt: r.cancel_requested_at ?? null,
    stats: camelKeys(r.stats),
    warnings: camelKeys(r.warnings),
    errors: camelKeys(r.errors),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    detect: camelKeys(r.detect),
  };
}

export const triggerRunBody = z.object({ mode: runModeEnum });

export const triggerRunResult = z
  .object({
    run: runSchema,
    suppressed: z
      .boolean()
      .openapi({ description: 'true: a run of this mode was already active; it is returned' }),
  })
  .openapi('TriggerRunResult');

export const triggerGroupResult = z
  .object({
    queued: z.number().int(),
    suppressed: z.number().int(),
    skippedMissingCredential: z.number().int(),
    runs: z.array(
      z.object({ sourceId: z.uuid(), mode: runModeEnum, runId: z.uuid(), suppressed: z.boolean() }),
    ),
  })
  .openapi('TriggerGroupResult');

/** Comma-separated list of enum values, e.g. `status=queued,running`. */
const csv = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const bad = list.filter((x) => !values.includes(x as T));
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown value(s) ${bad.join(', ')}; one of ${values.join(', ')}`,
        });
        return z.NEVER;
      }
      return list as T[];
    });

export const listRunsQuery = paginationQuery.extend({
  sourceId: z.uuid().optional(),
  status: csv(RUN_STATUSES).openapi({ description: `Comma-separated: ${RUN_STATUSES.join(', ')}` }),
  mode: csv(RUN_MODES).openapi({ description: `Comma-separated: ${RUN_MODES.join(', ')}` }),
  trigger: csv(RUN_TRIGGERS).openapi({ description: `Comma-separated: ${RUN_TRIGGERS.join(', ')}` }),
});

// Attempts written before their timestamps were (jsonb's `…+00:00`), as RFC 3339 UTC.
const utcAttempt = (a: RunAttempt): RunAttempt => ({
  ...a,
  startedAt: pgTimestamptzToRfc3339(a.startedAt),
  ...(a.finishedAt === undefined ? {} : { finishedAt: pgTimestamptzToRfc3339(a.finishedAt) }),
});
