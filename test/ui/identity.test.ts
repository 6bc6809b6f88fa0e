// Identity across sources in Chromium (issue 16): two simulators see one VM (same BIOS and instance UUID);
// another VM moved from A to B. The Duplicates page shows the pair with its evidence; Merge keeps the chosen
// asset, whose page lists both links and "merged from", compares the sources' values and whose timeline
// says so; the merged asset's address lands on the survivor with a notice; Split gives two assets again.
// Screenshots in both languages in test-results/identity-*.png.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunMode } from '@/collector/contract';
import { en } from '@/i18n/en';
import { zhCN } from '@/i18n/zh-CN';
import { hashPassword } from '@/server/auth/password';
import { triggerRun } from '@/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from '../db';
import { createSource, rows, runOf, runWorkerUntilIdle } from '../pipeline-helpers';
import {
  describeWithVcsim,
  destroyVm,
  listVmIdentities,
  startVcsim,
  vcsimInstanceUuid,
  type Vcsim,
} from '../vcsim';
import { launchBrowser, login, screenshotPath, startApp, type RunningApp } from './harness';
import { browserSuite, eventually } from './suite';

const VIEWPORT = { width: 1280, height: 900 };
const TWIN = {
  name: 'twin-vm',
  uuid: '4211aaaa-0000-4000-8000-0000000000a1',
  instanceUuid: '5011bbbb-0000-4000-8000-0000000000a1',
};
const MOVING = {
  name: 'moving-vm',
  uuid: '4211aaaa-0000-4000-8000-0000000000a2',
  instanceUuid: '5011bbbb-0000-4000-8000-0000000000a2',
};

const suite = browserSuite(describeWithVcsim);

suite('identity across sources in Chromium', () => {
  let tdb: TestDatabase;
  let a: Vcsim;
  let b: Vcsim;
  let app: RunningApp;
  let browser: Browser;
  let pages: { en: Page; zh: Page };
  let srcA: string;
  let srcB: string;

  const collect = async (sourceId: string, modes: RunMode[] = ['collect_hosts', 'collect_vms']) => {
    for (const mode of modes) {
      const id = (await triggerRun(tdb.db, { sourceId, mode, trigger: 'manual' })).run.id;
      await runWorkerUntilIdle(tdb.db);
      const run = await runOf(tdb.db, id);
      expect(run, JSON.stringify([run.error_code, run.errors])).toMatchObject({ status: 'succeeded' });
    }
  };
  const vmAssets = (name: string) =>
    rows<{ uuid: string; status: string }>(
      tdb.db,
      sql`select uuid, status::text from assets where name = ${name} and kind = 'vm' and status <> 'merged'
          order by created_at`,
    );

  beforeAll(async () => {
    const spec = { clusters: 1, hostsPerCluster: 1, vmsPerCluster: 3, vms: [TWIN, MOVING] };
    [tdb, a, b] = await Promise.all([
      createTestDatabase(),
      startVcsim(spec),
      startVcsim({ ...spec, seed: 9, instanceUuid: randomUUID() }),
    ]);
    srcA = (
      await createSource(tdb.db, {
        name: 'vCenter Shanghai 上海',
        config: { endpoint: a.endpoint, insecure: true },
        credential: a,
      })
    ).id;
    await collect(srcA);
    // The moving VM leaves A (its link goes missing) before B, which has it, is first collected.
    const moref = [...(await listVmIdentities(a))].find(([, v]) => v.name === MOVING.name)![0];
    await destroyVm(a, moref);
    await collect(srcA, ['collect_vms']);
    srcB = (
      await createSource(tdb.db, {
        name: 'vCenter Beijing 北京',
        config: { endpoint: b.endpoint, insecure: true },
        credential: b,
      })
    ).id;
    await collect(srcB);
    app = await startApp(tdb.url);
    browser = await launchBrowser();
    const open = async (locale: string) => {
      const page = await (await browser.newContext({ viewport: VIEWPORT, locale })).newPage();
      await login(page, app.url, app.adminUser, app.adminPassword);
      return page;
    };
    pages = { en: await open('en-US'), zh: await open('zh-CN') };
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await Promise.all([a?.stop(), b?.stop()]);
    await tdb?.drop().catch(() => {});
  });

  const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(name), fullPage: true });
  const both = async (path: string, name: string, ready: (p: Page) => Promise<unknown>) => {
    for (const [lang, p] of Object.entries(pages)) {
      await p.goto(`${app.url}${path}`);
      await ready(p);
      await expectNoHorizontalOverflow(p);
      await shot(p, `identity-${name}-${lang}`);
    }
  };
  async function expectNoHorizontalOverflow(p: Page) {
    const { scroll, client } = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll, 'page scrolls sideways').toBeLessThanOrEqual(client + 1);
  }
  const noRawKeys = async (p: Page) => {
    const text = await p.locator('main').innerText();
    expect(text).not.toMatch(/⟦|identity\.\w|asset\.ev\./);
  };

  let candidateId: string;
  it('the Duplicates page lists the pair with its evidence, in both languages', async () => {
    const { en: page } = pages;
    await page.goto(`${app.url}/`);
    await page.getByRole('link', { name: en.identity.duplicatesTitle }).click();
    await page.waitForURL(/\/duplicates$/);
    const rowsLoc = page.getByTestId('candidate-row');
    await eventually(() => rowsLoc.count()).toBe(1);
    const row = rowsLoc.first();
    expect(await row.locator('[data-rule]').allInnerTexts()).toEqual(
      expect.arrayContaining([
        `${en.identity.rule.vm_bios_uuid} · 100`,
        `${en.identity.rule.vm_instance_uuid} · 100`,
      ]),
    );
    candidateId = (await row.getAttribute('data-candidate'))!;
    await both('/duplicates', 'list', async (p) => {
      await p.getByTestId('candidate-row').first().waitFor();
      await noRawKeys(p);
    });
    expect(await pages.zh.getByTestId('candidate-row').first().innerText()).toContain(
      zhCN.identity.rule.vm_bios_uuid,
    );
    // Each source page names its vCenter's instance UUID, which its runs recorded.
    await page.goto(`${app.url}/sources/${srcB}`);
    expect(await page.getByTestId('source-instance-uuid').locator('dd').innerText()).toBe(
      (await vcsimInstanceUuid(b)).toLowerCase(),
    );
    // The filters narrow the list: no host pairs here.
    await page.goto(`${app.url}/duplicates?kind=host`);
    await page.getByTestId('no-candidates').waitFor();
  });

  it('the pair side by side: each piece of evidence with its score and value, both assets’ facts', async () => {
    await both(`/duplicates/${candidateId}`, 'detail', async (p) => {
      await p.getByTestId('evidence').waitFor();
      await noRawKeys(p);
    });
    const page = pages.en;
    const evidence = page.getByTestId('evidence');
    expect(await evidence.locator('[data-rule="vm.bios_uuid"]').innerText()).toContain(TWIN.uuid);
    expect(await evidence.locator('[data-rule="vm.instance_uuid"]').innerText()).toContain(TWIN.instanceUuid);
    expect(await page.getByTestId('side-by-side').innerText()).toContain('vCenter Beijing 北京');
    // The simulators disagree on the guest's host name: the row is marked.
    expect(
      await page.locator('[data-testid=compare] [data-field=hostname]').getAttribute('data-differ'),
    ).toBe('true');
  });

  let survivor: string;
  let merged: string;
  it('Merge keeps the chosen asset: both links, "merged from", values across sources, the timeline', async () => {
    const page = pages.en;
    const twins = await vmAssets(TWIN.name);
    expect(twins).toHaveLength(2);
    // Both have an owner: the kept asset's wins, the other's is kept in the history.
    await tdb.db.execute(sql`insert into asset_ledger (asset_uuid, values, version) values
      (${twins[0]!.uuid}, '{"owner": "运维一组"}', 1), (${twins[1]!.uuid}, '{"owner": "ops team B"}', 1)`);
    await page.goto(`${app.url}/duplicates/${candidateId}`);
    expect(
      await page.locator('[data-testid=compare] [data-field="ledger.owner"]').getAttribute('data-differ'),
    ).toBe('true');
    // A second reader has the pair open meanwhile (Chinese): after the merge their Ignore is refused in words.
    await pages.zh.goto(`${app.url}/duplicates/${candidateId}`);
    await page.getByTestId('merge').click();
    const dialog = page.getByTestId('merge-dialog');
    await dialog.waitFor();
    // Keep the second one (B's): the choice is the person's, not always asset A.
    await dialog.getByTestId('survivor-1').check();
    survivor = (await dialog.getByTestId('survivor-1').getAttribute('value'))!;
    merged = twins.map((x) => x.uuid).find((u) => u !== survivor)!;
    await shot(page, 'identity-merge-dialog-en');
    await dialog.getByTestId('confirm').click();
    await page.waitForURL(new RegExp(`/assets/${survivor}$`));
    await pages.zh.getByTestId('ignore').click();
    await pages.zh.getByTestId('ignore-dialog').getByTestId('confirm').click();
    await eventually(() => pages.zh.getByTestId('action-error').innerText()).toBe(zhCN.identity.errDecided);
    await shot(pages.zh, 'identity-ignore-refused-zh');
    const links = page.getByTestId('link-row');
    await eventually(() => links.count()).toBe(2);
    expect(await links.evaluateAll((els) => els.map((e) => e.getAttribute('data-presence')))).toEqual([
      'present',
      'present',
    ]);
    expect(await page.getByTestId('identity-section').innerText()).toMatch(
      /vCenter Shanghai 上海[\s\S]*vCenter Beijing 北京|vCenter Beijing 北京[\s\S]*vCenter Shanghai 上海/,
    );
    expect(await page.locator(`[data-testid=merged-from] [data-merged="${merged}"]`).count()).toBe(1);
    await both(`/assets/${survivor}`, 'merged-asset', async (p) => {
      await p.getByTestId('merged-from').waitFor();
      await noRawKeys(p);
    });
    await both(`/assets/${survivor}?tab=fields`, 'across-sources', async (p) => {
      await p.getByTestId('across-sources').waitFor();
      await noRawKeys(p);
    });
    for (const [lang, p] of Object.entries(pages))
      await p
        .getByTestId('across-sources')
        .screenshot({ path: screenshotPath(`identity-across-table-${lang}`) });
    const hostname = pages.en.locator('[data-testid=across-sources] [data-path="identity.hostname"]');
    expect(await hostname.getAttribute('data-conflict')).toBe('true');
    await both(`/assets/${survivor}?tab=history`, 'merged-history', async (p) => {
      await p.getByTestId('identity-event-merged').waitFor();
      await noRawKeys(p);
    });
    expect(await pages.zh.getByTestId('identity-event-merged').innerText()).toContain('合并到本资产');
    // The dropped owner is named by its label, in words.
    const droppedOwner = survivor === twins[0]!.uuid ? 'ops team B' : '运维一组';
    expect(await pages.en.getByTestId('merge-kept-values').innerText()).toContain(`Owner: ${droppedOwner}`);
    expect(await pages.zh.getByTestId('merge-kept-values').innerText()).toContain(`负责人: ${droppedOwner}`);
  });

  it('the merged asset’s address lands on the survivor with a notice', async () => {
    for (const [lang, p] of Object.entries(pages)) {
      await p.goto(`${app.url}/assets/${merged}`);
      await p.waitForURL(new RegExp(`/assets/${survivor}\\?mergedFrom=${merged}$`));
      const note = p.getByTestId('merged-redirect-note');
      await note.waitFor();
      expect(await note.innerText()).toContain(merged);
      await shot(p, `identity-redirect-${lang}`);
    }
  });

  it('Split gives two assets again', async () => {
    const page = pages.en;
    await page.goto(`${app.url}/assets/${survivor}`);
    await page.getByTestId('split').click();
    await page.getByTestId('split-dialog').waitFor();
    await shot(page, 'identity-split-dialog-en');
    await page.getByTestId('split-confirm').click();
    await page.waitForURL(new RegExp(`/assets/${merged}$`));
    await eventually(() => page.getByTestId('link-row').count()).toBe(1);
    expect((await vmAssets(TWIN.name)).map((x) => x.uuid).sort()).toEqual([survivor, merged].sort());
    await page.goto(`${app.url}/assets/${survivor}`);
    await eventually(() => page.getByTestId('link-row').count()).toBe(1);
    expect(await page.getByTestId('merged-from').count()).toBe(0);
    expect(await page.getByTestId('split').count()).toBe(0);
    await both(`/assets/${merged}?tab=history`, 'split-history', async (p) => {
      await p.getByTestId('identity-event-split').waitFor();
      await noRawKeys(p);
    });
    // The pair was decided: it is no longer open.
    await page.goto(`${app.url}/duplicates`);
    await page.getByTestId('no-candidates').waitFor();
  });

  it('the moved VM’s timeline says from which source to which', async () => {
    const [moving] = await vmAssets(MOVING.name);
    await both(`/assets/${moving!.uuid}?tab=history`, 'moved-history', async (p) => {
      await p.getByTestId('identity-event-moved').waitFor();
      await noRawKeys(p);
    });
    expect(await pages.en.getByTestId('identity-event-moved').innerText()).toBe(
      en.identity.event.moved
        .replace('{from}', 'vCenter Shanghai 上海')
        .replace('{to}', 'vCenter Beijing 北京'),
    );
    expect(await pages.zh.getByTestId('identity-event-moved').innerText()).toBe(
      zhCN.identity.event.moved
        .replace('{from}', 'vCenter Shanghai 上海')
        .replace('{to}', 'vCenter Beijing 北京'),
    );
  });

  it('Duplicates is in the navigation of editors and admins, not of read-only users', async () => {
    for (const [username, role] of [
      ['dup-editor', 'editor'],
      ['dup-reader', 'user'],
    ] as const) {
      const password = `pw-${randomUUID()}`;
      await tdb.db.execute(
        sql`insert into users (username, role, password_hash) values (${username}, ${role}, ${await hashPassword(password)})`,
      );
      const page = await (await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' })).newPage();
      await login(page, app.url, username, password);
      await page.goto(`${app.url}/`);
      const nav = page.getByRole('navigation').getByRole('link', { name: en.identity.duplicatesTitle });
      expect(await nav.count(), role).toBe(role === 'editor' ? 1 : 0);
      await page.context().close();
    }
  });
});
