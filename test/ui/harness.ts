// Shared pieces of the browser suites: a production build of the web app (built once, reused while it is
// newer than every source file), the real app started with `src/bin/start.ts` against a test database on
// a free port (its in-process worker and scheduler run the collections), and Debian's Chromium driven by
// playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUILD_LOCK = path.join(os.tmpdir(), 'asset-ledger-next-build.lock');

// DESIGN §12: without these Chromium looks up Google hosts at start and tries to update itself.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Builds the web app unless .next is the build of these sources (src/bin/build.ts --if-needed, the check
 * `npm start` makes). A file lock makes parallel test files — and other test runs in the same tree — wait
 * for one build instead of writing .next at the same time.
 */
export function ensureNextBuild(): void {
  const build = [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/bin/build.ts'), '--if-needed'];
  const r = spawnSync('flock', [BUILD_LOCK, ...build], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(
      `next build failed (exit ${r.status}):\n${(r.stdout ?? '').slice(-6000)}\n${(r.stderr ?? '').slice(-4000)}`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  adminUser: string;
  adminPassword: string;
  logs: () => string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the real app (web + the worker and scheduler loops of start.ts) on a test database. */
export async function startApp(databaseUrl: string): Promise<RunningApp> {
  ensureNextBuild();
  const port = await freePort();
  const adminPassword = `ui-admin-${randomBytes(6).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-ui-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    ASSET_LEDGER_ADMIN_PASSWORD: adminPassword,
    ASSET_LEDGER_SECRET_KEY: randomBytes(32).toString('base64'),
    ASSET_LEDGER_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: process.env.UI_TEST_LOG_LEVEL ?? 'warn',
    NODE_ENV: 'production',
  };
  const out: string[] = [];
  const keep = (b: Buffer) => {
    out.push(b.toString());
    if (out.length > 500) out.shift();
  };
  const tsx = ['--import', 'tsx'];
  const web = spawn(process.execPath, [...tsx, 'src/bin/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  web.stdout!.on('data', keep);
  web.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (web.exitCode !== null) throw new Error(`the app exited early (${web.exitCode}):\n${out.join('')}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(web);
      throw new Error(`the app did not answer within 90 s:\n${out.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    adminUser: 'admin',
    adminPassword,
    logs: () => out.join(''),
    async stop() {
      await stopChild(web);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login page; answers the change-password prompt when the account must change it. */
export async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  newPassword = password,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login') || u.pathname.startsWith('/login/password'));
  if (new URL(page.url()).pathname.startsWith('/login/password')) {
    await page.locator('#currentPassword').fill(password);
    await page.locator('#newPassword').fill(newPassword);
    await page.locator('#confirm').fill(newPassword);
    await page.locator('form button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, `${name}.png`);
}
