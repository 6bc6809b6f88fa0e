// The auditor's UI at RVTools density (issue 15), in Chromium at 1280×800 against a 200-VM simulator:
// ≥ 25 asset rows on one screen, columns chosen once and kept on the server, one row per fact on host and
// VM pages, history in GiB in both languages, and every page screenshotted in both languages, none logging an
// error.
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCALE_COOKIE } from '@/i18n';
import { createTestDatabase, type TestDatabase } from '../db';
import { describeWithVcsim, destroyVm, setVmMemory, startVcsim, type Vcsim } from '../vcsim';
import { launchBrowser, login, screenshotPath, startApp, type RunningApp } from './harness';
import { browserSuite, eventually } from './suite';

const VIEWPORT = { width: 1280, height: 800 };
const RUN_WAIT_MS = 300_000;

const suite = browserSuite(describeWithVcsim);

/**
 * Filter selects and search boxes whose shown text (the chosen option, the placeholder) is wider than the
 * room the control gives it, measured with the control's own font.
 */
async function cutOffControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLSelectElement | HTMLInputElement>(
      'form[role=search] select, form[role=search] input[type=search]',
    );
    for (const el of controls) {
      const cs = getComputedStyle(el);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text =
        el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : el.value || el.placeholder;
      // (A select's right padding is its arrow's room.)
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (ctx.measureText(text).width > room) out.push(`${el.name}: "${text}"`);
    }
    return out;
  });
}

// Values the dictionary translates; none may appear raw on a zh-CN page.
const RAW_ENUMS = [
  'poweredOn',
  'poweredOff',
  'toolsOk',
  'toolsNotRunning',
  'toolsOld',
  'connected',
  'notResponding',
];

suite('auditor UI at 200 VMs', () => {
  let tdb: TestDatabase;
  let sim: Vcsim;
  let app: RunningApp;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let sourceId = '';
  let offlineUuid = '';

  const go = (p: Page, path: string) => p.goto(`${app.url}${path}`);
  const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(name), fullPage: true });
  const setLocale = async (locale: 'en' | 'zh-CN') =>
    ctx.addCookies([{ name: LOCALE_COOKIE, value: locale, url: app.url }]);

  async function postJson(path: string, data: unknown) {
    // A cookie-authenticated write needs its Origin (CSRF check), as a browser's fetch sends it.
    const res = await page.request.post(`${app.url}${path}`, { data, headers: { origin: app.url } });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  }

  async function collect(mode: 'collect_hosts' | 'collect_vms') {
    const { run } = (await postJson(`/api/v1/sources/${sourceId}/runs`, { mode })) as { run: { id: string } };
    // Polled by hand: expect.poll only works inside a test, and this runs in beforeAll too.
    const deadline = Date.now() + RUN_WAIT_MS;
    for (;;) {
      const r = await page.request.get(`${app.url}/api/v1/runs/${run.id}`);
      const status = ((await r.json()) as { status: string }).status;
      if (status === 'succeeded') break;
      if (status === 'failed' || status === 'cancelled' || Date.now() > deadline)
        throw new Error(`run ${run.id} ended ${status}\n${app.logs().slice(-3000)}`);
      await page.waitForTimeout(500);
    }
    return run.id;
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    sim = await startVcsim({ clusters: 2, hostsPerCluster: 4, vmsPerCluster: 100 });
    app = await startApp(tdb.url);
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    page = await ctx.newPage();
    await login(page, app.url, app.adminUser, app.adminPassword);
    const cred = (await postJson('/api/v1/credentials', {
      name: 'vcsim',
      type: 'vcenter',
      data: { username: sim.username, password: sim.password },
    })) as { id: string };
    const src = (await postJson('/api/v1/sources', {
      name: 'Lab vCenter',
      type: 'vcenter',
      config: { endpoint: sim.endpoint, insecure: true },
      credentialId: cred.id,
    })) as { id: string };
    sourceId = src.id;
    await collect('collect_hosts');
    await collect('collect_vms');
    // Generous: on a loaded CI machine (load 20+ on two cores) start-up and two collections take minutes.
  }, 900_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await sim?.stop().catch(() => {});
    await tdb?.drop().catch(() => {});
  });

  it('shows at least 25 asset rows on one 1280×800 screen, one line each, IPs as "first +n"', async () => {
    await go(page, '/assets?kind=vm');
    await eventually(() => page.getByTestId('asset-total').getAttribute('data-total')).toBe('200');
    await page.screenshot({ path: screenshotPath('auditor-assets-viewport') });
    const visible = await page
      .getByTestId('asset-row')
      .evaluateAll(
        (rows, h) => rows.filter((r) => r.getBoundingClientRect().bottom <= h).length,
        VIEWPORT.height,
      );
    expect(visible, 'asset rows fully visible without scrolling').toBeGreaterThanOrEqual(25);
    const heights = await page
      .getByTestId('asset-row')
      .evaluateAll((rows) => rows.map((r) => Math.round(r.getBoundingClientRect().height)));
    expect(Math.max(...heights), 'every row is one line').toBeLessThanOrEqual(30);
    await shot(page, 'auditor-assets');
  });

  it('keeps chosen columns across a reload (saved on the server)', async () => {
    await go(page, '/assets');
    expect(await page.locator('th[data-column=datacenter]').count()).toBe(0);
    await page.getByTestId('column-chooser').click();
    await page.locator('[data-column-choice=datacenter]').check();
    await page.locator('[data-column-choice=toolsStatus]').uncheck();
    await eventually(() => page.locator('th[data-column=datacenter]').count()).toBe(1);
    await eventually(() => page.locator('th[data-column=toolsStatus]').count()).toBe(0);
    await shot(page, 'auditor-column-chooser');
    await page.keyboard.press('Escape');
    await page.reload();
    expect(await page.locator('th[data-column=datacenter]').count()).toBe(1);
    expect(await page.locator('th[data-column=toolsStatus]').count()).toBe(0);
    // A fresh browser context (another machine): the same columns.
    const other = await browser.newContext({ viewport: VIEWPORT });
    const p2 = await other.newPage();
    await login(p2, app.url, app.adminUser, app.adminPassword);
    await go(p2, '/assets');
    expect(await p2.locator('th[data-column=datacenter]').count()).toBe(1);
    await other.close();
  });

  it('filters apply on change, show as removable chips, and pages are numbered without impossible ranges', async () => {
    await go(page, '/assets');
    await page.getByTestId('filter-kind').selectOption('vm');
    await page.waitForURL(/kind=vm/);
    await eventually(() => page.getByTestId('filter-chip').count()).toBe(1);
    await page.getByTestId('filter-powerState').selectOption('poweredOn');
    await page.waitForURL(/powerState=poweredOn/);
    await eventually(() => page.getByTestId('filter-chip').count()).toBe(2);
    await shot(page, 'auditor-assets-filtered');
    await page.locator('[data-testid=filter-chip][data-filter=kind]').click();
    await page.waitForURL((u) => !u.search.includes('kind='));
    await eventually(() => page.getByTestId('filter-chip').count()).toBe(1);
    // Past the end: the last page, not "100000–1085 of 1085".
    await go(page, '/assets?offset=100000&limit=25');
    const summary = await page.getByTestId('pager-summary').innerText();
    const total = Number(await page.getByTestId('asset-total').getAttribute('data-total'));
    const [from, to] = summary.match(/\d+/g)!.map(Number);
    expect(to).toBe(total);
    expect(from).toBeLessThanOrEqual(to!);
    expect(await page.getByTestId('pager-page').count()).toBeGreaterThan(2);
  });

  it('a host lists each of its VMs exactly once; a VM names its host and cluster', async () => {
    const host = (
      await tdb.db.execute<{ uuid: string; name: string; vms: number }>(sql`
        select h.uuid, h.name, (select count(*)::int from assets v where v.kind = 'vm' and v.host_name = h.name) as vms
        from assets h where h.kind = 'host' order by h.name limit 1`)
    ).rows[0]!;
    expect(host.vms).toBeGreaterThan(0);
    await go(page, `/assets/${host.uuid}`);
    await expect.poll(() => page.getByTestId('host-vms-row').count()).toBe(host.vms);
    const uuids = await page
      .getByTestId('host-vms-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uuid')));
    expect(new Set(uuids).size, 'each VM once in the VM table').toBe(host.vms);
    // The relations tab: one row per VM as well (hosts_vm folded into runs_on).
    const vmRelations = page.locator(
      '[data-testid=relations-active] [data-relation=runs_on][data-direction=in]',
    );
    expect(await vmRelations.count()).toBe(host.vms);
    expect(await page.locator('[data-relation=hosts_vm]').count()).toBe(0);
    await shot(page, 'auditor-host');

    const vm = (
      await tdb.db.execute<{ uuid: string; host_name: string; cluster_name: string }>(sql`
        select uuid, host_name, cluster_name from assets where kind = 'vm' and host_name = ${host.name} limit 1`)
    ).rows[0]!;
    await go(page, `/assets/${vm.uuid}`);
    const placement = await page.getByTestId('placement').innerText();
    expect(placement).toContain(vm.host_name);
    expect(placement).toContain(vm.cluster_name);
    expect(await page.getByTestId('placement').locator('a').count()).toBe(2);
    expect(await page.locator('[data-testid=relations-active] [data-relation=runs_on]').count()).toBe(1);
    await shot(page, 'auditor-vm');

    const cluster = (
      await tdb.db.execute<{ uuid: string }>(sql`select uuid from assets where kind = 'cluster' limit 1`)
    ).rows[0]!;
    await go(page, `/assets/${cluster.uuid}`);
    expect(await page.getByTestId('cluster-hosts-row').count()).toBe(4);
    expect(await page.getByTestId('cluster-vms-row').count()).toBe(100);
    expect(await page.getByTestId('cluster-vms-totals').count()).toBe(1);
    await shot(page, 'auditor-cluster');
  });

  it('a memory change reads in GiB in history, in English and in Chinese', async () => {
    const vm = (
      await tdb.db.execute<{ uuid: string; moref: string }>(sql`
        select a.uuid, l.external_id as moref from assets a join asset_source_links l on l.asset_uuid = a.uuid
        where a.kind = 'vm' order by a.name limit 1`)
    ).rows[0]!;
    await setVmMemory(sim, vm.moref, 16384);
    await collect('collect_vms');
    await go(page, `/assets/${vm.uuid}?tab=history`);
    const change = page
      .locator('[data-event=changed] [data-path="hardware.memory_bytes"]')
      .first()
      .locator('..');
    await expect.poll(() => change.innerText()).toMatch(/Memory\s+\S+ [GM]iB\s*16 GiB/);
    await shot(page, 'auditor-history');
    await setLocale('zh-CN');
    await page.reload();
    await expect.poll(() => change.innerText()).toMatch(/内存\s+\S+ [GM]iB\s*16 GiB/);
    await shot(page, 'auditor-history.zh-CN');
    await setLocale('en');
  }, 300_000);

  it('a deep link survives sign-in; an open redirect does not', async () => {
    const anon = await browser.newContext({ viewport: VIEWPORT });
    const p = await anon.newPage();
    await p.goto(`${app.url}/assets?kind=vm&powerState=poweredOn`);
    await p.waitForURL(/\/login\?next=/);
    await p.locator('#username').fill(app.adminUser);
    await p.locator('#password').fill(app.adminPassword);
    await p.locator('form button[type=submit]').click();
    await p.waitForURL((u) => u.pathname === '/assets');
    expect(new URL(p.url()).search).toBe('?kind=vm&powerState=poweredOn');
    await anon.clearCookies();
    await p.goto(`${app.url}/login?next=${encodeURIComponent('//evil.example/x')}`);
    await p.locator('#username').fill(app.adminUser);
    await p.locator('#password').fill(app.adminPassword);
    await p.locator('form button[type=submit]').click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    expect(new URL(p.url()).origin).toBe(app.url);
    expect(new URL(p.url()).pathname).toBe('/');
    await anon.close();
  });

  it('test connection in the source form: a good endpoint says OK, a wrong password says so, a TLS error offers the thumbprint', async () => {
    await postJson('/api/v1/credentials', {
      name: 'wrong password',
      type: 'vcenter',
      data: { username: sim.username, password: 'not-the-password' },
    });
    const sourcesBefore = await tdb.db.execute(sql`select id from sources`);
    for (const locale of ['en', 'zh-CN'] as const) {
      await setLocale(locale);
      await go(page, '/sources');
      await page.getByTestId('add-source').click();
      const dialog = page.getByTestId('source-dialog');
      await dialog.locator('#src-new-endpoint').fill(sim.endpoint);
      await dialog.locator('#src-new-cred').selectOption({ label: 'vcsim' });
      await dialog.getByTestId('tls-insecure').check();
      const result = dialog.getByTestId('test-connection-result');
      const testIt = async () => {
        await dialog.getByTestId('test-connection').click();
        await expect.poll(() => result.count(), { timeout: 60_000 }).toBe(1);
        return result;
      };
      await testIt();
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.innerText()).toMatch(
        locale === 'en' ? /Connected: vCenter \d/ : /已连接：vCenter \d/,
      );
      await shot(page, `source-test-ok.${locale}`);

      await dialog.locator('#src-new-cred').selectOption({ label: 'wrong password' });
      await testIt();
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await result.getAttribute('data-code')).toBe('VCENTER_AUTH_FAILED');
      expect(await result.innerText()).toContain(
        locale === 'en' ? 'vCenter refused the user name or password.' : 'vCenter 拒绝了用户名或密码。',
      );
      await shot(page, `source-test-auth.${locale}`);

      await dialog.locator('#src-new-cred').selectOption({ label: 'vcsim' });
      await dialog.getByTestId('tls-verify').check();
      await testIt();
      expect(await result.getAttribute('data-code')).toBe('VCENTER_TLS_ERROR');
      const thumb = await dialog.getByTestId('test-thumbprint').innerText();
      await shot(page, `source-test-tls.${locale}`);
      await dialog.getByTestId('use-thumbprint').click();
      expect(await dialog.getByTestId('tls-thumbprint').isChecked()).toBe(true);
      expect(await dialog.locator('input[name=thumbprint_sha256]').inputValue()).toBe(thumb);
      await testIt();
      expect(await result.getAttribute('data-ok'), 'the pinned thumbprint is trusted').toBe('true');
      await page.keyboard.press('Escape');
    }
    await setLocale('en');
    const sourcesAfter = await tdb.db.execute(sql`select id from sources`);
    expect(sourcesAfter.rows.length, 'a test saves nothing').toBe(sourcesBefore.rows.length);
    const audited = await tdb.db.execute<{ outcome: string }>(
      sql`select outcome from audit_events where action = 'source.test_connection' order by ts`,
    );
    expect(audited.rows.map((r) => r.outcome)).toEqual([
      ...['success', 'failure', 'failure', 'success'],
      ...['success', 'failure', 'failure', 'success'],
    ]);
  }, 300_000);

  it('the audit log: names with links, before/after values, filters by user, action, outcome and date, CSV of the filtered log, in both languages', async () => {
    const patch = async (name: string) => {
      const res = await page.request.patch(`${app.url}/api/v1/sources/${sourceId}`, {
        data: { name },
        headers: { origin: app.url },
      });
      expect(res.status(), await res.text()).toBe(200);
    };
    await patch('Lab vCenter 2');
    await patch('Lab vCenter');
    const adminId = (
      await tdb.db.execute<{ id: string }>(sql`select id from users where username = ${app.adminUser}`)
    ).rows[0]!.id;
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const table = page.getByTestId('audit-table');
    const rows = table.locator('tbody tr');
    for (const locale of ['en', 'zh-CN'] as const) {
      await setLocale(locale);
      await go(page, '/audit');
      // Filters apply on change, one after the other, and stay in the URL.
      await page.getByTestId('filter-action').selectOption('source.');
      await page.waitForURL(/action=source\./);
      await page.getByTestId('filter-user').selectOption(adminId);
      await page.waitForURL(/user=/);
      await page.getByTestId('filter-from').fill(today);
      await page.waitForURL(/from=/);
      const first = rows.first();
      expect(await first.getAttribute('data-action')).toBe('source.update');
      expect(await first.getByTestId('audit-old').innerText()).toBe('Lab vCenter 2');
      expect(await first.getByTestId('audit-new').innerText()).toBe('Lab vCenter');
      const target = first.getByTestId('audit-target').locator('a');
      expect(await target.innerText()).toBe('Lab vCenter');
      expect(await target.getAttribute('href')).toBe(`/sources/${sourceId}`);
      const details = await table.getByTestId('audit-details').allInnerTexts();
      expect(details.join('\n'), 'no raw detail keys').not.toMatch(
        /\b(tlsMode|credentialId|errorCode|changed|changes|run_id|endpoint):/,
      );
      if (locale === 'zh-CN') {
        expect(await first.getByTestId('audit-details').innerText()).toContain('名称:');
        expect(await table.innerText()).not.toMatch(/\b(test connection|Source|changed)\b/);
      }
      await shot(page, `audit-log.${locale}`);
      // The export is the filtered log, in the reader's language.
      const shown = await rows.count();
      const href = await page.getByTestId('audit-export').getAttribute('href');
      const csv = await page.request.get(`${app.url}${href}`);
      expect(csv.status()).toBe(200);
      const lines = (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        locale === 'en'
          ? 'Time,Who,Action,Action code,Outcome,Target type,Target,Target ID,IP,Request ID,Details'
          : '时间,操作者,操作,操作代码,结果,对象类型,对象,对象 ID,IP,请求 ID,详情',
      );
      expect(lines.length - 1, 'as many events as the page shows').toBe(shown);
      expect(lines[1]).toContain(
        locale === 'en' ? 'Name: Lab vCenter 2 → Lab vCenter' : '名称: Lab vCenter 2 → Lab vCenter',
      );
      // Outcome and a date range that holds nothing.
      await page.getByTestId('filter-outcome').selectOption('failure');
      await page.waitForURL(/outcome=failure/);
      for (const o of await table.locator('tbody tr').all())
        expect(await o.getAttribute('data-action')).toBe('source.test_connection');
      await page.getByTestId('filter-to').fill(yesterday);
      await page.waitForURL(/to=/);
      expect(await table.locator('tbody tr[data-action]').count()).toBe(0);
    }
    await setLocale('en');
    // Ids in details are names with links too: a run start links its run.
    await go(page, '/audit?action=run.');
    const runLinks = table.getByTestId('audit-details').locator('a[href^="/runs/"]');
    expect(await runLinks.count()).toBeGreaterThan(0);
  }, 300_000);

  it('a VM deleted in vCenter reads offline, last seen with values as of then, one term in history, in both languages', async () => {
    const vm = (
      await tdb.db.execute<{ uuid: string; moref: string }>(sql`
        select a.uuid, l.external_id as moref from assets a join asset_source_links l on l.asset_uuid = a.uuid
        where a.kind = 'vm' order by a.name desc limit 1`)
    ).rows[0]!;
    await destroyVm(sim, vm.moref);
    await collect('collect_vms');
    offlineUuid = vm.uuid;
    for (const [locale, note, term] of [
      ['en', /^Offline — last seen \d{4}-\d{2}-\d{2} .+; the values below are as of then\.$/, 'Went offline'],
      ['zh-CN', /^离线 — 最后发现于 \d{4}-\d{2}-\d{2} .+；以下数值为当时的值。$/, '离线'],
    ] as const) {
      await setLocale(locale);
      await go(page, `/assets/${vm.uuid}?tab=history`);
      expect((await page.getByTestId('offline-note').innerText()).trim()).toMatch(note);
      const events = page.locator('[data-event]');
      const types = await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
      expect(
        types.filter((x) => x === 'went_missing'),
        `one deletion event in ${types}`,
      ).toHaveLength(1);
      expect(await page.locator('[data-event=went_missing]').innerText()).toContain(term);
      await shot(page, `asset-offline.${locale}`);
    }
    await setLocale('en');
  }, 300_000);

  it('every page in both languages: screenshots, no untranslated key, no raw enum value in Chinese', async () => {
    const host = (
      await tdb.db.execute<{ uuid: string }>(sql`select uuid from assets where kind = 'host' limit 1`)
    ).rows[0]!;
    const vm = (
      await tdb.db.execute<{ uuid: string }>(sql`select uuid from assets where kind = 'vm' limit 1`)
    ).rows[0]!;
    const run = (
      await tdb.db.execute<{ id: string }>(sql`select id from runs order by created_at desc limit 1`)
    ).rows[0]!;
    const cluster = (
      await tdb.db.execute<{ uuid: string }>(sql`select uuid from assets where kind = 'cluster' limit 1`)
    ).rows[0]!;
    const pages: [string, string][] = [
      ['dashboard', '/'],
      ['assets', '/assets'],
      ['host', `/assets/${host.uuid}`],
      ['vm', `/assets/${vm.uuid}`],
      ['vm-history', `/assets/${vm.uuid}?tab=history`],
      ['vm-fields', `/assets/${vm.uuid}?tab=fields`],
      ['vm-records', `/assets/${vm.uuid}?tab=records`],
      ['cluster', `/assets/${cluster.uuid}`],
      ['vm-offline', `/assets/${offlineUuid}`],
      ['ledger-fields', '/ledger-fields'],
      ['imports', '/imports'],
      ['duplicates', '/duplicates?kind=vm'],
      ['runs', '/runs'],
      ['run', `/runs/${run.id}`],
      ['sources', '/sources'],
      ['source', `/sources/${sourceId}`],
      ['credentials', '/credentials'],
      ['schedule-groups', '/schedule-groups'],
      ['users', '/users'],
      ['tokens', '/tokens'],
      ['audit', '/audit'],
      ['not-found', '/no-such-page'],
    ];
    // No page logs an error (a resource that failed to load, a script error).
    const failures: string[] = [];
    let at = '';
    const onConsole = (m: ConsoleMessage) => {
      if (m.type() === 'error' && !(at === '/no-such-page' && /\b404\b/.test(m.text())))
        failures.push(`${at}: console: ${m.text()} ${m.location().url}`);
    };
    const onPageError = (e: Error) => failures.push(`${at}: ${e.message}`);
    page.on('console', onConsole);
    page.on('pageerror', onPageError);
    for (const locale of ['en', 'zh-CN'] as const) {
      await setLocale(locale);
      for (const [name, path] of pages) {
        at = path;
        await go(page, path);
        await shot(page, `page-${name}.${locale}`);
        const text = await page.locator('body').innerText();
        if (name === 'not-found') expect(await page.getByTestId('not-found').count(), 'our own 404').toBe(1);
        expect(text, `${path} (${locale}) has an untranslated key`).not.toContain('⟦');
        expect(await cutOffControls(page), `${path} (${locale}): filter or search text cut off`).toEqual([]);
        if (locale === 'zh-CN') {
          for (const raw of RAW_ENUMS)
            expect(text, `${path} shows the raw value ${raw}`).not.toMatch(new RegExp(`\\b${raw}\\b`));
          expect(text, `${path} still shows English labels`).not.toMatch(/\b(Powered on|Memory|Last seen)\b/);
        }
      }
    }
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    // The sign-in page, as someone signed out sees it.
    at = '/login';
    for (const locale of ['en', 'zh-CN'] as const) {
      const anon = await browser.newContext({ viewport: VIEWPORT });
      await anon.addCookies([{ name: LOCALE_COOKIE, value: locale, url: app.url }]);
      const p = await anon.newPage();
      p.on('console', onConsole);
      p.on('pageerror', onPageError);
      await p.goto(`${app.url}/login`);
      await p.screenshot({ path: screenshotPath(`page-login.${locale}`), fullPage: true });
      expect(await p.locator('body').innerText()).not.toContain('⟦');
      // the site's icon (a browser tab, a bookmark; before it, every first visit logged a 404)
      const icon = await p.locator('link[rel="icon"]').first().getAttribute('href');
      expect((await p.request.get(new URL(icon ?? '/favicon.ico', app.url).href)).status()).toBe(200);
      await anon.close();
    }
    expect(failures).toEqual([]);
    await setLocale('en');
  }, 300_000);
});
