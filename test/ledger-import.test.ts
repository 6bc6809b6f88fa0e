// CSV import of ledger values (issue 13 §5) against the real database: encodings, separators, quoted
// newlines, the three ways of matching, ambiguous rows, strict mode, a dry run that writes nothing, the
// result report, formula cells kept as text, and garbage refused with a clear 400.
import { randomBytes, randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import * as importRoute from '@/app/api/v1/imports/ledger/route';
import { IMPORT_BATCH } from '@/server/imports/evaluate-import';
import * as reportRoute from '@/app/api/v1/imports/ledger/[id]/report/route';
import * as ledgerRoute from '@/app/api/v1/assets/[id]/ledger/route';
import * as historyRoute from '@/app/api/v1/assets/[id]/history/route';
import * as exportRoute from '@/app/api/v1/exports/assets/route';
import { call, setupApiTest } from './api';
import { insertAssets, insertRun, insertSource, seedWorld, type World } from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let w: World;
let hosts: { uuid: string }[];
let sourceName: string;
beforeAll(async () => {
  t = await setupApiTest();
  w = await seedWorld();
  sourceName = `imp-src-${Date.now()}`;
  const src = await insertSource({ name: sourceName });
  const run = await insertRun(src);
  hosts = await insertAssets(src, run, [
    { kind: 'host', name: 'esx-a.example.test', serial: 'SN-A', hostname: 'esx-a' },
    { kind: 'host', name: 'esx-b.example.test', serial: 'SN-B', hostname: 'esx-b' },
    { kind: 'vm', name: 'twin', hostname: 'twin-1' },
    { kind: 'vm', name: 'twin', hostname: 'twin-2' },
    { kind: 'vm', name: '订单系统-01' },
  ]);
});
afterAll(async () => t?.drop());

async function upload(body: Buffer | string, query = '', token = w.actors.tokens.editor) {
  return call(importRoute.POST, {
    url: `/api/v1/imports/ledger?${query}`,
    rawBody: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'text/csv' },
    token,
  });
}

async function values(id: string) {
  const res = await call(ledgerRoute.GET, {
    url: `/api/v1/assets/${id}/ledger`,
    params: { id },
    token: w.actors.tokens.user,
  });
  return (await res.json()).values;
}

const TABLES = ['ledger_fields', 'asset_ledger', 'ledger_imports', 'asset_events', 'audit_events', 'assets'];
async function counts(): Promise<Record<string, number | string>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = (
      await getDb().execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))
    ).rows[0]!.n;
  }
  const v = await getDb().execute<{ s: string }>(
    sql`select coalesce(string_agg(values::text || version, ',' order by asset_uuid), '') as s from asset_ledger`,
  );
  return { ...out, digest: v.rows[0]!.s };
}

describe('CSV import', () => {
  it('a GB18030 file with Chinese owners and departments round-trips exactly; the dry run before it wrote nothing', async () => {
    const csv =
      '资产 UUID,负责人,部门,业务系统,生命周期\r\n' +
      `${hosts[0]!.uuid},张伟,财务部,核心账务系统「总账」,in_use\r\n` +
      `${hosts[4]!.uuid},李娜,信息技术部,订单系统 𠀀,Retired\r\n`;
    const gb = iconv.encode(csv, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow(); // really not UTF-8

    const before = await counts();
    const dry = await upload(gb);
    expect(dry.status).toBe(200);
    const d = await dry.json();
    expect(d.encoding).toBe('gb18030');
    expect(d.status).toBe('dry_run');
    expect(d.summary).toMatchObject({ rows: 2, matched: 2, changed: 2, invalid: 0 });
    expect(d.rows[1].changes).toContainEqual({ field: 'lifecycle', old: null, new: 'retired' });
    expect(await counts()).toEqual(before);

    const applied = await (await upload(gb, 'mode=apply&fileName=owners-gb.csv')).json();
    expect(applied).toMatchObject({ status: 'applied', applied: 2 });
    expect(await values(hosts[0]!.uuid)).toEqual({
      owner: '张伟',
      department: '财务部',
      business_system: '核心账务系统「总账」',
      lifecycle: 'in_use',
    });
    expect((await values(hosts[4]!.uuid)).business_system).toBe('订单系统 𠀀');

    const hist = await (
      await call(historyRoute.GET, {
        url: `/api/v1/assets/${hosts[0]!.uuid}/history`,
        params: { id: hosts[0]!.uuid },
        token: w.actors.tokens.user,
      })
    ).json();
    const ev = hist.items.find((e: { type: string }) => e.type === 'ledger_changed');
    // Typed and camelCase: how (the import and its file), who (the user and the API token they used).
    expect(ev.details).toMatchObject({
      reason: 'import',
      importId: applied.importId,
      importFileName: 'owners-gb.csv',
      by: { label: 'matrix-editor', apiTokenName: 'editor test token' },
    });
    expect(ev.details.changes).toContainEqual({ field: 'owner', old: null, new: '张伟' });

    const report = await call(reportRoute.GET, {
      url: `/api/v1/imports/ledger/${applied.importId}/report`,
      params: { id: applied.importId },
      token: w.actors.tokens.editor,
    });
    const text = await report.text();
    expect(text).toContain('owner:  → 张伟');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('an ambiguous row is reported and never applied; unmatched and invalid rows are listed', async () => {
    const csv =
      'name;owner;purchase_date\n' +
      'twin;Should Not Apply;\n' +
      'nobody-here;X;\n' +
      'esx-b.example.test;Ops;2026-02-30\n';
    const r = await (await upload(csv, 'mode=apply')).json();
    expect(r.delimiter).toBe(';');
    expect(r.rows.map((x: { outcome: string }) => x.outcome)).toEqual(['ambiguous', 'unmatched', 'invalid']);
    expect(r.rows[0].reason).toContain('2 assets match');
    expect(r.rows[2].reason).toContain('purchase_date');
    expect(r.applied).toBe(0);
    for (const h of hosts.slice(2, 4)) expect((await values(h.uuid)).owner).toBeUndefined();
  });

  it('strict mode applies nothing when one row is invalid; without it the valid rows apply', async () => {
    const csv = `serial\towner\train\n"SN-A"\tOps A\t\n"SN-B"\tOps B\tRack 9\n`;
    // `rain` is an unknown column (ignored); one invalid value makes the second file invalid.
    const bad = csv
      .replace('Ops B', 'Ops B')
      .replace('serial\towner\train', 'serial\towner\track_unit')
      .replace('Rack 9', 'nine');
    const before = await counts();
    const strict = await (await upload(bad, 'mode=apply&strict=true')).json();
    expect(strict.status).toBe('rejected');
    expect(strict.applied).toBe(0);
    const after = await counts();
    expect(after.digest).toBe(before.digest);
    expect(after.asset_events).toBe(before.asset_events);

    const loose = await (await upload(bad, 'mode=apply')).json();
    expect(loose.status).toBe('applied');
    expect(loose.applied).toBe(1);
    expect((await values(hosts[0]!.uuid)).owner).toBe('Ops A');
    expect((await values(hosts[1]!.uuid)).owner).toBeUndefined();
    const ok = await (await upload(csv, 'mode=dry-run')).json();
    expect(ok.columns.ignored).toEqual(['rain']);
  });

  it('matches by source + external id, keeps quoted newlines, and stores a formula cell as text', async () => {
    const ext = await getDb().execute<{ external_id: string }>(
      sql`select external_id from asset_source_links where asset_uuid = ${hosts[1]!.uuid}`,
    );
    const csv =
      '\uFEFFsource,externalId,notes,owner\r\n' +
      `${sourceName.toUpperCase()},${ext.rows[0]!.external_id},"line one\r\nline two, with ""quotes""","=HYPERLINK(""http://evil"")"\r\n`;
    const r = await (await upload(csv, 'mode=apply')).json();
    expect(r.encoding).toBe('utf-8');
    expect(r.summary.matched).toBe(1);
    const v = await values(hosts[1]!.uuid);
    expect(v.notes).toBe('line one\r\nline two, with "quotes"');
    expect(v.owner).toBe('=HYPERLINK("http://evil")');
    // The report never starts a cell with a formula character (spreadsheets would run it).
    const report = await (await upload(csv.replace('evil', 'evil2'), 'format=csv')).text();
    expect(report).toContain('HYPERLINK(""http://evil2"")');
    expect(report).not.toMatch(/(^|,)"?=/m);
  });

  it('sets overrides from explicit override columns; a plain OS column is not one', async () => {
    const csv =
      'uuid,override.os,Primary IP override,os\n' +
      `${hosts[1]!.uuid},ESXi asserted,10.1.2.3,ignored\n` +
      `${hosts[0]!.uuid},,999.1.1.1,\n`;
    const strict = await (await upload(csv, 'mode=apply&strict=true')).json();
    expect(strict.columns.overrides).toEqual([
      { header: 'override.os', key: 'os' },
      { header: 'Primary IP override', key: 'primaryIp' },
    ]);
    expect(strict.columns.ignored).toEqual(['os']);
    expect(strict.rows[1]).toMatchObject({ outcome: 'invalid' });
    expect(strict.rows[1].reason).toContain('Primary IP override');
    expect(strict.status).toBe('rejected');
    const ok = await (await upload(csv.split('\n').slice(0, 2).join('\n'), 'mode=apply')).json();
    expect(ok).toMatchObject({ status: 'applied', applied: 1 });
    expect(ok.rows[0].changes).toEqual([
      { field: 'override.os', old: null, new: 'ESXi asserted' },
      { field: 'override.primaryIp', old: null, new: '10.1.2.3' },
    ]);
    const ledger = await call(ledgerRoute.GET, {
      url: `/api/v1/assets/${hosts[1]!.uuid}/ledger`,
      params: { id: hosts[1]!.uuid },
      token: w.actors.tokens.user,
    });
    expect((await ledger.json()).overrides).toMatchObject({ os: 'ESXi asserted', primaryIp: '10.1.2.3' });
  });

  it('the asset list CSV comes back in as it went out, in both languages (its headers are labels)', async () => {
    for (const [lang, owner] of [
      ['en', 'Owner'],
      ['zh-CN', '负责人'],
    ] as const) {
      const exported = await (
        await call(exportRoute.GET, {
          url: `/api/v1/exports/assets?q=esx-a.example&lang=${lang}`,
          token: w.actors.tokens.editor,
        })
      ).text();
      const [header, row] = exported.replace(/^\uFEFF/, '').split('\r\n');
      const cells = header!.split(',');
      const ownerCol = cells.indexOf(owner);
      expect(ownerCol, header).toBeGreaterThan(0);
      const edited = row!.split(',').map((c, i) => (i === ownerCol ? `round-trip ${lang}` : c));
      const res = await (await upload(`${header}\r\n${edited.join(',')}\r\n`, 'mode=dry-run')).json();
      expect(res.summary).toMatchObject({ rows: 1, matched: 1, changed: 1 });
      expect(res.rows[0]).toMatchObject({ outcome: 'matched', assetUuid: hosts[0]!.uuid });
      expect(res.rows[0].changes).toEqual([
        expect.objectContaining({ field: 'owner', new: `round-trip ${lang}` }),
      ]);
    }
  });

  it('a unique value twice in one file is invalid for the second row', async () => {
    const csv = `uuid,asset_number\n${hosts[2]!.uuid},FA-9\n${hosts[3]!.uuid},FA-9\n`;
    const r = await (await upload(csv)).json();
    expect(r.rows.map((x: { outcome: string }) => x.outcome)).toEqual(['matched', 'invalid']);
    expect(r.rows[1].reason).toContain('row 1');
  });

  it('checks across the whole file, not one batch: the same asset or unique value far apart, rows listed bounded', async () => {
    // More rows than one evaluation batch (IMPORT_BATCH), so the two halves of each clash are in different batches.
    expect(IMPORT_BATCH).toBeLessThan(1200);
    const lines = ['uuid,asset_number,owner'];
    for (let i = 1; i <= 1500; i++) {
      if (i === 1) lines.push(`${hosts[2]!.uuid},FA-FAR,first`);
      else if (i === 1200) lines.push(`${hosts[3]!.uuid},FA-FAR,second`);
      else if (i === 1300) lines.push(`${hosts[2]!.uuid},,again`);
      else lines.push(`${randomUUID()},,filler`);
    }
    const r = await (await upload(lines.join('\n'), 'outcome=invalid&limit=10')).json();
    expect(r.summary).toMatchObject({ rows: 1500, matched: 1, unmatched: 1497, invalid: 2, changed: 1 });
    expect(r.rows.map((x: { row: number; reason: string }) => [x.row, x.reason])).toEqual([
      [1200, "asset_number: 'FA-FAR' is also in row 1 (unique field)"],
      [1300, 'same asset as row 1'],
    ]);
    const all = await (await upload(lines.join('\n'), 'limit=5')).json();
    expect(all.rows).toHaveLength(5);
    expect(all.rowsListed).toBe(5);
    const report = await (await upload(lines.join('\n'), 'format=csv')).text();
    expect(report.split('\r\n').filter(Boolean)).toHaveLength(1501);
  });

  it('refuses a 20 MB file of garbage with a clear 400, quickly; and a text file with no key column', async () => {
    const started = Date.now();
    const res = await upload(randomBytes(20 * 1024 * 1024));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('IMPORT_FILE_INVALID');
    expect(Date.now() - started).toBeLessThan(5000);

    const printable = Buffer.from(
      Array.from({ length: 2 * 1024 * 1024 }, () => 'abcxyz "\',;\t\n'[Math.floor(Math.random() * 13)]).join(
        '',
      ),
    );
    const res2 = await upload(printable);
    expect(res2.status).toBe(400);
    expect((await res2.json()).error.code).toBe('IMPORT_FILE_INVALID');

    const noKey = await upload('colour,owner\nred,x\n');
    expect(noKey.status).toBe(400);
    expect((await noKey.json()).error.message).toContain('No column identifies the asset');
  });

  it('a user may not import', async () => {
    const res = await upload(`uuid,owner\n${hosts[0]!.uuid},x\n`, '', w.actors.tokens.user);
    expect(res.status).toBe(403);
  });
});
