// One asserted change in the asset timeline, read like a ledger entry: how and by whom ("import
// owners.csv by ed via API token ci", the import linked), then each field by its label with old → new
// formatted by type (dates, translated enum options) — ledger fields through their dictionary entries,
// overrides through the field dictionary's.
import { cache } from 'react';
import Link from 'next/link';
import { ArrowRight } from 'lucide-react';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { fieldByKey, formatField, type FieldDef } from '@/server/fields/dictionary';
import { ledgerChangedDetailsOut } from '@/server/history/ledger-history';
import { ledgerFieldDefs } from '@/server/ledger-fields/field-defs';
import { listLedgerFields } from '@/server/ledger-fields/fields';

// Once per page render, whatever the number of entries; archived fields included (their history stays).
const ledgerDefs = cache(async () => {
  const defs = ledgerFieldDefs(await listLedgerFields(getDb(), { includeArchived: true }));
  return new Map(defs.map((d) => [d.key, d]));
});

export async function LedgerHistoryEntry({
  details,
  canOpenImports,
}: {
  details: unknown;
  /** Editors and admins may open the import it came from. */
  canOpenImports: boolean;
}) {
  const parsed = ledgerChangedDetailsOut.safeParse(details);
  if (!parsed.success) return null;
  const d = parsed.data;
  const [{ t, locale }, defs] = await Promise.all([getTranslator(), ledgerDefs()]);
  const defOf = (field: string): FieldDef | undefined =>
    field.startsWith('override.') ? fieldByKey(field) : defs.get(`ledger.${field}`);
  const show = (def: FieldDef | undefined, v: unknown) =>
    def ? formatField(def, v, locale) : v === null || v === undefined ? t('ledger.empty') : String(v);
  const file = d.importFileName ?? t('ledger.history.importFile');
  return (
    <div className="mt-0.5 text-sm" data-testid="ledger-history-entry" data-reason={d.reason}>
      <p className="text-xs text-muted-foreground" data-testid="ledger-history-how">
        {t(`ledger.history.${d.reason}`, { user: d.by.label ?? t('ledger.history.unknownUser') })}
        {d.by.apiTokenName && <> · {t('ledger.history.viaToken', { token: d.by.apiTokenName })}</>}
        {d.reason === 'import' && d.importId && (
          <>
            {' · '}
            {canOpenImports ? (
              <Link
                href={`/imports?id=${d.importId}`}
                className="text-primary hover:underline"
                data-testid="ledger-history-import"
              >
                {file}
              </Link>
            ) : (
              file
            )}
          </>
        )}
      </p>
      <ul className="mt-1 flex flex-col gap-0.5">
        {d.changes.map((c) => {
          const def = defOf(c.field);
          return (
            <li key={c.field} className="flex flex-wrap items-center gap-1" data-field={c.field}>
              <span className="font-medium">{def ? def.label[locale] : c.field}</span>
              <span className="text-muted-foreground line-through decoration-1">{show(def, c.old)}</span>
              <ArrowRight className="size-3" aria-label="→" />
              <span className="text-success">{show(def, c.new)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
