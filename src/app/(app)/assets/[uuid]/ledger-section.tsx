// The asset page's ledger (issue 13): a server component that loads the asset's asserted facts and the
// field definitions, and hands them to the client card. One line in the page mounts it.
import { getDb } from '@/db/client';
import { roleAllows, type Role } from '@/server/auth/session';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { getAssetLedger } from '@/server/ledger-fields/get-asset-ledger';
import { ledgerFieldOut } from '@/server/ledger-fields/schemas';
import { LedgerCard } from '@/components/ledger/ledger-card';
import type { AssetLedgerView, LedgerFieldView } from '@/components/ledger/types';

export async function LedgerSection({ uuid, role }: { uuid: string; role: Role }) {
  const db = getDb();
  const [ledger, fields] = await Promise.all([getAssetLedger(db, uuid), listLedgerFields(db)]);
  // Plain JSON across the server/client boundary.
  const initial = JSON.parse(JSON.stringify(ledger)) as AssetLedgerView;
  const defs = JSON.parse(JSON.stringify(fields.map(ledgerFieldOut))) as LedgerFieldView[];
  return <LedgerCard initial={initial} fields={defs} canEdit={roleAllows(role, 'editor')} />;
}
