// API shapes of the CSV import (zod → OpenAPI).
import { z } from '@/server/http/openapi';
import { ts } from '@/server/users/schemas';
import { OUTCOMES } from './evaluate-import';
import { DELIMITERS, ENCODINGS } from './parse-import-file';

/** An answer lists a bounded number of rows, so its size does not grow with the file. */
const MAX_LISTED_ROWS = 5000;

const flag = () =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true');

export const importQuery = z.object({
  mode: z.enum(['dry-run', 'apply']).default('dry-run').openapi({ description: 'dry-run writes nothing.' }),
  strict: flag().openapi({ description: 'Apply nothing if any row is invalid.' }),
  clearEmpty: flag().openapi({
    description: 'An empty cell clears the value (default: leaves it as it is).',
  }),
  encoding: z.enum(ENCODINGS).default('auto'),
  delimiter: z.enum(Object.keys(DELIMITERS) as [keyof typeof DELIMITERS]).default('auto'),
  fileName: z.string().max(255).optional(),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .openapi({ description: 'csv: answer with the result report.' }),
  outcome: z.enum(OUTCOMES).optional().openapi({ description: 'Only rows with this outcome in `rows`.' }),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_LISTED_ROWS)
    .default(1000)
    .openapi({ description: 'Rows listed (the whole per-row result is the report: format=csv).' }),
});

const change = z.object({ field: z.string(), old: z.unknown(), new: z.unknown() });

export const importResultSchema = z
  .object({
    importId: z.uuid().nullable().openapi({ description: 'Set once applied (or rejected in strict mode).' }),
    mode: z.enum(['dry_run', 'apply']),
    status: z.enum(['dry_run', 'applied', 'rejected']),
    encoding: z.string(),
    delimiter: z.string(),
    columns: z.object({
      matchBy: z.array(z.string()),
      fields: z.array(z.object({ header: z.string(), key: z.string() })),
      overrides: z
        .array(z.object({ header: z.string(), key: z.enum(['name', 'primaryIp', 'os']) }))
        .openapi({ description: 'Override columns (override.name, override.primaryIp, override.os).' }),
      ignored: z.array(z.string()),
    }),
    summary: z.object({
      rows: z.number().int(),
      matched: z.number().int(),
      unmatched: z.number().int(),
      ambiguous: z.number().int(),
      invalid: z.number().int(),
      changed: z.number().int().openapi({ description: 'Matched rows that change something.' }),
    }),
    applied: z.number().int().openapi({ description: 'Assets changed by the apply.' }),
    rows: z.array(
      z.object({
        row: z.number().int(),
        outcome: z.enum(OUTCOMES),
        assetUuid: z.uuid().nullable(),
        assetName: z.string().nullable(),
        reason: z.string().nullable(),
        changes: z.array(change),
      }),
    ),
    rowsListed: z.number().int(),
  })
  .openapi('LedgerImportResult');

export const importListItem = z.object({
  id: z.uuid(),
  createdAt: ts(),
  createdBy: z.string().nullable(),
  fileName: z.string().nullable(),
  encoding: z.string(),
  delimiter: z.string(),
  strict: z.boolean(),
  summary: z.record(z.string(), z.number()),
});
