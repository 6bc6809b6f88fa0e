// The web UI end to end: the real app (built Next.js + worker) on a test database, the project's vCenter
// simulator, and Debian's Chromium driven by playwright-core. Screenshots land in test-results/.
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { en } from '@/i18n/en';
import { zhCN } from '@/i18n/zh-CN';
import { createTestDatabase, type TestDatabase } from '../db';
import { createSource as insertSource } from '../pipeline-helpers';
import { describeWithVcsim, relocateVm, startVcsim, type Vcsim } from '../vcsim';
import {
  chromiumAvailable,
  launchBrowser,
  login,
  screenshotPath,
  startApp,
  type RunningApp,
} from './harness';
import { browserSuite, eventually } from './suite';

const VIEWPORT = { width: 1280, height: 800 };
// Long CJK names must not break the layout (checked on the screenshots and by the overflow check below).
const SOURCE_NAME = '华东数据中心生产环境虚拟化平台主vCenter服务器（上海浦东新区张江高科技园区机房A）';
const RUN_WAIT_MS = 180_000;

const suite = browserSuite(describeWithVcsim);
if (!chromiumAvailable())
  console.warn('\n!!! SKIPPING the UI suite: /usr/bin/chromium missing (apt-get install chromium)\n');

suite('web UI in Chromium', () => {
  let tdb: TestDatabase;
  let sim: Vcsim;
  let app: RunningApp;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let sourceId = '';

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // 10 VMs: the simulator gives every 10th VM no running Tools (no guest host name or IP).
    sim = await startVcsim({ clusters: 1, hostsPerCluster: 2, vmsPerCluster: 10 });
    app = await startApp(tdb.url);
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    page = await admin.newPage();
    await login(page, app.url, app.adminUser, app.adminPassword);
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await sim?.stop().catch(() => {});
    await tdb?.drop().catch(() => {});
  });

  const go = (p: Page, path: string) => p.goto(`${app.url}${path}`);
  const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(name), fullPage: true });

  /** No element wider than the viewport: the page must not scroll sideways at 1280×800. */
  async function expectNoHorizontalOverflow(p: Page) {
    const { scroll, client } = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll, 'page scrolls sideways').toBeLessThanOrEqual(client + 1);
  }

  async function waitForRun(p: Page, selector: string, timeout = RUN_WAIT_MS) {
    // The runs page refreshes itself while runs are active; reload as well in case none was active yet.
    const deadline = Date.now() + timeout;
    for (;;) {
      if ((await p.locator(selector).count()) > 0) return;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${selector}\n${app.logs().slice(-3000)}`);
      await p.waitForTimeout(1500);
      await p.reload();
    }
  }

  async function createCredential(name: string, username: string, password: string) {
    await go(page, '/credentials');
    await page.getByTestId('add-credential').click();
    const dlg = page.getByTestId('credential-dialog');
    await dlg.locator('#cred-name').fill(name);
    await dlg.locator('#cred-username').fill(username);
    await dlg.locator('#cred-password').fill(password);
    await dlg.getByTestId('form-submit').click();
    await eventually(() =>
      page.getByTestId('credentials-table').getByText(name, { exact: true }).count(),
    ).toBe(1);
  }

  async function createSource(
    name: string,
    credentialName: string,
    endpoint = sim.endpoint,
    beforeSubmit?: (dlg: ReturnType<Page['getByTestId']>) => Promise<void>,
  ) {
    await go(page, '/sources');
    await page.getByTestId('add-source').click();
    const dlg = page.getByTestId('source-dialog');
    await dlg.locator('#src-new-name').fill(name);
    await dlg.locator('#src-new-endpoint').fill(endpoint);
    await dlg.locator('#src-new-cred').selectOption({ label: credentialName });
    await dlg.getByTestId('tls-insecure').check();
    if (beforeSubmit) await beforeSubmit(dlg);
    await dlg.getByTestId('form-submit').click();
    await eventually(() => page.locator(`[data-testid=source-row][data-name="${name}"]`).count()).toBe(1);
    const r = await tdb.db.execute<{ id: string }>(sql`select id from sources where name = ${name}`);
    return r.rows[0]!.id;
  }

  it('journey: credential → source → group → run now → assets → search by IP → host → move → history', async () => {
    await shot(page, 'dashboard-empty');
    await createCredential('vcsim admin', sim.username, sim.password);
    await shot(page, 'credentials');
    sourceId = await createSource(SOURCE_NAME, 'vcsim admin');

    // A schedule group in Shanghai time with the source as member.
    await go(page, '/schedule-groups');
    await page.getByTestId('add-group').click();
    const dlg = page.getByTestId('group-dialog');
    await dlg.locator('#grp-new-name').fill('每日采集 nightly');
    await dlg.getByTestId('group-timezone').fill('Asia/Shanghai');
    await dlg.locator('#grp-new-time').fill('02:30');
    await dlg.getByRole('checkbox', { name: SOURCE_NAME }).check();
    await dlg.getByTestId('form-submit').click();
    const row = page.locator('[data-testid=group-row]').first();
    await eventually(() => row.getByTestId('next-fire').innerText()).toMatch(/02:30/);
    await shot(page, 'schedule-groups');

    // Run now: both modes of the vCenter source are queued.
    await row.getByTestId('run-group-now').click();
    await eventually(() => row.getByTestId('group-run-result').innerText()).toContain('Queued 2');

    // The runs page refreshes itself while runs are active: no reload needed to see them finish.
    await go(page, '/runs');
    expect(await page.getByTestId('auto-refresh').count(), 'auto-refresh while runs are active').toBe(1);
    for (const mode of ['collect_hosts', 'collect_vms']) {
      await page
        .locator(`[data-testid=run-row][data-mode=${mode}][data-status=succeeded]`)
        .waitFor({ timeout: RUN_WAIT_MS });
    }
    await eventually(() => page.getByTestId('auto-refresh').count()).toBe(0);
    expect(await page.locator('[data-testid=run-row][data-status=failed]').count()).toBe(0);
    await shot(page, 'runs');
    await expectNoHorizontalOverflow(page);

    // Run detail of the VM collection: every simulator VM is new.
    await page.locator('[data-testid=run-row][data-mode=collect_vms]').getByTestId('run-link').click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await eventually(() => page.locator('[data-count=new] dd').innerText()).toBe(String(sim.totals.vms));
    expect(await page.getByTestId('run-failure').count()).toBe(0);
    await shot(page, 'run-detail');

    // The asset list shows the simulator's VM count.
    await go(page, '/assets?kind=vm');
    await eventually(() => page.getByTestId('asset-total').getAttribute('data-total')).toBe(
      String(sim.totals.vms),
    );
    // A VM without running Tools says so instead of showing blank guest cells.
    expect(
      await page.getByTestId('asset-table').getByText(en.assets.toolsNotRunning).count(),
    ).toBeGreaterThan(0);
    await shot(page, 'assets');
    await expectNoHorizontalOverflow(page);

    // Search by one VM's IP finds exactly it.
    const vmRow = await tdb.db.execute<{
      uuid: string;
      name: string;
      ip: string;
      moref: string;
      host_name: string;
    }>(sql`
      select a.uuid, a.name, a.ip_addresses[1] as ip, l.external_id as moref, a.host_name
      from assets a join asset_source_links l on l.asset_uuid = a.uuid
      where a.kind = 'vm' and cardinality(a.ip_addresses) > 0 order by a.name limit 1`);
    const vm = vmRow.rows[0];
    expect(vm, 'a VM with an IP address').toBeTruthy();
    await go(page, '/assets');
    await page.getByTestId('asset-search').fill(vm!.ip);
    await page.getByTestId('asset-search').press('Enter');
    await page.waitForURL(/q=/);
    await eventually(() => page.getByTestId('asset-row').count()).toBe(1);
    await eventually(() => page.getByTestId('asset-link').first().innerText()).toBe(vm!.name);

    // Its detail shows the host it runs on.
    await page.getByTestId('asset-link').first().click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);
    const hostBefore = (await page.getByTestId('runs-on').locator('dd').innerText()).trim();
    expect(hostBefore).toBe(vm!.host_name);
    await shot(page, 'asset-detail');
    await page.getByTestId('tab-fields').click();
    await eventually(() => page.getByTestId('fields').locator('[title="runtime.power_state"]').count()).toBe(
      1,
    );
    await shot(page, 'asset-fields');
    // Admins can open a source record's raw payload (the API audits the view).
    await page.getByTestId('tab-records').click();
    await page.getByTestId('view-raw').first().click();
    await eventually(() => page.getByTestId('raw-json').innerText()).toContain(vm!.name);
    await shot(page, 'asset-raw');
    await page.keyboard.press('Escape');
    await expectNoHorizontalOverflow(page);

    // vMotion the VM in the simulator to the other host, collect again: history shows the move.
    const hosts = await tdb.db.execute<{ moref: string; name: string }>(sql`
      select l.external_id as moref, a.name from assets a join asset_source_links l on l.asset_uuid = a.uuid
      where a.kind = 'host' and a.name <> ${hostBefore} order by a.name limit 1`);
    const target = hosts.rows[0]!;
    await relocateVm(sim, vm!.moref, target.moref);
    await go(page, '/sources');
    // One run menu per source, each mode with its one-line explanation.
    await page
      .locator(`[data-testid=source-row][data-name="${SOURCE_NAME}"]`)
      .getByTestId('run-menu')
      .click();
    await page.getByTestId('run-collect_vms').click();
    await eventually(() => page.getByTestId('run-message').innerText()).toContain(en.mode.collect_vms);
    await shot(page, 'sources');
    await go(page, '/runs?mode=collect_vms&status=succeeded');
    await eventually(async () => {
      await page.waitForTimeout(1000);
      await page.reload();
      return page.locator('[data-testid=run-row]').count();
    }, RUN_WAIT_MS).toBe(2);
    await go(page, `/assets/${vm!.uuid}`);
    expect((await page.getByTestId('runs-on').locator('dd').innerText()).trim()).toBe(target.name);
    await page.getByTestId('tab-history').click();
    const moved = page.locator('[data-event=relation_changed]').getByTestId('moved').first();
    await eventually(() => moved.innerText()).toContain(`${hostBefore} → ${target.name}`);
    await shot(page, 'asset-history');
    await page.getByTestId('tab-relations').click();
    await eventually(() =>
      page.getByTestId('relations-inactive').getByText(hostBefore).count(),
    ).toBeGreaterThan(0);
    await shot(page, 'asset-relations');

    await go(page, '/');
    await eventually(() => page.getByTestId('count-vm-total').innerText()).toBe(String(sim.totals.vms));
    await shot(page, 'dashboard');
  }, 600_000);

  it('a source with a wrong password shows a failed run with the reason, on the dashboard and in run detail', async () => {
    await createCredential('wrong password', sim.username, 'not-the-password');
    const name = 'vcsim wrong password';
    // The simulator is a source already: the same endpoint in another spelling is refused in words, naming
    // it. Spelled as localhost (which no normalization can prove equal), the save passes.
    await createSource(
      name,
      'wrong password',
      sim.endpoint.replace('127.0.0.1', 'localhost'),
      async (dlg) => {
        await dlg.locator('#src-new-endpoint').fill(`${sim.endpoint}/sdk/`);
        await dlg.getByTestId('form-submit').click();
        // Said in words, without the generic "Something went wrong" of an unexpected failure.
        await eventually(() => dlg.getByTestId('form-error').innerText()).toBe(
          en.identity.sourceDuplicate.replace('{name}', SOURCE_NAME),
        );
        await shot(page, 'source-duplicate-refused');
        await dlg.locator('#src-new-endpoint').fill(sim.endpoint.replace('127.0.0.1', 'localhost'));
      },
    );
    await page.locator(`[data-testid=source-row][data-name="${name}"]`).getByTestId('run-menu').click();
    await page.getByTestId('run-collect_hosts').click();
    await go(page, '/runs?status=failed');
    await waitForRun(page, '[data-testid=run-row][data-status=failed]');

    await go(page, '/');
    const failing = page.getByTestId('failing-sources');
    await eventually(() => failing.innerText()).toContain(name);
    expect(await failing.innerText()).toContain(en.errorHelp.auth.what);
    expect(await failing.innerText()).toContain(en.errorHelp.auth.next);

    await failing.getByRole('link', { name }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await eventually(() => page.getByTestId('failure-what').innerText()).toBe(en.errorHelp.auth.what);
    expect(await page.getByTestId('failure-next').innerText()).toContain(en.errorHelp.auth.next);
    expect(await page.getByTestId('error-code').allInnerTexts()).toContain('VCENTER_AUTH_FAILED');
    // An auth failure offers the way to fix it and to try again.
    expect(await page.getByTestId('edit-credential').getAttribute('href')).toBe('/credentials');
    expect(await page.getByTestId('run-again').count()).toBe(1);
    await shot(page, 'run-detail-failed');

    // The dashboard marks the source that never collected successfully as stale, and its chart bars open
    // that day's runs.
    await go(page, '/');
    const fresh = page.locator(`[data-testid=freshness-row]`, { hasText: name });
    expect(await fresh.getAttribute('data-stale')).toBe('true');
    const today = new Date().toISOString().slice(0, 10);
    await page.locator(`a[data-day="${today}"]`).click();
    await page.waitForURL((u) => u.pathname === '/runs' && u.searchParams.get('day') === today);
    expect(await page.locator('[data-testid=run-row][data-status=failed]').count()).toBeGreaterThan(0);
  }, 600_000);

  it('a user account reads assets and runs but gets no admin pages or actions', async () => {
    // An admin creates the account through the users page (a generated password is shown once).
    await go(page, '/users');
    await page.getByTestId('add-user').click();
    const dlg = page.getByTestId('user-dialog');
    await dlg.locator('#usr-new-username').fill('auditor');
    await dlg.locator('#usr-new-password').fill('auditor-pass-1');
    await dlg.getByTestId('form-submit').click();
    await eventually(() =>
      page.getByTestId('users-table').getByText('auditor', { exact: true }).count(),
    ).toBe(1);
    await shot(page, 'users');

    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    const user = await ctx.newPage();
    try {
      await login(user, app.url, 'auditor', 'auditor-pass-1', 'auditor-pass-2');
      await shot(user, 'user-dashboard');
      expect(await user.getByTestId('admin-nav').count()).toBe(0);
      await go(user, '/assets');
      expect(Number(await user.getByTestId('asset-total').getAttribute('data-total'))).toBeGreaterThan(0);
      await go(user, '/runs');
      expect(await user.getByTestId('run-row').count()).toBeGreaterThan(0);
      // Asset detail: no raw viewer for a user.
      await user.getByRole('link', { name: en.nav.assets }).click();
      await user.getByTestId('asset-link').first().click();
      await user.getByTestId('tab-records').click();
      expect(await user.getByTestId('view-raw').count()).toBe(0);
      // Direct URLs of admin pages are refused (sent home with the reason).
      for (const path of ['/sources', '/credentials', '/schedule-groups', '/users', '/tokens', '/audit']) {
        await go(user, path);
        expect(new URL(user.url()).pathname, path).toBe('/');
        expect(await user.getByTestId('forbidden').count(), path).toBe(1);
      }
      // And the API refuses the actions too.
      const status = await user.evaluate(async (id) => {
        const r = await fetch(`/api/v1/sources/${id}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ mode: 'collect' }),
        });
        return r.status;
      }, sourceId);
      expect(status).toBe(403);
      await shot(user, 'user-forbidden');
    } finally {
      await ctx.close();
    }
  }, 600_000);

  it('run detail lists values left out (FIELD_INVALID) grouped by field, in words, in both languages', async () => {
    const src = await tdb.db.execute<{ id: string }>(sql`select id from sources order by created_at limit 1`);
    // The journey's source, or one of its own when this test runs alone.
    const sourceId = src.rows[0]?.id ?? (await insertSource(tdb.db)).id;
    const warnings = [
      {
        code: 'FIELD_INVALID',
        field: 'storage.datastores[].free_bytes',
        count: 3,
        message: 'storage.datastores[].free_bytes was invalid on 3 objects',
        examples: [
          {
            external_kind: 'host',
            external_id: 'host-21',
            path: 'storage.datastores.0.free_bytes',
            value: '-52428800',
          },
          {
            external_kind: 'host',
            external_id: 'host-22',
            path: 'storage.datastores.1.free_bytes',
            value: '-1024',
          },
        ],
      },
      {
        code: 'FIELD_INVALID',
        field: 'hardware.memory_bytes',
        count: 1,
        message: 'hardware.memory_bytes was invalid on 1 object',
        examples: [{ external_kind: 'vm', external_id: 'vm-7', path: 'hardware.memory_bytes', value: 'NaN' }],
      },
      { code: 'VCENTER_RELOGIN', message: 'vCenter session expired during the run; logged in again' },
    ];
    const r = await tdb.db.execute<{ id: string }>(sql`
      insert into runs (source_id, mode, status, trigger, started_at, finished_at, warnings, stats, detect)
      values (${sourceId}, 'collect_hosts', 'succeeded', 'manual', now(), now(),
              ${JSON.stringify(warnings)}::jsonb, '{"assets": 520}'::jsonb,
              '{"target_version": "8.0.2", "instance_uuid": "u-1", "api_type": "VirtualCenter"}'::jsonb) returning id`);
    await go(page, `/runs/${r.rows[0]!.id}`);
    const section = page.getByTestId('run-field-warnings');
    expect(await section.innerText()).toContain(en.fieldWarnings.title.replace('{fields}', '2'));
    expect(await section.locator('[data-field="hardware.memory_bytes"]').innerText()).toContain('Memory');
    expect(await section.locator('[data-field="storage.datastores[].free_bytes"]').innerText()).toContain(
      '-52428800',
    );
    // The other warnings stay in the general list, without the grouped ones.
    expect(await page.getByTestId('run-warnings').innerText()).toContain('VCENTER_RELOGIN');
    expect(await page.getByTestId('run-warnings').innerText()).not.toContain('FIELD_INVALID');
    expect(await section.innerText()).toContain('host-21');
    // What detect found, labelled in words (the worker stores the plugin's snake_case keys).
    const detect = await page.getByTestId('run-detect').innerText();
    expect(detect).toContain(en.run.detectField.targetVersion);
    expect(detect).toContain(en.run.detectField.instanceUuid);
    expect(detect).toContain('8.0.2');
    expect(detect).not.toMatch(/target_?version|instance_?uuid/i);
    await shot(page, 'run-detail-field-warnings');
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const zh = await ctx.newPage();
    try {
      await login(zh, app.url, app.adminUser, app.adminPassword);
      await go(zh, `/runs/${r.rows[0]!.id}`);
      const text = await zh.getByTestId('run-field-warnings').innerText();
      expect(text).toContain(zhCN.fieldWarnings.title.replace('{fields}', '2'));
      expect(text).toContain('内存');
      expect(text).not.toContain('⟦');
      expect(await zh.getByTestId('run-detect').innerText()).toContain(zhCN.run.detectField.apiType);
      await expectNoHorizontalOverflow(zh);
      await shot(zh, 'zh-run-detail-field-warnings');
    } finally {
      await ctx.close();
    }
  }, 600_000);

  it('renders the asset list and run detail in Simplified Chinese with no untranslated keys', async () => {
    // The browser asks for Chinese: no cookie needed, the default follows Accept-Language.
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const zh = await ctx.newPage();
    try {
      await login(zh, app.url, app.adminUser, app.adminPassword);
      expect(await zh.locator('html').getAttribute('lang')).toBe('zh-CN');
      const check = async (name: string) => {
        const text = await zh.locator('body').innerText();
        expect(text, `${name}: untranslated key`).not.toContain('⟦');
        expect(text).toContain(zhCN.nav.assets);
        // English UI words must not leak into the Chinese pages.
        for (const word of [en.nav.dashboard, en.common.next, en.runs.source, en.assets.exportCsv]) {
          expect(text, `${name}: English "${word}"`).not.toContain(word);
        }
        await expectNoHorizontalOverflow(zh);
        await shot(zh, `zh-${name}`);
      };
      await go(zh, '/assets');
      expect(await zh.getByTestId('export-csv').innerText()).toContain(zhCN.assets.exportCsv);
      // The Excel workbook beside the CSV, headers in the page's language.
      expect(await zh.getByTestId('export-xlsx').innerText()).toContain(zhCN.assetExport.excel);
      expect(await zh.getByTestId('export-xlsx').getAttribute('href')).toMatch(
        /^\/api\/v1\/exports\/assets\.xlsx\?.*lang=zh-CN/,
      );
      await check('assets');
      await go(zh, '/runs?status=failed');
      await zh.getByTestId('run-link').first().click();
      await zh.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      expect(await zh.getByTestId('failure-what').innerText()).toBe(zhCN.errorHelp.auth.what);
      await check('run-detail');
      await go(zh, '/runs');
      await check('runs');
      await go(zh, '/');
      await check('dashboard');
      // Switching the language back is a cookie the switcher sets.
      await zh.getByTestId('locale-switcher').selectOption('en');
      await eventually(() => zh.locator('h1').first().innerText()).toBe(en.dashboard.title);
    } finally {
      await ctx.close();
    }
  }, 600_000);
});
