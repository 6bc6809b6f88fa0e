// A slow run you can follow and stop (issue 15 item 5), in Chromium: the simulator pages its answers (15
// objects each, as a vCenter pages by maxObjects) and delays every page, first and continued, by 2 s, so a
// 300-VM collection takes 20 pages and ~40 s. The run page shows the phase and a count that rises page by
// page; Cancel ends it `cancelled`, and nothing of it reaches the ledger.
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import { armVcsimFault, describeWithVcsim, startVcsim, type Vcsim } from '../vcsim';
import { launchBrowser, login, screenshotPath, startApp, type RunningApp } from './harness';
import { browserSuite } from './suite';

const VIEWPORT = { width: 1280, height: 800 };

const suite = browserSuite(describeWithVcsim);

suite('a slow run in the browser', () => {
  let tdb: TestDatabase;
  let sim: Vcsim;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let sourceId = '';

  async function postJson(path: string, data: unknown) {
    const res = await page.request.post(`${app.url}${path}`, { data, headers: { origin: app.url } });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    sim = await startVcsim({ clusters: 1, hostsPerCluster: 2, vmsPerCluster: 300, page: 15 });
    app = await startApp(tdb.url);
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    page = await ctx.newPage();
    await login(page, app.url, app.adminUser, app.adminPassword);
    const cred = (await postJson('/api/v1/credentials', {
      name: 'vcsim',
      type: 'vcenter',
      data: { username: sim.username, password: sim.password },
    })) as { id: string };
    const src = (await postJson('/api/v1/sources', {
      name: 'Slow vCenter',
      type: 'vcenter',
      config: { endpoint: sim.endpoint, insecure: true },
      credentialId: cred.id,
    })) as { id: string };
    sourceId = src.id;
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await sim?.stop().catch(() => {});
    await tdb?.drop().catch(() => {});
  });

  it('shows the phase and a rising object count, and Cancel ends it cancelled with nothing ingested', async () => {
    // Every page (RetrievePropertiesEx and ContinueRetrievePropertiesEx) waits 2 s in the simulator.
    await armVcsimFault(sim, { kind: 'delay', method: 'RetrievePropertiesEx', ms: 2000 });
    await page.goto(`${app.url}/sources/${sourceId}`);
    await page.getByTestId('run-menu').click();
    await page.getByTestId('run-collect_vms').click();
    await page.getByTestId('run-message').locator('a').click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);

    const progress = page.getByTestId('run-progress');
    const objects = async () => Number((await progress.getAttribute('data-objects').catch(() => '')) || 0);
    await expect.poll(objects, { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
    expect(await progress.getAttribute('data-phase')).toBe('collecting');
    await expect.poll(() => progress.innerText()).toMatch(/virtual machines|VMs/i);
    const first = await objects();
    expect(first, 'the count starts below the VM total: it is a page, not the end').toBeLessThan(300);
    await page.screenshot({ path: screenshotPath('run-progress') });
    await expect.poll(objects, { timeout: 30_000, interval: 250 }).toBeGreaterThan(first);
    expect(await objects(), 'still under way when cancelled').toBeLessThan(300);
    expect(await progress.innerText()).toMatch(/objects/);
    await page.screenshot({ path: screenshotPath('run-progress-rising') });

    await page.getByTestId('cancel-run').click();
    await expect
      .poll(() => page.locator('h1 [data-status]').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('cancelled');
    expect(await page.getByTestId('run-attempts').innerText(), 'no retries promised').toBe('Attempt 1');
    await page.screenshot({ path: screenshotPath('run-cancelled') });
    await armVcsimFault(sim, { kind: '' });

    const runId = page.url().split('/').pop()!;
    const run = await tdb.db.execute<{ status: string }>(sql`select status from runs where id = ${runId}`);
    expect(run.rows[0]!.status).toBe('cancelled');
    const vms = await tdb.db.execute<{ n: number }>(
      sql`select count(*)::int as n from assets where kind = 'vm'`,
    );
    expect(vms.rows[0]!.n, 'nothing of a cancelled run is ingested').toBe(0);
  }, 180_000);
});
