/* global process, console */
// Builds the web app for the browser suites unless .next already holds a build newer than every input.
// Run under a file lock by test/ui/harness.ts (parallel test files wait for one build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const INPUT_FILES = ['next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function fresh() {
  const id = path.join(ROOT, '.next', 'BUILD_ID');
  if (!fs.existsSync(id)) return false;
  const inputs = [newestMtime(path.join(ROOT, 'src'))];
  for (const f of INPUT_FILES)
    if (fs.existsSync(path.join(ROOT, f))) inputs.push(fs.statSync(path.join(ROOT, f)).mtimeMs);
  return fs.statSync(id).mtimeMs > Math.max(...inputs);
}

if (!fresh()) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_ENV; // next build picks production itself and warns about any other value
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`next build: ${Math.round((Date.now() - started) / 1000)} s`);
}
