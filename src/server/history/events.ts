// The asset timeline's event types (STYLE P6): one zod schema per type, so writers and readers agree on
// `asset_events.details`. Ingest writes the observed ones in SQL (src/ingest/ingest.ts); the ledger services
// write `ledger_changed` (src/server/ledger-fields). `parseEvent` reads a stored row; `describeEvent` is
// the one-line text of an event for logs and reports.
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
  }
}
