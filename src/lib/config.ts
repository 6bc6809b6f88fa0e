// The one configuration module: every setting comes from the environment, parsed once with zod.
import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './client-address';
import { AppError } from './errors';

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  // Behind reverse proxies: which of them to believe about the client address (login throttling, audit).
  // false (default: the socket's peer), a hop count (`1`, `true` = 1), or addresses/CIDRs of the proxies;
  // the client is the right-most X-Forwarded-For entry that is not a trusted proxy (src/lib/client-address.ts).
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    }),
  // 32 bytes as 64 hex characters or base64. Encrypts credentials and signs session cookies.
  ASSET_LEDGER_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, '32 bytes as 64 hex characters or base64')
    .optional(),
  // Key rotation (npm run rotate-key): the key to re-encrypt credentials under, and older keys rows may
  // still use besides ASSET_LEDGER_SECRET_KEY (comma-separated).
  ASSET_LEDGER_NEW_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, '32 bytes as 64 hex characters or base64')
    .optional(),
  ASSET_LEDGER_OLD_SECRET_KEYS: z
    .string()
    .refine(
      (v) => v.split(',').every((k) => decodeKey(k) !== null),
      'comma-separated keys, each 32 bytes as 64 hex characters or base64',
    )
    .optional(),
  ASSET_LEDGER_ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  ASSET_LEDGER_DATA_DIR: z.string().min(1).default('./data'),
  SESSION_TTL_HOURS: intFrom(24, 1),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  WORKER_CONCURRENCY: intFrom(1, 1),
  RUN_TIMEOUT_SECONDS: intFrom(1800, 1),
  RUN_HEARTBEAT_SECONDS: intFrom(10, 1),
  RUN_STALE_SECONDS: intFrom(120, 5),
  RUN_MAX_ATTEMPTS: intFrom(3, 1),
  RUN_OUTPUT_LIMIT_MB: intFrom(1024, 1),
  // A retryable failure waits base × 2^(attempt-1) seconds (capped at 15 min) before the next attempt.
  RUN_RETRY_BASE_SECONDS: intFrom(30, 0),
  SCHEDULER_TICK_SECONDS: intFrom(30, 1),
  SCHEDULER_GRACE_MINUTES: intFrom(60, 0),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export function decodeKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const b = Buffer.from(v, 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

/** Parses an environment; throws CONFIG_INVALID with one line naming the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${name} must be ${describeIssue(issue)}`);
  }
  const cfg = parsed.data;
  return { ...cfg, dataDir: path.resolve(cfg.ASSET_LEDGER_DATA_DIR) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue) return `one of ${issue.values.join(', ')}`;
  if (issue.code === 'too_small' && 'minimum' in issue) return `at least ${issue.minimum}`;
  if (issue.code === 'too_big' && 'maximum' in issue) return `at most ${issue.maximum}`;
  if (issue.code === 'invalid_type') return `a ${issue.expected}`;
  return issue.message;
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
/** For tests and for start-up code that changes the environment (e.g. embedded DATABASE_URL). */
export function resetConfig(): void {
  cached = undefined;
}
