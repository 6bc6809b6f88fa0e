// Whether the web app's build (.next) was made from the sources in this checkout. `npm start` builds once and
// serves that build; after a `git pull` it used to go on serving the old web app until someone remembered
// `npm run build`. The stamp is a SHA-256 of what `next build` reads — the source tree, the configuration
// files and the lock file — written beside the build when it succeeds (./build.ts): reading the tree takes
// ~25 ms, and a stale build is found on the next start.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const STAMP = path.join('.next', 'asset-ledger-sources.sha256');
const INPUT_DIRS = ['src', 'public'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
];

/** SHA-256 over the path and content of every input, in a fixed order. */
export function sourceStamp(root: string): string {
  const hash = createHash('sha256');
  const add = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    hash.update(`${rel}\0`).update(fs.readFileSync(full)).update('\0');
  };
  for (const f of INPUT_FILES) add(f);
  for (const dir of INPUT_DIRS) {
    if (!fs.existsSync(path.join(root, dir))) continue;
    const files = (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .map((f) => path.join(dir, f))
      // tests are not part of the build: editing one must not make the next start build again
      .filter((f) => !/\.test\.tsx?$/.test(f) && fs.statSync(path.join(root, f)).isFile())
      .sort();
    for (const f of files) add(f);
  }
  return hash.digest('hex');
}

/** Why the web app must be built before it is served, or null when .next is this checkout's build. */
export function buildNeeded(root: string): 'no build' | 'sources changed' | null {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) return 'no build';
  const stamp = path.join(root, STAMP);
  // a build from before stamps were written cannot tell what it was made from
  if (!fs.existsSync(stamp)) return 'sources changed';
  return fs.readFileSync(stamp, 'utf8').trim() === sourceStamp(root) ? null : 'sources changed';
}

/** Records that .next was built from `stamp` (computed before the build began: edits during it count). */
export function writeBuildStamp(root: string, stamp: string): void {
  fs.writeFileSync(path.join(root, STAMP), `${stamp}\n`);
}
