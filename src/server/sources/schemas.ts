// API shapes for credentials, sources and schedule groups (zod → OpenAPI).
import { vcenterCredentialSchema, vcenterSourceConfigSchema } from '@/collector/source-config';
import { z } from '@/server/http/openapi';
import { ts } from '@/server/users/schemas';
import { RUN_MODES } from './service';
import { SOURCE_TYPE_NAMES } from './types';

const name = () => z.string().trim().min(1).max(200);
export const sourceTypeEnum = z.enum(SOURCE_TYPE_NAMES);

// ---------------------------------------------------------------- credentials
export const credentialSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.string(),
    publicData: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The non-secret part (vCenter: username). The secret is never returned.' }),
    secretSet: z.boolean(),
    usedBySources: z.number().int(),
    createdAt: ts(),
    updatedAt: ts(),
  })
  .openapi('Credential');

export const createCredentialBody = z.object({
  name: name(),
  type: sourceTypeEnum,
  data: vcenterCredentialSchema.openapi({
    description: 'Per type. vCenter: {username, password}; the password is write-only.',
  }),
});

export const updateCredentialBody = z.object({
  name: name().optional(),
  data: vcenterCredentialSchema
    .partial()
    .openapi({ description: 'Fields to change; omit the password to keep the stored one.' })
    .optional(),
});

// ---------------------------------------------------------------- sources
const latestRunSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  trigger: z.string(),
  createdAt: ts(),
  startedAt: ts().nullable(),
  finishedAt: ts().nullable(),
  errorCode: z.string().nullable(),
});

export const sourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.string(),
    config: z.record(z.string(), z.unknown()),
    credentialId: z.uuid().nullable(),
    credentialName: z.string().nullable(),
    scheduleGroupId: z.uuid().nullable(),
    scheduleGroupName: z.string().nullable(),
    enabled: z.boolean(),
    instanceUuid: z.string().nullable().openapi({
      description:
        'The vCenter’s about.instanceUuid as its latest run reported it. Two live sources may not share one.',
    }),
    instanceUuidSeenAt: ts().nullable(),
    createdAt: ts(),
    updatedAt: ts(),
    latestRuns: z
      .record(z.enum(RUN_MODES), latestRunSchema.nullable())
      .openapi({ description: 'The latest run of each mode (null when never run).' }),
  })
  .openapi('Source');

export const createSourceBody = z.object({
  name: name(),
  type: sourceTypeEnum,
  config: vcenterSourceConfigSchema.openapi({
    description: 'Per type. vCenter: endpoint (https URL) and TLS options.',
  }),
  credentialId: z.uuid().nullable().optional(),
  scheduleGroupId: z.uuid().nullable().optional(),
  enabled: z.boolean().optional(),
});

export const testConnectionBody = createSourceBody
  .extend({
    name: name().optional(),
    sourceId: z.uuid().optional().openapi({
      description: 'The source being edited, if it exists: the audit entry points at it.',
    }),
  })
  .openapi({ description: 'A source create body (the name may be left out), as the form holds it.' });

export const connectionTestSchema = z
  .object({
    ok: z.boolean(),
    durationMs: z.number().int(),
    server: z
      .object({
        version: z.string().optional(),
        serverTime: z.iso.datetime().optional(),
        instanceUuid: z.string().optional(),
      })
      .optional()
      .openapi({ description: 'What the vCenter reported (when the healthcheck succeeded).' }),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        retryable: z.boolean().optional(),
        context: z.record(z.string(), z.unknown()).optional(),
      })
      .optional()
      .openapi({
        description:
          'Why it failed: the same codes as a failed run (e.g. VCENTER_AUTH_FAILED, VCENTER_TLS_ERROR with context.serverThumbprintSha256 to pin).',
      }),
  })
  .openapi('ConnectionTest');

export const updateSourceBody = z.object({
  name: name().optional(),
  config: vcenterSourceConfigSchema.optional().openapi({ description: 'Replaces the whole config.' }),
  credentialId: z.uuid().nullable().optional(),
  scheduleGroupId: z.uuid().nullable().optional(),
  enabled: z.boolean().optional(),
});

// ---------------------------------------------------------------- schedule groups
export const scheduleGroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    enabled: z.boolean(),
    timezone: z.string(),
    timeOfDay: z.string(),
    cron: z.string().nullable(),
    lastFiredFor: ts().nullable(),
    nextFireAt: ts().nullable().openapi({ description: 'Next scheduled instant (null when disabled).' }),
    sources: z.array(z.object({ id: z.uuid(), name: z.string(), enabled: z.boolean() })),
    createdAt: ts(),
    updatedAt: ts(),
  })
  .openapi('ScheduleGroup');

const timeOfDay = () => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm (00:00–23:59)');
const cron = () => z.string().trim().min(1).max(200).nullable();
const sourceIds = () =>
  z
    .array(z.uuid())
    .max(10_000)
    .openapi({ description: 'The group’s members (replaces them; moves sources from other groups).' });

export const createGroupBody = z.object({
  name: name(),
  enabled: z.boolean().optional(),
  timezone: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'IANA zone, e.g. Europe/Berlin (default UTC).' }),
  timeOfDay: timeOfDay().optional().openapi({ description: 'Daily at HH:mm local time (default 02:00).' }),
  cron: cron().optional().openapi({ description: 'A cron pattern used instead of timeOfDay.' }),
  sourceIds: sourceIds().optional(),
});

export const updateGroupBody = createGroupBody.partial();
