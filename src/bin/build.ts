// `npm run build`, and the build `npm start` makes when it needs one: `next build`, then the stamp of the
// sources it was made from (./build-stamp.ts), so that a start after a `git pull` knows to build again and
// one after `npm run build` does not.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/logger';
import { buildNeeded, sourceStamp, writeBuildStamp } from './build-stamp';
import { isMainModule } from './cli';

const log = createLogger('build');

/** Runs `next build` in `root` (its output is printed only when it fails) and stamps the result. */
export async function buildWebApp(root: string): Promise<void> {
  const stamp = sourceStamp(root); // before the build: a file edited meanwhile makes the next start build again
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete (env as Record<string, string | undefined>).NODE_ENV; // next build sets production itself and warns about any other value
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    process.stderr.write(output.join(''));
    throw new AppError(
      'BUILD_FAILED',
      `Building the web app failed (next build exited with ${code}); output above`,
    );
  }
  writeBuildStamp(root, stamp);
  log.info('web_built', { duration_ms: Date.now() - started });
}

/** Builds the web app on the first start and after its sources changed (a pull); later starts reuse it. */
export async function ensureBuilt(root: string): Promise<void> {
  const reason = buildNeeded(root);
  if (!reason) return;
  console.log(
    reason === 'no build'
      ? 'Building the web app (first start only, about a minute)…'
      : 'The sources changed since the web app was built: building it again (about a minute)…',
  );
  await buildWebApp(root);
}

// `--if-needed`: only when the build is missing or stale (the browser suites, under a file lock).
if (isMainModule(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const ifNeeded = process.argv.includes('--if-needed');
  if (!ifNeeded) console.log('Building the web app (about a minute)…');
  (ifNeeded ? ensureBuilt(root) : buildWebApp(root)).then(
    () => {
      if (!ifNeeded) console.log('Built. `npm start` serves it.');
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
