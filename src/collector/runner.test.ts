// A plugin that writes its answer and exits at once, read by a consumer that starts pulling only after the
// exit (the worker connects and begins its transaction first; on a busy machine that takes longer than
// such a plugin lives). Node resumes a child's untouched stdout on exit and drops what it held: the run
// saw "plugin wrote nothing on stdout" (PLUGIN_OUTPUT_INVALID_JSON) instead of the output's own failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESPONSE_SCHEMA_VERSION_V2, type CollectorRequest } from './contract';
import { FieldWarnings } from './field-invalid';
import { RunFailureError, startPlugin, type PluginCommand } from './runner';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function plugin(name: string, body: string): PluginCommand {
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, body);
  return { command: process.execPath, args: [file] };
}

const request = {
  schema_version: 'collector-request-v2',
  source: { source_id: 's', source_type: 'vcenter', config: {}, credential: {} },
  request: { run_id: 'r', mode: 'collect_vms', now: new Date().toISOString() },
} as unknown as CollectorRequest;

const header = JSON.stringify({ type: 'header', schema_version: RESPONSE_SCHEMA_VERSION_V2 });
const end = JSON.stringify({ type: 'end', stats: { assets: 0, relations: 0, inventory_complete: true } });

/** Starts the plugin, waits until it has exited, then reads: the code the run would fail with, or 'ok'. */
async function outcomeAfterExit(cmd: PluginCommand): Promise<string> {
  const run = startPlugin(cmd, request, {
    timeoutMs: 20_000,
    outputLimitBytes: 1 << 20,
    fields: new FieldWarnings(),
  });
  while (!processGone(run.pid)) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50)); // and Node has seen the exit
  try {
    for await (const _ of run.events) {
      // read to the end
    }
    return 'ok';
  } catch (err) {
    return err instanceof RunFailureError ? err.failure.code : String(err);
  }
}

function processGone(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return false;
  } catch {
    return true;
  }
}

describe('startPlugin: output of a plugin that exited before anyone read it', () => {
  const noEnd = plugin('no-end', `process.stdout.write(${JSON.stringify(header + '\n')});\n`);
  const wrongShape = plugin(
    'wrong-shape',
    `process.stdout.write(JSON.stringify({ schema_version: 'collector-response-v1', assets: [], relations: [], stats: { assets: 'many' }, errors: [] }));\n`,
  );
  const ok = plugin('ok', `process.stdout.write(${JSON.stringify(`${header}\n${end}\n`)});\n`);

  it('keeps it: each fault gets its own code, a good answer succeeds (10 times each)', async () => {
    const seen: Record<string, string[]> = { noEnd: [], wrongShape: [], ok: [] };
    for (let i = 0; i < 10; i++) {
      seen.noEnd!.push(await outcomeAfterExit(noEnd));
      seen.wrongShape!.push(await outcomeAfterExit(wrongShape));
      seen.ok!.push(await outcomeAfterExit(ok));
    }
    expect(seen).toEqual({
      noEnd: Array(10).fill('PLUGIN_END_MISSING'),
      wrongShape: Array(10).fill('PLUGIN_OUTPUT_INVALID'),
      ok: Array(10).fill('ok'),
    });
  }, 120_000);
});
