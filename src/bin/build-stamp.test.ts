import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildNeeded, sourceStamp, writeBuildStamp } from './build-stamp';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-stamp-'));
  fs.mkdirSync(path.join(root, 'src', 'app'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'app', 'page.tsx'), 'export default 1;\n');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const built = () => {
  fs.mkdirSync(path.join(root, '.next'), { recursive: true });
  fs.writeFileSync(path.join(root, '.next', 'BUILD_ID'), 'x');
};

it('asks for a build when there is none, and for a rebuild when the sources changed since', () => {
  expect(buildNeeded(root)).toBe('no build');
  built();
  // a build without a stamp (made by an earlier version) cannot be trusted
  expect(buildNeeded(root)).toBe('sources changed');
  writeBuildStamp(root, sourceStamp(root));
  expect(buildNeeded(root)).toBeNull();

  fs.writeFileSync(path.join(root, 'src', 'app', 'page.tsx'), 'export default 2;\n');
  expect(buildNeeded(root)).toBe('sources changed');
  writeBuildStamp(root, sourceStamp(root));
  expect(buildNeeded(root)).toBeNull();

  fs.writeFileSync(path.join(root, 'src', 'app', 'new.ts'), 'export {};\n'); // a file added by a pull
  expect(buildNeeded(root)).toBe('sources changed');
  writeBuildStamp(root, sourceStamp(root));
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n'); // dependencies
  expect(buildNeeded(root)).toBe('sources changed');
});

it('does not change when nothing did: same content, same stamp, whatever the files’ times', () => {
  const a = sourceStamp(root);
  const f = path.join(root, 'src', 'app', 'page.tsx');
  fs.utimesSync(f, new Date(2000, 0, 1), new Date(2000, 0, 1));
  expect(sourceStamp(root)).toBe(a);
  fs.writeFileSync(path.join(root, 'src', 'app', 'page.test.ts'), 'it(1);\n'); // tests are not built
  expect(sourceStamp(root)).toBe(a);
  fs.renameSync(f, path.join(root, 'src', 'app', 'other.tsx')); // same content, another file
  expect(sourceStamp(root)).not.toBe(a);
});
