// No collect run ever changes an asserted value (issue 13 §3): after edits, overrides, a bulk edit and an
// import, a collect run that changes the VMs' observed names leaves every ledger value, override and
// version as it was, while the observed values update underneath the overrides.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, ingestResponse, rows } from './pipeline-helpers';
import { hostsResponse, vmsResponse, type SyntheticEstate } from '../bench/ingest-synthetic';
import { bulkSetLedgerValues } from '@/server/ledger-fields/bulk-set-ledger-values';
import { getAssetLedger } from '@/server/ledger-fields/get-asset-ledger';
import { setLedgerValues } from '@/server/ledger-fields/set-ledger-values';
import { parseImportFile } from '@/server/imports/parse-import-file';
import { runImport } from '@/server/imports/run-import';
import { systemActor } from '@/server/users/actor';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const actor = systemActor('ledger-test');

describe('asserted values and collect runs', () => {
  it('a collect run after edits, overrides, a bulk edit and an import leaves every asserted value as it was', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 8 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    const vms = await rows<{ uuid: string; name: string }>(
      t.db,
      sql`select uuid, name from assets where kind = 'vm' order by name`,
    );
    expect(vms).toHaveLength(8);
    const [a, b, c] = vms;

    await setLedgerValues(t.db, actor, a!.uuid, {
      version: 0,
      values: { owner: '王芳', environment: 'production' },
      overrides: { name: '核心数据库', primaryIp: '192.0.2.10', os: 'Asserted OS' },
    });
    await bulkSetLedgerValues(t.db, actor, {
      ids: vms.map((v) => v.uuid),
      set: { lifecycle: 'in_use', cost_center: 'CC-1' },
    });
    await bulkSetLedgerValues(t.db, actor, { ids: [vms[3]!.uuid], set: {}, overrides: { os: 'Bulk OS' } });
    const csv = `uuid,owner,notes,override.name\r\n${b!.uuid},Import Owner,"two\nlines",Imported name\r\n${c!.uuid},,=1+1,\r\n`;
    const imp = await runImport(t.db, actor, await parseImportFile(Buffer.from(csv)), {
      mode: 'apply',
      strict: true,
      clearEmpty: false,
      fileName: null,
    });
    expect(imp.applied).toBe(2);

    const snapshot = async () =>
      rows<Record<string, unknown>>(
        t.db,
        sql`select l.asset_uuid, l.values, l.version, a.name_override, a.primary_ip_override, a.os_override
            from asset_ledger l join assets a on a.uuid = l.asset_uuid order by l.asset_uuid`,
      );
    const before = await snapshot();
    expect(before).toHaveLength(8);

    // The next collect run renames every VM (a changed record for each) and drops none.
    const changed = await ingestResponse(
      t.db,
      src.id,
      'collect_vms',
      vmsResponse({ ...e, changedVms: new Set(vms.map((_, i) => i)), generation: 2 }),
    );
    expect(changed.stats.changed).toBe(8);
    expect(await snapshot()).toEqual(before);

    const ledger = await getAssetLedger(t.db, a!.uuid);
    expect(ledger.overrides).toEqual({ name: '核心数据库', primaryIp: '192.0.2.10', os: 'Asserted OS' });
    expect(ledger.observed.name).not.toBe(a!.name); // the observed name moved on underneath
    const [row] = await rows<{ name: string; display_name: string }>(
      t.db,
      sql`select name, display_name from assets where uuid = ${a!.uuid}`,
    );
    expect(row!.name).toBe(ledger.observed.name);
    expect(row!.display_name).toBe('核心数据库');
    expect((await getAssetLedger(t.db, c!.uuid)).values.notes).toBe('=1+1');
  });
});
