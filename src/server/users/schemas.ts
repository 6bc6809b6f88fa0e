// API shapes for users, tokens and audit events (zod → OpenAPI).
import { z } from '@/server/http/openapi';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/password';

/** An RFC 3339 timestamp in UTC (`2026-12-01T07:04:37.569Z`); the contract check validates it. */
export const ts = () => z.iso.datetime().openapi({ format: 'date-time' });
const password = () => z.string().min(MIN_PASSWORD_LENGTH).max(1000);

export const userDetailSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(['admin', 'editor', 'user']),
    enabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: ts().nullable(),
    createdAt: ts(),
    updatedAt: ts(),
  })
  .openapi('UserDetail');

export const createUserBody = z.object({
  username: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
  displayName: z.string().max(200).nullable().optional(),
  role: z.enum(['admin', 'editor', 'user']),
  password: password().optional().openapi({ description: 'Omit to have one generated (returned once).' }),
});

export const createdUserSchema = userDetailSchema
  .extend({ generatedPassword: z.string().optional().openapi({ description: 'Shown once.' }) })
  .openapi('CreatedUser');

export const updateUserBody = z.object({
  displayName: z.string().max(200).nullable().optional(),
  role: z.enum(['admin', 'editor', 'user']).optional(),
  enabled: z.boolean().optional(),
});

export const resetPasswordBody = z.object({
  password: password().optional().openapi({ description: 'Omit to have one generated (returned once).' }),
});
export const resetPasswordResult = z.object({ generatedPassword: z.string().optional() });

export const tokenSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    username: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the token, to tell tokens apart.' }),
    createdAt: ts(),
    lastUsedAt: ts().nullable(),
    expiresAt: ts().nullable(),
    revokedAt: ts().nullable(),
  })
  .openapi('ApiToken');

export const createTokenBody = z.object({
  name: z.string().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const createdTokenSchema = tokenSchema
  .extend({
    token: z.string().openapi({ description: 'Use as `Authorization: Bearer <token>`. Shown once.' }),
  })
  .openapi('CreatedApiToken');

export const auditEventSchema = z
  .object({
    id: z.string(),
    ts: ts(),
    actorUserId: z.uuid().nullable(),
    actorLabel: z.string().nullable(),
    action: z.string(),
    outcome: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEvent');
