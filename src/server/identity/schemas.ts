// API shapes of identity across sources (zod → OpenAPI).
import { assetDetailSchema } from '@/server/assets/schemas';
import { paginationQuery } from '@/server/http/pagination';
import { z } from '@/server/http/openapi';
import { ts } from '@/server/users/schemas';
import { EVIDENCE_RULE_NAMES } from './evidence';

export const CANDIDATE_STATUSES = ['open', 'ignored', 'merged'] as const;

const candidateAssetSchema = z.object({
  uuid: z.uuid(),
  name: z.string().nullable(),
  status: z.string(),
  sources: z.array(z.object({ id: z.uuid(), name: z.string(), presence: z.string() })),
});

export const candidateSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['host', 'cluster', 'vm']),
    score: z
      .number()
      .int()
      .openapi({ description: 'The strongest rule’s score (100: same UUID or serial).' }),
    evidence: z.array(
      z.object({
        rule: z.enum(EVIDENCE_RULE_NAMES as [string, ...string[]]),
        score: z.number().int(),
        values: z.array(z.string()),
      }),
    ),
    status: z.enum(CANDIDATE_STATUSES),
    createdAt: ts(),
    updatedAt: ts(),
    resolvedAt: ts().nullable(),
    assetA: candidateAssetSchema,
    assetB: candidateAssetSchema,
  })
  .openapi('DuplicateCandidate');

export const candidateDetailSchema = candidateSchema
  .extend({
    assets: z.array(assetDetailSchema).length(2).openapi({ description: 'Both assets, side by side.' }),
  })
  .openapi('DuplicateCandidateDetail');

export const candidateListQuery = paginationQuery.extend({
  kind: z.enum(['host', 'cluster', 'vm']).optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  status: z.enum(CANDIDATE_STATUSES).default('open'),
});

export const candidateParams = z.object({ id: z.uuid() });

export const mergeBody = z.object({
  otherId: z.uuid().openapi({ description: 'The asset merged into this one (it becomes a tombstone).' }),
});
export const splitBody = z.object({
  linkId: z.uuid().openapi({ description: 'A source link this asset gained by a merge.' }),
});

export const mergeResultSchema = z
  .object({
    survivor: assetDetailSchema,
    mergedUuid: z.uuid(),
    mergeId: z.uuid(),
    ledgerConflicts: z
      .array(z.object({ field: z.string(), kept: z.unknown(), dropped: z.unknown() }))
      .openapi({
        description: 'Asserted values that differed: the survivor’s kept, the other’s in history.',
      }),
  })
  .openapi('MergeResult');

export const splitResultSchema = z
  .object({ asset: assetDetailSchema, restored: assetDetailSchema })
  .openapi('SplitResult');
