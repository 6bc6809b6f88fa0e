// API shapes for assets (zod → OpenAPI). The list query is shared by the list and the CSV export.
import { paginationQuery } from '@/server/http/pagination';
import { z } from '@/server/http/openapi';
import { ts } from '@/server/users/schemas';
import { ledgerChangedDetailsOut } from '@/server/history/ledger-history';
import { ledgerFiltersFrom } from '@/server/ledger-fields/list-filters';
import { ASSET_KINDS, ASSET_SORT_VALUES, ASSET_STATUSES, POWER_STATES, type AssetFilters } from './service';

export const assetFilterQuery = z.object({
  q: z.string().max(200).optional().openapi({
    description:
      'Search by any part: substring (2+ characters; 1 = prefix) of name (observed or overridden), host name, serial, ledger owner or asset number, case-insensitive, `%` `_` `\\` literal; IP exact (any spelling), IPv4 prefix (`10.0.1.`) or CIDR (`10.0.1.0/24`, `2001:db8::/48`); MAC exact or prefix (`00:50:56`, any separator). Without `sort`: exact matches first, then prefixes, then the rest.',
  }),
  kind: z.enum(ASSET_KINDS).optional(),
  status: z.enum(ASSET_STATUSES).optional(),
  sourceId: z.uuid().optional(),
  cluster: z.string().min(1).max(200).optional().openapi({ description: 'Cluster name (exact).' }),
  host: z.string().min(1).max(200).optional().openapi({ description: 'Host name the VM runs on (exact).' }),
  powerState: z.enum(POWER_STATES).optional(),
  sort: z
    .union([z.enum(ASSET_SORT_VALUES), z.string().regex(/^-?ledger\.[a-z][a-z0-9_]{0,39}$/)])
    .optional()
    .openapi({
      description:
        'Sort key (or `ledger.<key>`); prefix with - for descending. Default name, the display name (with `q`: rank, then name).',
    }),
});

// `ledger.<key>=value` filters (any number of them) pass through to filtersFrom.
const ledgerFilterValue = z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]);
export const assetListQuery = paginationQuery.extend(assetFilterQuery.shape).catchall(ledgerFilterValue);
export const assetExportQuery = assetFilterQuery.catchall(ledgerFilterValue);

export function filtersFrom(q: z.infer<typeof assetFilterQuery> & Record<string, unknown>): AssetFilters {
  return {
    ledger: ledgerFiltersFrom(q),
    q: q.q,
    kind: q.kind,
    status: q.status,
    sourceId: q.sourceId,
    cluster: q.cluster,
    host: q.host,
    powerState: q.powerState,
  };
}

export const assetListItemSchema = z
  .object({
    uuid: z.uuid(),
    kind: z.enum(ASSET_KINDS),
    status: z.enum(ASSET_STATUSES),
    name: z.string().nullable(),
    hostname: z.string().nullable(),
    serialNumber: z.string().nullable(),
    ipAddresses: z.array(z.string()),
    macAddresses: z.array(z.string()),
    powerState: z.string().nullable(),
    clusterName: z.string().nullable(),
    hostName: z.string().nullable(),
    createdAt: ts(),
    updatedAt: ts(),
    lastSeenAt: ts().nullable(),
    primaryIp: z
      .string()
      .nullable()
      .openapi({ description: 'The override when set, else the observed one.' }),
    os: z.string().nullable().openapi({ description: 'The override when set, else the observed one.' }),
    overrides: z
      .object({ name: z.string().nullable(), primaryIp: z.string().nullable(), os: z.string().nullable() })
      .openapi({ description: 'Asserted overrides of observed facts (null: not overridden).' }),
    ledger: z.record(z.string(), z.unknown()).openapi({ description: 'Ledger values {key: value}.' }),
  })
  .openapi('AssetListItem');

export const assetDetailSchema = assetListItemSchema
  .extend({
    canonical: z
      .object({
        normalized: z.record(z.string(), z.unknown()).openapi({
          description: 'The merged normalized-v1 document (the collector contract’s field names).',
        }),
        sources: z
          .array(
            z.object({
              sourceId: z.uuid().nullable(),
              runId: z.uuid().nullable(),
              collectedAt: ts().nullable(),
            }),
          )
          .openapi({ description: 'The present links’ latest records the view was merged from.' }),
        provenance: z
          .record(z.string(), z.number().int())
          .openapi({ description: 'Field path → index into `sources` (absent: `sources[0]`).' }),
        conflicts: z
          .record(z.string(), z.array(z.object({ source: z.number().int(), value: z.unknown() })))
          .openapi({ description: 'Field path → each disagreeing source’s value (index into `sources`).' }),
      })
      .openapi({
        description:
          'Merged fields of the present links’ latest records, each with provenance and a conflict flag.',
      }),
    conflicts: z
      .array(z.string())
      .openapi({ description: 'Paths of canonical fields whose sources disagree.' }),
    links: z.array(
      z.object({
        id: z.uuid(),
        sourceId: z.uuid(),
        sourceName: z.string(),
        externalKind: z.string(),
        externalId: z.string(),
        presence: z.string(),
        firstSeenAt: ts(),
        lastSeenAt: ts(),
        lastSeenRunId: z.uuid().nullable(),
        missingSince: ts().nullable(),
      }),
    ),
    mergedFrom: z
      .array(
        z.object({
          mergeId: z.uuid(),
          mergedUuid: z.uuid(),
          mergedName: z.string().nullable(),
          linkIds: z.array(z.uuid()),
          mergedAt: ts(),
          mergedBy: z.string().nullable(),
        }),
      )
      .openapi({
        description:
          'Assets merged into this one and not split off again (their UUIDs answer 308 here); `linkIds` are the links a split of that merge gives back.',
      }),
    acrossSources: z
      .object({
        sources: z
          .array(z.object({ sourceId: z.uuid(), runId: z.uuid(), collectedAt: ts() }))
          .openapi({ description: 'The contributing present links’ latest records, the winner first.' }),
        fields: z.array(
          z.object({
            path: z.string(),
            sourceId: z.uuid().openapi({ description: 'Where the winning value is from.' }),
            conflict: z.boolean(),
            values: z
              .array(
                z.object({
                  sourceId: z.uuid(),
                  reported: z.boolean(),
                  winning: z.boolean(),
                  value: z.unknown(),
                }),
              )
              .openapi({
                description:
                  'Each present source’s value, in the order of `sources`; `winning` marks the one the asset shows.',
              }),
          }),
        ),
      })
      .nullable()
      .openapi({
        description:
          'Only for an asset with several present links: per field, each source’s value and the winning one (the most recently collected record’s; see docs/api.md), with a conflict flag.',
      }),
  })
  .openapi('AssetDetail');

export const relationSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    status: z.enum(['active', 'inactive']),
    direction: z.enum(['out', 'in']),
    fromAssetUuid: z.uuid(),
    toAssetUuid: z.uuid(),
    otherUuid: z.uuid(),
    otherKind: z.string(),
    otherName: z.string().nullable(),
    otherStatus: z.string(),
    sourceId: z.uuid(),
    sourceName: z.string(),
    firstSeenAt: ts(),
    lastSeenAt: ts(),
    inactiveSince: ts().nullable(),
  })
  .openapi('AssetRelation');

export const assetEventSchema = z
  .object({
    id: z.string(),
    ts: ts(),
    type: z.string(),
    runId: z.uuid().nullable(),
    sourceId: z.uuid().nullable(),
    details: z
      .union([ledgerChangedDetailsOut, z.record(z.string(), z.unknown())])
      .nullable()
      .openapi({ description: 'Per type; for ledger_changed a LedgerChangedDetails.' }),
  })
  .openapi('AssetEvent');

export const sourceRecordSchema = z
  .object({
    id: z.string(),
    sourceId: z.uuid(),
    sourceName: z.string().nullable(),
    runId: z.uuid(),
    collectedAt: ts(),
    hash: z.string(),
    lastSeenRunId: z.uuid(),
    lastSeenAt: ts(),
    normalized: z.record(z.string(), z.unknown()),
    hasRaw: z.boolean(),
  })
  .openapi('SourceRecord');

export const rawRecordSchema = z
  .object({
    id: z.string(),
    assetUuid: z.uuid(),
    sourceId: z.uuid(),
    runId: z.uuid(),
    collectedAt: ts(),
    hash: z.string(),
    raw: z.unknown().openapi({ description: 'The plugin’s raw payload, secrets redacted.' }),
  })
  .openapi('RawSourceRecord');

export const assetParams = z.object({ id: z.uuid() });
export const recordParams = z.object({
  id: z.uuid(),
  recordId: z.string().regex(/^[1-9]\d{0,17}$/, 'a positive integer record id'),
});
