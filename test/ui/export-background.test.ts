// A long export in the browser (issue 14): an Excel export of 3,000 VMs (past the 2,000 rows that make a
// plain download) shows its progress, keeps running while the user moves to another page of the app, and
// the file that arrives opens with exceljs with one vInfo row per VM. The download is throttled through
// Chromium's network emulation so the export is still under way when the test looks and navigates.
// In zh-CN: a CSV export counts its rows in the page's language and Cancel ends it with no file.
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { en } from '@/i18n/en';
import { zhCN } from '@/i18n/zh-CN';
import { createTestDatabase, type TestDatabase } from '../db';
import { launchBrowser, login, screenshotPath, startApp, type RunningApp } from './harness';
import { browserSuite, eventually as poll } from './suite';

const VMS = 3000;
const VIEWPORT = { width: 1280, height: 800 };
// Bytes a second: the ~0.3 MB workbook and ~0.5 MB CSV then take seconds, not milliseconds.
const THROTTLE = 48 * 1024;
// a download throttled to seconds: longer, finer polls than the other suites'
const eventually = <T>(fn: () => T | Promise<T>, timeout = 30_000) => poll(fn, timeout, 200);

const suite = browserSuite();

/** VMs as ingest leaves them: a name, placement columns and a canonical view with two disks. */
async function seedVms(t: TestDatabase): Promise<void> {
  await t.db.execute(sql`
    insert into assets (kind, name, hostname, power_state, cluster_name, host_name, canonical, last_seen_at)
    select 'vm', 'vm-' || lpad(i::text, 5, '0'), 'vm-' || i || '.corp.example', 'poweredOn', 'cl-1',
      'esx-' || (i % 10) || '.lab',
      jsonb_build_object('normalized', jsonb_build_object(
        'identity', jsonb_build_object('caption', 'vm-' || lpad(i::text, 5, '0')),
        'hardware', jsonb_build_object('cpu_count', 2, 'memory_bytes', 4294967296, 'disks', jsonb_build_array(
          jsonb_build_object('name', 'Hard disk 1', 'size_bytes', 42949672960, 'type', 'thin'),
          jsonb_build_object('name', 'Hard disk 2', 'size_bytes', 10737418240, 'type', 'thick'))),
        'runtime', jsonb_build_object('power_state', 'poweredOn'),
        'placement', jsonb_build_object('datacenter', 'DC-東京', 'cluster', 'cl-1'))), now()
    from generate_series(1, ${VMS}::int) i`);
}

async function throttle(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: -1,
  });
}

const panel = (page: Page) => page.getByTestId('export-progress');
const panelState = (page: Page) =>
  panel(page)
    .getAttribute('data-state', { timeout: 1000 })
    .catch(() => null);

suite('background export in the browser', () => {
  let tdb: TestDatabase;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    await seedVms(tdb);
    app = await startApp(tdb.url);
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await tdb?.drop();
  });

  it('an Excel export of 3,000 VMs shows progress, survives moving to another page, and arrives whole', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', acceptDownloads: true });
    const page = await ctx.newPage();
    try {
      await login(page, app.url, app.adminUser, app.adminPassword);
      await page.goto(`${app.url}/assets?kind=vm`);
      await throttle(page, THROTTLE);
      const download = page.waitForEvent('download', { timeout: 180_000 });
      await page.getByTestId('export-xlsx').click();
      // Still on the list (the link did not navigate), with a panel counting the bytes received.
      await eventually(() => panelState(page)).toBe('running');
      expect(new URL(page.url()).pathname).toBe('/assets');
      const received = new RegExp(en.assetExport.received.replace('{size}', '\\d+(\\.\\d)? (KB|MB)'));
      await eventually(() => panel(page).innerText()).toMatch(received);
      expect(await panel(page).innerText()).toContain(
        en.assetExport.preparing.replace('{format}', 'Excel').replace('{total}', VMS.toLocaleString('en')),
      );
      await page.screenshot({ path: screenshotPath('export-background-running'), fullPage: true });

      // Keep working: another page of the app, by its navigation link; the export goes on there.
      await page.locator('nav a[href="/runs"]').first().click();
      await page.waitForURL((u) => u.pathname === '/runs');
      expect(await panelState(page)).toBe('running');
      await page.screenshot({ path: screenshotPath('export-background-other-page'), fullPage: true });

      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^estate-.*\.xlsx$/);
      await eventually(() => panelState(page)).toBe('done');
      expect(await panel(page).innerText()).toContain(file.suggestedFilename());
      await page.screenshot({ path: screenshotPath('export-background-done'), fullPage: true });

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(await file.path());
      const vinfo = wb.getWorksheet('vInfo')!;
      expect(vinfo.actualRowCount - 1).toBe(VMS);
      expect(wb.getWorksheet('vDisk')!.actualRowCount - 1).toBe(VMS * 2);
    } finally {
      await ctx.close();
    }
  }, 300_000);

  it('zh-CN: a CSV export counts its rows in Chinese, and Cancel ends it with no file', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    try {
      await login(page, app.url, app.adminUser, app.adminPassword);
      await page.goto(`${app.url}/assets?kind=vm`);
      await throttle(page, THROTTLE / 4);
      let downloads = 0;
      page.on('download', () => downloads++);
      await page.getByTestId('export-csv').click();
      await eventually(() => panelState(page)).toBe('running');
      // "1,234 / 3,000 行" with at least one row counted.
      const rows = new RegExp(
        zhCN.assetExport.rows
          .replace('{done}', '[1-9][\\d,]*')
          .replace('{total}', VMS.toLocaleString('zh-CN'))
          .replace('/', '\\/'),
      );
      await eventually(() => panel(page).innerText()).toMatch(rows);
      const text = await panel(page).innerText();
      expect(text).toContain(zhCN.assetExport.background);
      expect(text).not.toContain('⟦');
      await page.screenshot({ path: screenshotPath('zh-export-background-running'), fullPage: true });
      await page.getByTestId('export-cancel').click();
      await eventually(() => panel(page).count()).toBe(0);
      await page.waitForTimeout(1000);
      expect(downloads).toBe(0);
    } finally {
      await ctx.close();
    }
  }, 300_000);
});
