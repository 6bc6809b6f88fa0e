// The ledger UI in Chromium (issue 13): an editor edits a value inline and sees it in the history,
// bulk-edits a filtered selection, imports a CSV through the preview; an editor sees the edit controls
// but no admin pages; a user sees values only; an admin manages field definitions. Screenshots in
// test-results/.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '@/server/auth/password';
import { createTestDatabase, type TestDatabase } from '../db';
import { launchBrowser, login, screenshotPath, startApp, type RunningApp } from './harness';
import { browserSuite, eventually } from './suite';

const suite = browserSuite();

const VIEWPORT = { width: 1280, height: 900 };

suite('ledger UI in Chromium', () => {
  let tdb: TestDatabase;
  let app: RunningApp;
  let browser: Browser;
  const uuids: string[] = [];
  const pw = { editor: `editor-${randomUUID()}`, user: `user-${randomUUID()}` };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    for (let i = 0; i < 5; i++) {
      const r = await tdb.db.execute<{ uuid: string }>(sql`
        insert into assets (kind, status, name, hostname, cluster_name, canonical)
        values ('vm', 'active', ${`ledger-vm-${i}`}, ${`ledger-vm-${i}.example.test`}, 'ledger-cluster',
                ${JSON.stringify({ normalized: { os: { name: 'Ubuntu 24.04' } } })}::jsonb)
        returning uuid`);
      uuids.push(r.rows[0]!.uuid);
    }
    // The app creates its first admin only while there are no users: start it before adding ours.
    app = await startApp(tdb.url);
    for (const [name, role] of [
      ['ed', 'editor'],
      ['reader', 'user'],
    ] as const) {
      const hash = await hashPassword(role === 'editor' ? pw.editor : pw.user);
      await tdb.db.execute(
        sql`insert into users (username, role, password_hash) values (${name}, ${role}, ${hash})`,
      );
    }
    browser = await launchBrowser();
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await tdb?.drop().catch(() => {});
  });

  async function as(username: string, password: string, locale = 'en-US'): Promise<Page> {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale });
    const page = await ctx.newPage();
    await login(page, app.url, username, password);
    return page;
  }
  const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(name), fullPage: true });
  const values = async (uuid: string) =>
    (
      await tdb.db.execute<{ values: Record<string, unknown> }>(
        sql`select values from asset_ledger where asset_uuid = ${uuid}`,
      )
    ).rows[0]?.values ?? {};

  it('an editor edits a value and an override inline, sees the observed value and the history entry', async () => {
    const page = await as('ed', pw.editor);
    expect(await page.locator('[data-testid=admin-nav]').count()).toBe(0);
    for (const adminPage of ['/users', '/sources', '/credentials']) {
      await page.goto(`${app.url}${adminPage}`);
      await page.waitForURL((u) => u.pathname === '/');
    }
    await page.goto(`${app.url}/assets/${uuids[0]}`);
    const card = page.locator('[data-testid=ledger-card]');
    await card.waitFor();
    await card.locator('[data-testid=ledger-edit-owner]').click();
    await card.locator('[data-testid=ledger-input-owner]').fill('张伟 <ops&dev>');
    await card.locator('[data-testid=ledger-save]').click();
    await eventually(() => card.locator('[data-testid=ledger-value-owner]').textContent()).toBe(
      '张伟 <ops&dev>',
    );
    expect((await values(uuids[0]!)).owner).toBe('张伟 <ops&dev>');

    await card.locator('[data-testid=override-edit-os]').click();
    await card.locator('[data-testid=override-input-os]').fill('Windows Server 2022');
    await card.locator('[data-testid=ledger-save]').click();
    await eventually(() => card.locator('[data-testid=observed-os]').textContent()).toContain('Ubuntu 24.04');
    expect(await card.locator('[data-testid=override-value-os]').textContent()).toBe('Windows Server 2022');
    await shot(page, 'ledger-card-editor');

    await page.goto(`${app.url}/assets/${uuids[0]}?tab=history`);
    const history = page.getByRole('tab', { name: /history/i });
    if (await history.count()) await history.first().click();
    await eventually(() => page.locator('[data-event=ledger_changed]').count()).toBeGreaterThanOrEqual(2);
    // Read like a ledger: the field's label, old → new, who and how — never the raw key.
    const owner = page.locator('[data-testid=ledger-history-entry] li[data-field=owner]');
    expect(await owner.textContent()).toBe('Owner—张伟 <ops&dev>');
    const os = page.locator('[data-testid=ledger-history-entry] li[data-field="override.os"]');
    expect(await os.textContent()).toBe('Operating system—Windows Server 2022');
    expect(await page.locator('[data-testid=ledger-history-how]').first().textContent()).toBe('edited by ed');
    await shot(page, 'ledger-history');
  });

  it('an editor bulk-edits the selection and then all assets matching the filter', async () => {
    const page = await as('ed', pw.editor);
    await page.goto(`${app.url}/assets?cluster=ledger-cluster`);
    const rows = page.locator('[data-testid=asset-row]');
    await eventually(() => rows.count()).toBe(5);
    // The asserted OS (set inline above) wins in the list.
    expect(await rows.nth(0).locator('td[data-column=osName]').textContent()).toBe('Windows Server 2022');
    expect(await rows.nth(1).locator('td[data-column=osName]').textContent()).toBe('Ubuntu 24.04');
    await rows.nth(0).locator('[data-testid=select-row]').check();
    await rows.nth(1).locator('[data-testid=select-row]').check();
    await eventually(() => page.locator('[data-testid=selected-count]').textContent()).toContain('2');
    await page.locator('[data-testid=bulk-edit]').click();
    const dialog = page.locator('[data-testid=bulk-dialog]');
    await dialog.locator('[data-testid=bulk-field]').selectOption('department');
    await dialog.locator('[data-testid=ledger-input-department]').fill('财务部');
    await shot(page, 'ledger-bulk-dialog');
    await dialog.locator('[data-testid=bulk-submit]').click();
    await eventually(() => dialog.locator('[data-testid=bulk-done]').textContent()).toContain('2 of 2');
    await page.keyboard.press('Escape');

    await page.locator('[data-testid=bulk-edit]').click();
    await dialog.locator('[data-testid=scope-filter]').check();
    await dialog.locator('[data-testid=bulk-field]').selectOption('lifecycle');
    await dialog.locator('[data-testid=ledger-input-lifecycle]').selectOption('retired');
    // An override in the same request: the OS people assert for all of them.
    await dialog.getByRole('button', { name: 'Add another field' }).click();
    await dialog.locator('[data-testid=bulk-field]').nth(1).selectOption('override.os');
    await dialog.locator('[data-testid="ledger-input-override.os"]').fill('Ubuntu 24.04 LTS (asserted)');
    await shot(page, 'ledger-bulk-dialog-overrides');
    await dialog.locator('[data-testid=bulk-submit]').click();
    await eventually(() => dialog.locator('[data-testid=bulk-done]').textContent()).toContain('5 of 5');
    for (const u of uuids) expect((await values(u)).lifecycle).toBe('retired');
    const os = await tdb.db.execute<{ os_override: string | null }>(
      sql`select os_override from assets where uuid = any(${sql.param(uuids)}::uuid[])`,
    );
    // uuids[0] had its own override from the inline edit: the bulk one replaced it too.
    expect(os.rows.map((r) => r.os_override)).toEqual(Array(5).fill('Ubuntu 24.04 LTS (asserted)'));
    expect((await values(uuids[2]!)).department).toBeUndefined();

    // Ledger fields as list columns: chosen in the one column chooser (saved for this user), sortable,
    // beside a ledger filter and sort in the URL.
    await page.goto(
      `${app.url}/assets?cluster=ledger-cluster&ledger.lifecycle=retired&sort=ledger.department`,
    );
    await page.locator('[data-testid=column-chooser]').click();
    const panel = page.locator('[data-testid=column-chooser-panel]');
    await eventually(() => panel.locator('[data-testid=column-group-ledger]').textContent()).toContain(
      'Department',
    );
    await panel.locator('[data-column-choice="ledger.department"]').check();
    await eventually(() => page.locator('td[data-column="ledger.department"]').count()).toBe(5);
    await panel.locator('[data-column-choice="ledger.lifecycle"]').check();
    await eventually(() => page.locator('td[data-column="ledger.lifecycle"]').allTextContents()).toEqual(
      Array(5).fill('Retired'),
    );
    await page.keyboard.press('Escape');
    // Saved on the server: a new page load has them, and their headers sort.
    await page.goto(`${app.url}/assets?cluster=ledger-cluster&sort=ledger.department`);
    await eventually(() => page.locator('td[data-column="ledger.department"]').count()).toBe(5);
    expect(await page.locator('td[data-column="ledger.department"]').first().textContent()).toBe('财务部');
    await page.locator('th[data-column="ledger.department"] [data-sort="ledger.department"]').click();
    await eventually(() => new URL(page.url()).searchParams.get('sort')).toBe('-ledger.department');
    await eventually(() => page.locator('td[data-column="ledger.department"]').last().textContent()).toBe(
      '财务部',
    );
    await shot(page, 'ledger-list-columns');
  });

  it('an editor imports a CSV through the preview, filtered by outcome, and applies it', async () => {
    const page = await as('ed', pw.editor);
    await page.goto(`${app.url}/imports`);
    const csv = `name,owner,cost_center\r\nledger-vm-3,李娜,CC-7\r\nno-such-vm,X,CC-1\r\n`;
    await page.locator('[data-testid=import-file]').setInputFiles({
      name: 'owners.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.locator('[data-testid=import-preview]').click();
    await eventually(() => page.locator('[data-testid=import-row]').count()).toBe(2);
    expect((await values(uuids[3]!)).owner).toBeUndefined(); // the preview wrote nothing
    await page.locator('[data-testid=import-outcome-filter]').selectOption('unmatched');
    await eventually(() => page.locator('[data-testid=import-row]').count()).toBe(1);
    await page.locator('[data-testid=import-outcome-filter]').selectOption('');
    // Strict mode (the default) refuses while a row is not matched? Unmatched rows are not invalid.
    await page.locator('[data-testid=import-apply]').click();
    await eventually(() => page.locator('[data-testid=import-result]').textContent()).toContain('1');
    expect(await page.locator('[data-testid=import-report]').count()).toBe(1);
    await shot(page, 'ledger-import');
    expect(await values(uuids[3]!)).toMatchObject({ owner: '李娜', cost_center: 'CC-7' });

    // The history entry says it came from this import, by whom, and links to it.
    await page.goto(`${app.url}/assets/${uuids[3]}?tab=history`);
    const entry = page.locator('[data-testid=ledger-history-entry][data-reason=import]');
    await entry.waitFor();
    expect(await entry.locator('[data-testid=ledger-history-how]').textContent()).toBe(
      'import by ed · owners.csv',
    );
    expect(await entry.locator('li[data-field=cost_center]').textContent()).toBe('Cost center—CC-7');
    await entry.locator('[data-testid=ledger-history-import]').click();
    await page.waitForURL((u) => u.pathname === '/imports' && u.searchParams.has('id'));
    const current = page.locator('[data-testid=recent-import][data-current=true]');
    expect(await current.textContent()).toContain('owners.csv');
    await shot(page, 'ledger-imports-recent');

    // The same entries in 简体中文: labels, translated enum values, who and how.
    const zh = await as('reader', pw.user, 'zh-CN');
    await zh.goto(`${app.url}/assets/${uuids[3]}?tab=history`);
    const zhEntries = zh.locator('[data-testid=ledger-history-entry]');
    await zhEntries.first().waitFor();
    const zhText = (await zhEntries.allTextContents()).join('\n');
    expect(zhText).toContain('由 ed 导入 · owners.csv');
    expect(zhText).toContain('负责人—李娜');
    expect(zhText).toContain('生命周期—已退役');
    // A user sees the file name, without a link to the editors' import page.
    expect(await zh.locator('[data-testid=ledger-history-import]').count()).toBe(0);
    await shot(zh, 'ledger-history-zh');
  });

  it('a user sees values only: no edit controls, no bulk edit, no import page', async () => {
    const page = await as('reader', pw.user, 'zh-CN');
    await page.goto(`${app.url}/assets/${uuids[0]}`);
    const card = page.locator('[data-testid=ledger-card]');
    await card.waitFor();
    expect(await card.locator('[data-testid=ledger-value-owner]').textContent()).toBe('张伟 <ops&dev>');
    expect(await card.locator('[data-testid^=ledger-edit-]').count()).toBe(0);
    expect(await card.locator('[data-testid^=override-edit-]').count()).toBe(0);
    await shot(page, 'ledger-card-user-zh');
    // A user chooses ledger columns too (their own saved choice), labelled and translated in 简体中文.
    await page.goto(`${app.url}/assets?cluster=ledger-cluster`);
    await page.locator('[data-testid=column-chooser]').click();
    const group = page.locator('[data-testid=column-group-ledger]');
    await eventually(() => group.textContent()).toContain('台账字段');
    expect(await group.textContent()).toContain('负责人');
    await group.locator('[data-column-choice="ledger.lifecycle"]').check();
    await eventually(() => page.locator('td[data-column="ledger.lifecycle"]').allTextContents()).toEqual(
      Array(5).fill('已退役'),
    );
    await shot(page, 'ledger-columns-user-zh');
    await page.keyboard.press('Escape');
    await page.goto(`${app.url}/assets`);
    await page.locator('[data-testid=asset-table]').waitFor();
    expect(await page.locator('[data-testid=bulk-edit]').count()).toBe(0);
    expect(await page.locator('[data-testid=select-row]').count()).toBe(0);
    await page.goto(`${app.url}/imports`);
    await page.waitForURL((u) => u.pathname === '/');
  });

  it('an admin defines a field on the definitions page; an editor cannot open it', async () => {
    const page = await as(app.adminUser, app.adminPassword);
    await page.goto(`${app.url}/ledger-fields`);
    await page.locator('[data-testid=ledger-fields-table]').waitFor();
    expect(await page.locator('[data-testid=ledger-field-row]').count()).toBe(13);
    await page.locator('[data-testid=add-ledger-field]').click();
    await page.locator('[data-testid=ledger-field-key]').fill('contract');
    await page.locator('[data-testid=ledger-field-en]').fill('Contract');
    await page.locator('[data-testid=ledger-field-zh]').fill('合同');
    await page.locator('[data-testid=form-submit]').click();
    await eventually(() => page.locator('[data-testid=ledger-field-row]').count()).toBe(14);
    await shot(page, 'ledger-fields-admin');
    const editor = await as('ed', pw.editor);
    await editor.goto(`${app.url}/ledger-fields`);
    await editor.waitForURL((u) => u.pathname === '/');
  });
});
