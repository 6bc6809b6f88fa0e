/* global process, Buffer, setTimeout */
// A stand-in collector plugin for worker tests: FAKE (env) picks a behaviour, so every failure path of the
// worker can be driven through a real subprocess. Plain JS so it starts fast.
import { appendFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const mode = req.request.mode;
const behaviour = process.env.FAKE ?? 'ok';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function response(extra = {}) {
  const assets = [];
  const relations = [];
  const n = Number(process.env.FAKE_VMS ?? 3);
  if (mode === 'collect_hosts' || mode === 'collect') {
    assets.push({
      external_kind: 'host',
      external_id: 'host-1',
      normalized: { identity: { caption: 'esx-1' } },
      raw_payload: {},
    });
  }
  if (mode === 'collect_vms' || mode === 'collect') {
    for (let i = 0; i < n; i++) {
      const caption = process.env.FAKE_CAPTION ? `${process.env.FAKE_CAPTION}-${i}` : `vm-${i}`;
      assets.push({
        external_kind: 'vm',
        external_id: `vm-${i}`,
        normalized: { identity: { caption } },
        raw_payload: { i },
      });
      relations.push({
        type: 'runs_on',
        from: { external_kind: 'vm', external_id: `vm-${i}` },
        to: { external_kind: 'host', external_id: 'host-1' },
      });
    }
  }
  return {
    schema_version: 'collector-response-v1',
    ...(mode === 'detect'
      ? { detect: { target_version: '8.0.2', instance_uuid: 'vc-uuid-1', api_type: 'VirtualCenter' } }
      : {}),
    assets,
    relations,
    stats: { assets: assets.length, relations: relations.length, inventory_complete: true, warnings: [] },
    errors: [],
    ...extra,
  };
}
const out = (obj) => process.stdout.write(JSON.stringify(obj));
const pluginError = (retryable) => ({
  code: retryable ? 'VCENTER_UNREACHABLE' : 'VCENTER_AUTH_FAILED',
  category: retryable ? 'network' : 'auth',
  message: retryable ? 'connect ECONNREFUSED' : 'login failed',
  retryable,
});

switch (behaviour) {
  case 'ok':
    out(response());
    break;
  case 'record':
    appendFileSync(process.env.FAKE_LOG, `${req.request.run_id}\n`);
    await sleep(20 + Math.random() * 80);
    out(response());
    break;
  case 'exit1':
    process.stderr.write('boom\n');
    process.exit(1);
    break;
  case 'garbage':
    process.stdout.write('this is not json');
    break;
  case 'version':
    out({ schema_version: 'collector-response-v0', assets: [] });
    break;
  case 'invalid':
    out({ ...response(), assets: [{ external_kind: 'toaster', external_id: '' }] });
    break;
  case 'incomplete': {
    const r = response();
    r.stats.inventory_complete = false;
    out(r);
    break;
  }
  case 'errors_retryable':
    out(response({ assets: [], relations: [], errors: [pluginError(true)] }));
    process.exitCode = 1;
    break;
  case 'errors_fatal':
    out(response({ assets: [], relations: [], errors: [pluginError(false)] }));
    process.exitCode = 1;
    break;
  case 'sleep': {
    // A grandchild in the same process group: the timeout must kill it too.
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(process.env.FAKE_PIDFILE, String(child.pid));
    await sleep(300_000);
    break;
  }
  case 'huge':
    out(response({ padding: 'x'.repeat(2_000_000) }));
    break;
  case 'multibyte': {
    // Written in pieces split inside multi-byte characters.
    const buf = Buffer.from(JSON.stringify(response()), 'utf8');
    for (let i = 0; i < buf.length; i += 7) {
      process.stdout.write(buf.subarray(i, i + 7));
      if (i % 70 === 0) await sleep(1);
    }
    break;
  }
  case 'env': {
    const r = response();
    r.stats.warnings.push({
      code: 'ENV',
      message: JSON.stringify({ env: Object.keys(process.env), credential: req.source.credential }),
    });
    out(r);
    break;
  }
  default:
    process.exit(9);
}
