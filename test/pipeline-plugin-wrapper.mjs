/* global process, Buffer */
// Test wrapper around the real vCenter plugin: fails (exit 3, nothing on stdout) for the mode named in
// FAIL_MODE, passes every other request through unchanged. Lets a test break one of a source's two runs.
import { spawn } from 'node:child_process';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const input = Buffer.concat(chunks);
const mode = JSON.parse(input.toString('utf8')).request.mode;
if (process.env.FAIL_MODE && mode === process.env.FAIL_MODE) {
  process.stderr.write(`simulated failure of ${mode}\n`);
  process.exit(3);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'plugins/vcenter/src/main.ts'], {
  stdio: ['pipe', 'inherit', 'inherit', 'inherit'], // fd 3: the worker's lifeline, passed on
});
child.stdin.end(input);
child.on('exit', (code) => process.exit(code ?? 1));
