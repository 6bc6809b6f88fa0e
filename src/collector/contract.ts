// Collector contract (docs/collector-reference.md, DESIGN §6): what a plugin reads on stdin and writes on
// stdout. v1 is one JSON document; v2 is NDJSON, one typed line per asset, relation, warning, error and
// progress report, then one `end` line. The worker validates every line (or v1 element) with these schemas;
// plugins import them for their types.
import { z } from 'zod';

export const REQUEST_SCHEMA_VERSION = 'collector-request-v1';
export const RESPONSE_SCHEMA_VERSION = 'collector-response-v1';
export const REQUEST_SCHEMA_VERSION_V2 = 'collector-request-v2';
export const RESPONSE_SCHEMA_VERSION_V2 = 'collector-response-v2';
export const REQUEST_SCHEMA_VERSIONS = [REQUEST_SCHEMA_VERSION, REQUEST_SCHEMA_VERSION_V2] as const;
export type RequestSchemaVersion = (typeof REQUEST_SCHEMA_VERSIONS)[number];

export const RUN_MODES = ['healthcheck', 'detect', 'collect', 'collect_hosts', 'collect_vms'] as const;
export const runModeSchema = z.enum(RUN_MODES);
export type RunMode = z.infer<typeof runModeSchema>;

export const ASSET_KINDS = ['host', 'cluster', 'vm'] as const;
export const assetKindSchema = z.enum(ASSET_KINDS);
export type AssetKind = z.infer<typeof assetKindSchema>;

export const RELATION_TYPES = ['runs_on', 'hosts_vm', 'member_of'] as const;
export const relationTypeSchema = z.enum(RELATION_TYPES);
export type RelationType = z.infer<typeof relationTypeSchema>;

/** Which asset kinds a mode returns, and so whose absence a complete run of it may record. */
export const MODE_KINDS: Record<RunMode, readonly AssetKind[]> = {
  healthcheck: [],
  detect: [],
  collect_hosts: ['host', 'cluster'],
  collect_vms: ['vm'],
  collect: ['host', 'cluster', 'vm'],
};

/** Which relation types a mode owns: only those can go inactive after a complete run of it. */
export const MODE_RELATIONS: Record<RunMode, readonly RelationType[]> = {
  healthcheck: [],
  detect: [],
  collect_hosts: ['member_of'],
  collect_vms: ['runs_on', 'hosts_vm'],
  collect: ['member_of', 'runs_on', 'hosts_vm'],
};

export const isCollectMode = (m: RunMode): boolean => MODE_KINDS[m].length > 0;

// ------------------------------------------------------------------ normalized-v1
// PostgreSQL cannot store U+0000 in text or jsonb: such a value is dropped as FIELD_INVALID like any other
// odd value, instead of failing the whole ingest (found by the reliability suite's ingest fuzzing).
const str = z
  .string()
  .min(1)
  // eslint-disable-next-line no-control-regex -- U+0000 is exactly what this refuses
  .regex(/^[^\u0000]*$/, 'must not contain U+0000');
const nonNegInt = z.number().int().nonnegative();

export const normalizedV1Schema = z
  .object({
    identity: z
      .object({
        hostname: str,
        machine_uuid: str,
        bios_uuid: str,
        serial_number: str,
        vendor: str,
        model: str,
        caption: str,
      })
      .partial()
      .strict(),
    network: z
      .object({
        ip_addresses: z.array(str),
        mac_addresses: z.array(str),
        management_ip: str,
      })
      .partial()
      .strict(),
    os: z.object({ name: str, version: str, build: str, fingerprint: str }).partial().strict(),
    hardware: z
      .object({
        cpu_count: nonNegInt,
        cpu_model: str,
        cpu_mhz: nonNegInt,
        cpu_packages: nonNegInt,
        cpu_threads: nonNegInt,
        memory_bytes: nonNegInt,
        disks: z.array(
          z.object({ name: str, size_bytes: nonNegInt.optional(), type: str.optional() }).strict(),
        ),
        nics: z.array(
          z
            .object({
              name: str,
              mac: str.optional(),
              network: str.optional(),
              connected: z.boolean().optional(),
            })
            .strict(),
        ),
      })
      .partial()
      .strict(),
    storage: z
      .object({
        local_disk_total_bytes: nonNegInt,
        datastores: z.array(
          z
            .object({
              name: str,
              type: str.optional(),
              capacity_bytes: nonNegInt.optional(),
              free_bytes: nonNegInt.optional(),
            })
            .strict(),
        ),
        datastore_total_bytes: nonNegInt,
        // A VM's space on its datastores (vSphere summary.storage): written (committed) and still to grow.
        committed_bytes: nonNegInt,
        uncommitted_bytes: nonNegInt,
      })
      .partial()
      .strict(),
    runtime: z
      .object({
        power_state: z.enum(['poweredOn', 'poweredOff', 'suspended']),
        connection_state: str,
        maintenance_mode: z.boolean(),
        tools_running: z.boolean(),
        tools_status: str,
        tools_version: str,
      })
      .partial()
      .strict(),
    placement: z
      .object({ datacenter: str, cluster: str, folder: str, resource_pool: str })
      .partial()
      .strict(),
    tags: z.array(str),
    template: z.boolean(),
    /** The VM's free-text notes in vCenter (config.annotation). */
    annotation: str,
  })
  .partial()
  .strict();
export type NormalizedV1 = z.infer<typeof normalizedV1Schema>;

// ------------------------------------------------------------------ request
// v1 and v2 requests are the same document; the version says which response the caller reads.
export const collectorRequestSchema = z.object({
  schema_version: z.enum(REQUEST_SCHEMA_VERSIONS),
  source: z.object({
    source_id: z.string().min(1),
    source_type: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    credential: z.record(z.string(), z.unknown()).nullable(),
  }),
  request: z.object({
    run_id: z.string().min(1),
    mode: runModeSchema,
    now: z.string().min(1),
  }),
});
export type CollectorRequest = z.infer<typeof collectorRequestSchema>;

// ------------------------------------------------------------------ response
export const externalRefSchema = z.object({ external_kind: assetKindSchema, external_id: z.string().min(1) });
export type ExternalRef = z.infer<typeof externalRefSchema>;

export const collectorAssetSchema = z.object({
  external_kind: assetKindSchema,
  external_id: z.string().min(1),
  normalized: normalizedV1Schema,
  raw_payload: z.unknown(),
});
export type CollectorAsset = z.infer<typeof collectorAssetSchema>;

export const collectorRelationSchema = z.object({
  type: relationTypeSchema,
  from: externalRefSchema,
  to: externalRefSchema,
  raw_payload: z.unknown().optional(),
});
export type CollectorRelation = z.infer<typeof collectorRelationSchema>;

export const collectorErrorSchema = z.object({
  code: z.string().min(1),
  category: z.string().min(1),
  message: z.string(),
  retryable: z.boolean(),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type CollectorError = z.infer<typeof collectorErrorSchema>;

export const collectorWarningSchema = z.union([
  z.string(),
  z.object({ code: z.string(), message: z.string() }).catchall(z.unknown()),
]);

export const detectResultSchema = z
  .object({
    target_version: z.string().optional(),
    build: z.string().optional(),
    instance_uuid: z.string().optional(),
    api_type: z.string().optional(),
    api_version: z.string().optional(),
    capabilities: z.array(z.string()).optional(),
    driver: z.string().optional(),
  })
  .catchall(z.unknown());
export type DetectResult = z.infer<typeof detectResultSchema>;

export const collectorResponseSchema = z.object({
  schema_version: z.literal(RESPONSE_SCHEMA_VERSION),
  detect: detectResultSchema.optional(),
  assets: z.array(collectorAssetSchema),
  relations: z.array(collectorRelationSchema),
  stats: z.object({
    assets: nonNegInt,
    relations: nonNegInt,
    inventory_complete: z.boolean(),
    warnings: z.array(collectorWarningSchema),
  }),
  errors: z.array(collectorErrorSchema),
});
export type CollectorResponse = z.infer<typeof collectorResponseSchema>;

// ------------------------------------------------------------------ response v2 (NDJSON lines)
// Each line is one JSON object with a `type`. The worker reads them as they arrive: a line that does not
// parse or fits no schema below fails the run; so does a stream without its `end` line.

export const headerLineSchema = z.object({
  type: z.literal('header'),
  schema_version: z.literal(RESPONSE_SCHEMA_VERSION_V2),
});

export const assetLineSchema = collectorAssetSchema.extend({ type: z.literal('asset') });
/**
 * What an asset line must have before its fields are looked at: a kind and an id. A line that fails this
 * is an unidentifiable object and fails the run; `normalized` fields that fail normalized-v1 are dropped
 * one by one and reported (FIELD_INVALID, src/collector/field-invalid.ts).
 */
export const assetEnvelopeSchema = z.object({
  type: z.literal('asset'),
  external_kind: assetKindSchema,
  external_id: z.string().min(1),
  normalized: z.unknown().optional(),
  raw_payload: z.unknown(),
});

/** A relation line: `type` names the line, so the relation's own type is `relation_type`. */
export const relationLineSchema = collectorRelationSchema
  .omit({ type: true })
  .extend({ type: z.literal('relation'), relation_type: relationTypeSchema });

export const warningLineSchema = z
  .object({ type: z.literal('warning'), code: z.string().min(1), message: z.string() })
  .catchall(z.unknown());

export const errorLineSchema = collectorErrorSchema.extend({ type: z.literal('error') });

export const progressLineSchema = z.object({
  type: z.literal('progress'),
  /** What the plugin is doing, e.g. `login`, `inventory`, `hosts`, `vms`. */
  phase: z.string().min(1).max(64),
  /** Objects (assets) written so far. */
  objects: nonNegInt,
  /** Objects the plugin expects in total, when it knows. */
  total: nonNegInt.optional(),
});

export const endLineSchema = z.object({
  type: z.literal('end'),
  stats: z
    .object({ assets: nonNegInt, relations: nonNegInt, inventory_complete: z.boolean() })
    .catchall(z.unknown()),
  /** healthcheck / detect results; vCenter plugins report about.instanceUuid here as instance_uuid. */
  detect: detectResultSchema.optional(),
});

export const responseLineSchema = z.discriminatedUnion('type', [
  headerLineSchema,
  assetLineSchema,
  relationLineSchema,
  warningLineSchema,
  errorLineSchema,
  progressLineSchema,
  endLineSchema,
]);
export type ResponseLine = z.infer<typeof responseLineSchema>;
export type ProgressLine = z.infer<typeof progressLineSchema>;
export type EndLine = z.infer<typeof endLineSchema>;
export type WarningLine = z.infer<typeof warningLineSchema>;
