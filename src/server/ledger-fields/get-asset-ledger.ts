// An asset's asserted facts: its ledger values (active fields), overrides beside the observed values, and
// the version a PATCH must carry.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { observedOs, observedPrimaryIp, type Overrides } from './overrides';
import { listLedgerFields } from './fields';

export interface AssetLedger {
  assetUuid: string;
  kind: 'host' | 'cluster' | 'vm';
  version: number;
  values: Record<string, unknown>;
  overrides: Overrides;
  observed: Overrides;
  updatedAt: Date | null;
  updatedBy: string | null;
}

type Row = {
  kind: AssetLedger['kind'];
  name: string | null;
  observed_ip: string | null;
  observed_os: string | null;
  name_override: string | null;
  primary_ip_override: string | null;
  os_override: string | null;
  values: Record<string, unknown> | null;
  version: number | null;
  updated_at: Date | null;
  updated_by: string | null;
};

export async function getAssetLedger(db: Db | Tx, uuid: string): Promise<AssetLedger> {
  const [r, fields] = await Promise.all([
    db.execute<Row>(sql`
      select a.kind, a.name, ${observedPrimaryIp('a')} as observed_ip, ${observedOs('a')} as observed_os,
             a.name_override, a.primary_ip_override, a.os_override, l.values, l.version, l.updated_at, l.updated_by
      from assets a left join asset_ledger l on l.asset_uuid = a.uuid where a.uuid = ${uuid}`),
    listLedgerFields(db),
  ]);
  const row = r.rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'asset not found');
  const stored = row.values ?? {};
  // Archived fields keep their values (and history) but are not part of the asset's current ledger.
  const values: Record<string, unknown> = {};
  for (const f of fields) if (f.key in stored) values[f.key] = stored[f.key];
  return {
    assetUuid: uuid,
    kind: row.kind,
    version: row.version ?? 0,
    values,
    overrides: { name: row.name_override, primaryIp: row.primary_ip_override, os: row.os_override },
    observed: { name: row.name, primaryIp: row.observed_ip, os: row.observed_os },
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
