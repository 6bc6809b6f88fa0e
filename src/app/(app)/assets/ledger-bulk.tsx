// The asset list's selection and bulk edit for editors (issue 13): wraps the list in the selection
// provider and puts the bulk-edit bar above it, with the list's own filter for "all N matching".
import { getDb } from '@/db/client';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { ledgerFieldOut } from '@/server/ledger-fields/schemas';
import type { AssetFilters } from '@/server/assets/service';
import { BulkEditBar, type BulkFilter } from '@/components/ledger/bulk-edit';
import { SelectionProvider } from '@/components/ledger/selection';
import type { LedgerFieldView } from '@/components/ledger/types';

function bulkFilter(f: AssetFilters): BulkFilter {
  const out: BulkFilter = {};
  for (const k of ['q', 'kind', 'status', 'sourceId', 'cluster', 'host', 'powerState'] as const) {
    if (f[k]) out[k] = f[k]!;
  }
  if (f.ledger?.length) out.ledger = Object.fromEntries(f.ledger.map((l) => [l.key, l.values]));
  return out;
}

export async function LedgerBulk({
  total,
  filters,
  children,
}: {
  total: number;
  filters: AssetFilters;
  children: React.ReactNode;
}) {
  const fields = (await listLedgerFields(getDb())).map(
    (f) => JSON.parse(JSON.stringify(ledgerFieldOut(f))) as LedgerFieldView,
  );
  return (
    <SelectionProvider>
      <BulkEditBar fields={fields} total={total} filter={bulkFilter(filters)} />
      {children}
    </SelectionProvider>
  );
}
