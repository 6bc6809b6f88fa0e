// The asset timeline's event types (STYLE P6): one zod schema per type, so writers and readers agree on
// `asset_events.details`. Ingest writes the observed ones in SQL (src/ingest/ingest.ts); the ledger services
// write `ledger_changed` (src/server/ledger-fields), identity across sources `moved`, `merged` and `split`
// (src/server/identity). `parseEvent` reads a stored row; `describeEvent` is the one-line text of an event
// for logs and reports.
import { z } from 'zod';

const fieldChange = z.object({ path: z.string(), old: z.unknown(), new: z.unknown() });

/** Who made an asserted change: a signed-in user or one of their API tokens. */
export const eventActorSchema = z.object({
  userId: z.string().nullable(),
  label: z.string().nullable(),
  apiTokenId: z.string().nullable().optional(),
});

export const ledgerChangeSchema = z.object({
  // A ledger field key, or `override.name` / `override.primaryIp` / `override.os`.
  field: z.string(),
  old: z.unknown(),
  new: z.unknown(),
});

export const LEDGER_CHANGE_REASONS = ['edit', 'bulk', 'import'] as const;

export const ledgerChangedDetails = z.object({
  reason: z.enum(LEDGER_CHANGE_REASONS),
  importId: z.string().nullable(),
  by: eventActorSchema,
  changes: z.array(ledgerChangeSchema).min(1),
});
export type LedgerChangedDetails = z.infer<typeof ledgerChangedDetails>;

// A cross-source move (follow-cross-source-moves.ts): the asset's link in one source went missing and the
// same machine appeared in another.
export const movedDetails = z
  .object({ from_source_id: z.string().nullable(), to_source_id: z.string(), from_asset_uuid: z.string() })
  .loose();

// On the survivor: `other_uuid` and the other's differing asserted values (kept in history only). On the
// tombstone: `merged_into`.
export const mergedDetails = z
  .object({
    merge_id: z.string(),
    by: z.string().nullable().optional(),
    other_uuid: z.string().optional(),
    merged_into: z.string().optional(),
    ledger_conflicts: z
      .array(z.object({ field: z.string(), kept: z.unknown(), dropped: z.unknown() }))
      .optional(),
  })
  .loose();

// On the survivor: `other_uuid` (the asset given back); on the restored asset: `split_from`.
export const splitDetails = z
  .object({
    merge_id: z.string(),
    by: z.string().nullable().optional(),
    other_uuid: z.string().optional(),
    split_from: z.string().optional(),
  })
  .loose();

export const assetEventDetails = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), details: z.record(z.string(), z.unknown()).nullable() }),
  z.object({
    type: z.literal('changed'),
    details: z.object({ source_id: z.string().optional(), changes: z.array(fieldChange) }).loose(),
  }),
  z.object({ type: z.literal('went_missing'), details: z.record(z.string(), z.unknown()).nullable() }),
  z.object({ type: z.literal('came_back'), details: z.record(z.string(), z.unknown()).nullable() }),
  z.object({
    type: z.literal('relation_changed'),
    details: z
      .object({ relation: z.string(), from: z.string().nullable(), to: z.string().nullable() })
      .loose(),
  }),
  z.object({ type: z.literal('ledger_changed'), details: ledgerChangedDetails }),
  // Identity across sources (src/server/identity): written in SQL, so their keys are snake_case.
  z.object({ type: z.literal('moved'), details: movedDetails }),
  z.object({ type: z.literal('merged'), details: mergedDetails }),
  z.object({ type: z.literal('split'), details: splitDetails }),
]);
export type AssetEvent = z.infer<typeof assetEventDetails>;

/** A stored event as its typed shape, or null when the row does not fit (an older or foreign writer). */
export function parseEvent(row: { type: string; details: unknown }): AssetEvent | null {
  const r = assetEventDetails.safeParse({ type: row.type, details: row.details ?? null });
  return r.success ? r.data : null;
}

const show = (v: unknown) => (v === null || v === undefined ? '∅' : JSON.stringify(v));

export function describeEvent(e: AssetEvent): string {
  switch (e.type) {
    case 'created':
      return 'created';
    case 'changed':
      return `changed ${e.details.changes.map((c) => c.path).join(', ')}`;
    case 'went_missing':
      return 'went missing';
    case 'came_back':
      return 'came back';
    case 'relation_changed':
      return `${e.details.relation}: ${e.details.from ?? '∅'} → ${e.details.to ?? '∅'}`;
    case 'ledger_changed': {
      const how = e.details.reason === 'import' ? `import ${e.details.importId}` : e.details.reason;
      const what = e.details.changes.map((c) => `${c.field} ${show(c.old)} → ${show(c.new)}`).join('; ');
      return `${how} by ${e.details.by.label ?? 'unknown'}: ${what}`;
    }
    case 'moved':
      return `moved from source ${e.details.from_source_id ?? '∅'} to source ${e.details.to_source_id}`;
    case 'merged': {
      if (e.details.merged_into) return `merged into ${e.details.merged_into}`;
      const kept = (e.details.ledger_conflicts ?? []).map((c) => `${c.field} ${show(c.dropped)}`).join('; ');
      return `merged ${e.details.other_uuid ?? '∅'} into this one${kept ? `; its differing values: ${kept}` : ''}`;
    }
    case 'split':
      return e.details.split_from
        ? `split off from ${e.details.split_from}`
        : `split ${e.details.other_uuid ?? '∅'} off again`;
  }
}
