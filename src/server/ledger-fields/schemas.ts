// API shapes for ledger fields and an asset's ledger (zod → OpenAPI).
import { z } from '@/server/http/openapi';
import { ts } from '@/server/users/schemas';
import { ASSET_KINDS } from '@/server/assets/service';
import { assetFilterQuery } from '@/server/assets/schemas';
import { LEDGER_FIELD_TYPES, type LedgerField } from './fields';
import { MAX_BULK_IDS } from './bulk-set-ledger-values';

const label = z
  .object({
    en: z.string().trim().min(1).max(200),
    zhCN: z.string().trim().min(1).max(200).openapi({ description: 'The label in 简体中文.' }),
  })
  .strict();

export const ledgerFieldSchema = z
  .object({
    key: z.string(),
    label,
    type: z.enum(LEDGER_FIELD_TYPES),
    options: z.array(z.string()),
    kinds: z.array(z.enum(ASSET_KINDS)),
    unique: z.boolean(),
    builtin: z.boolean(),
    position: z.number().int(),
    archived: z.boolean(),
    archivedAt: ts().nullable(),
    createdAt: ts(),
    updatedAt: ts(),
  })
  .openapi('LedgerField');

export function ledgerFieldOut(f: LedgerField) {
  return {
    key: f.key,
    label: { en: f.label.en, zhCN: f.label['zh-CN'] },
    type: f.type,
    options: f.options,
    kinds: f.kinds,
    unique: f.unique,
    builtin: f.builtin,
    position: f.position,
    archived: f.archivedAt !== null,
    archivedAt: f.archivedAt,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

const kinds = z.array(z.enum(ASSET_KINDS)).min(1).max(3);
const options = z.array(z.string().max(200)).max(200);

export const createLedgerFieldBody = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter, at most 40'),
  label,
  type: z.enum(LEDGER_FIELD_TYPES),
  options: options.optional().openapi({ description: 'Allowed values of an enum field.' }),
  kinds: kinds.optional().openapi({ description: 'Asset kinds the field applies to (default all).' }),
  unique: z.boolean().optional(),
  position: z.number().int().min(0).max(100000).optional(),
});

export const updateLedgerFieldBody = z.object({
  label: label.partial().strict().optional(),
  type: z.enum(LEDGER_FIELD_TYPES).optional(),
  options: options.optional(),
  kinds: kinds.optional(),
  unique: z.boolean().optional(),
  position: z.number().int().min(0).max(100000).optional(),
  archived: z.boolean().optional(),
});

export const ledgerFieldParams = z.object({ key: z.string().min(1).max(40) });
export const ledgerFieldListQuery = z.object({
  includeArchived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const deleteLedgerFieldQuery = z.object({
  archive: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'Archive the field when it holds values (or is built in) instead of refusing.' }),
});
export const deleteLedgerFieldResult = z.object({
  deleted: z.boolean(),
  archived: z.boolean(),
  values: z.number().int(),
});

const overrides = z.object({
  name: z.string().nullable(),
  primaryIp: z.string().nullable(),
  os: z.string().nullable(),
});

export const assetLedgerSchema = z
  .object({
    assetUuid: z.uuid(),
    kind: z.enum(ASSET_KINDS),
    version: z.number().int().openapi({ description: 'Send it back with a PATCH (optimistic concurrency).' }),
    values: z
      .record(z.string(), z.unknown())
      .openapi({ description: '{key: value} of the active fields that hold one.' }),
    overrides: overrides.openapi({ description: 'Asserted overrides; null: the observed value is shown.' }),
    observed: overrides.openapi({ description: 'What the sources observe, kept underneath an override.' }),
    updatedAt: ts().nullable(),
    updatedBy: z.string().nullable(),
  })
  .openapi('AssetLedger');

const jsonValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

const overridesBody = z
  .object({
    name: z.string().max(200).nullable().optional(),
    primaryIp: z.string().max(60).nullable().optional(),
    os: z.string().max(200).nullable().optional(),
  })
  .strict()
  .optional()
  .openapi({ description: 'Set (a string) or clear (null) an override of an observed fact.' });

export const patchAssetLedgerBody = z.object({
  version: z.number().int().min(0),
  values: z
    .record(z.string().max(40), jsonValue)
    .optional()
    .openapi({ description: '{key: value|null}; null clears.' }),
  overrides: overridesBody,
});

const filterBody = assetFilterQuery
  .omit({ sort: true })
  .extend({
    ledger: z
      .record(z.string().max(40), z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]))
      .optional()
      .openapi({ description: 'Ledger filters as in `?ledger.<key>=`: {key: value or values}.' }),
  })
  .strict();

export const bulkLedgerBody = z.object({
  ids: z.array(z.uuid()).min(1).max(MAX_BULK_IDS).optional(),
  filter: filterBody.optional().openapi({ description: 'The asset list’s filter: every asset matching it.' }),
  set: z
    .record(z.string().max(40), jsonValue)
    .default({})
    .openapi({ description: '{key: value|null}; null clears.' }),
  overrides: overridesBody,
});
export type BulkLedgerBody = z.infer<typeof bulkLedgerBody>;

export const bulkLedgerResult = z
  .object({ matched: z.number().int(), changed: z.number().int() })
  .openapi('BulkLedgerResult');
