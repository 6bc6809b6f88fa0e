// What an asserted change's history entry says beyond what was stored (DESIGN §8a): the API token's name
// when a token made it, and the import's file name when an import did — read at display time from
// api_tokens and ledger_imports, so the timeline says "import owners.csv by ed via token ci".
import { sql } from 'drizzle-orm';
import { z } from '@/server/http/openapi';
import { eventActorSchema, ledgerChangedDetails } from './events';

// CASE, not AND: it guarantees the uuid casts only ever see ledger_changed details.
export const ledgerEventJoins = sql`
  left join api_tokens et
    on et.id = case when e.type = 'ledger_changed' then (e.details -> 'by' ->> 'apiTokenId')::uuid end
  left join ledger_imports ei
    on ei.id = case when e.type = 'ledger_changed' then (e.details ->> 'importId')::uuid end`;

export const ledgerEventDetails = sql`case when e.type = 'ledger_changed'
  then jsonb_set(e.details, '{by,apiTokenName}', coalesce(to_jsonb(et.name), 'null'))
       || jsonb_build_object('importFileName', ei.file_name)
  else e.details end`;

/** `details` of a ledger_changed event as the history API answers it. */
export const ledgerChangedDetailsOut = ledgerChangedDetails
  .extend({
    by: eventActorSchema.extend({
      apiTokenName: z.string().nullable().openapi({ description: 'The API token that made it, if one did.' }),
    }),
    importFileName: z.string().nullable().openapi({ description: 'The imported file, for reason import.' }),
  })
  .openapi('LedgerChangedDetails', {
    description: 'An asserted change: how (edit, bulk, import with its id), who, old → new per field.',
  });
export type LedgerChangedDetailsOut = z.infer<typeof ledgerChangedDetailsOut>;
