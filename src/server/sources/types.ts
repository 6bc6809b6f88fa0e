// Per source type: how its config and its credential payload are validated, and which credential fields
// are secret (encrypted, write-only) versus public (shown, e.g. the username).
import { z } from 'zod';
import { vcenterCredentialSchema, vcenterSourceConfigSchema } from '@/collector/source-config';
import { AppError } from '@/lib/errors';

interface SourceTypeSpec {
  config: z.ZodType<Record<string, unknown>>;
  credential: z.ZodType<Record<string, unknown>>;
  secretFields: string[];
}

const strict = <S extends z.ZodType>(s: S): S =>
  s instanceof z.ZodObject ? (s.strict() as unknown as S) : s;

export const SOURCE_TYPES: Record<string, SourceTypeSpec> = {
  vcenter: {
    config: strict(vcenterSourceConfigSchema) as unknown as z.ZodType<Record<string, unknown>>,
    credential: strict(vcenterCredentialSchema) as unknown as z.ZodType<Record<string, unknown>>,
    secretFields: ['password'],
  },
};
export const SOURCE_TYPE_NAMES = Object.keys(SOURCE_TYPES) as [string, ...string[]];

export function typeSpec(type: string): SourceTypeSpec {
  const spec = SOURCE_TYPES[type];
  if (!spec) {
    throw new AppError('VALIDATION_FAILED', `body.type: unknown source type '${type}'`, {
      details: { field: 'body.type', allowed: SOURCE_TYPE_NAMES },
    });
  }
  return spec;
}

/** Validates a per-type payload; the error names the field as `<where>.<path>` (e.g. body.config.endpoint). */
export function parsePayload(schema: z.ZodType<Record<string, unknown>>, value: unknown, where: string) {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const path = [where, ...i.path.map(String)].join('.');
    // Never echo the rejected value: it may be a password.
    const message = i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message;
    return { path, message };
  });
  throw new AppError('VALIDATION_FAILED', `${issues[0]!.path}: ${issues[0]!.message}`, {
    details: { issues },
  });
}
