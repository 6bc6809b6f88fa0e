/* global process, Buffer, setTimeout */
// A collector plugin that misbehaves on purpose, as its source's config.fault says (the worker passes the
// config on stdin): hang, garbage, truncated, wrong-shape, huge (200 MB), exit-nonzero (a valid body, exit 3),
// incomplete (inventory_complete false, half the VMs), the v2 stream faults v2-broken-line, v2-no-end and
// v2-dies (SIGKILL mid-stream), or ok / v2-ok. Run by test/reliability/fault-worker.ts for the plugin rows.
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const fault = req.source.config.fault ?? 'ok';
const mode = req.request.mode;

function body() {
  const assets = [];
  const relations = [];
  if (mode === 'collect_hosts' || mode === 'collect')
    assets.push({
      external_kind: 'host',
      external_id: 'host-1',
      normalized: { identity: { caption: 'esx-1' } },
      raw_payload: {},
    });
  if (mode === 'collect_vms' || mode === 'collect') {
    for (let i = 0; i < 50; i++) {
      assets.push({
        external_kind: 'vm',
        external_id: `vm-${i}`,
        normalized: { identity: { caption: `vm-${i} <&> 服务器 😀` } },
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
    assets,
    relations,
    stats: { assets: assets.length, relations: relations.length, inventory_complete: true, warnings: [] },
    errors: [],
  };
}

/** The same body as contract v2 NDJSON lines: header, assets, relations, end. */
function v2Lines() {
  const b = body();
  return [
    { type: 'header', schema_version: 'collector-response-v2' },
    ...b.assets.map((a) => ({ type: 'asset', ...a })),
    ...b.relations.map(({ type, ...r }) => ({ type: 'relation', relation_type: type, ...r })),
    {
      type: 'end',
      stats: { assets: b.assets.length, relations: b.relations.length, inventory_complete: true },
    },
  ].map((l) => JSON.stringify(l) + '\n');
}

const write = (s) => new Promise((r) => (process.stdout.write(s) ? r() : process.stdout.once('drain', r)));

switch (fault) {
  case 'ok':
    await write(JSON.stringify(body()));
    break;
  case 'hang':
    await new Promise((r) => setTimeout(r, 3_600_000));
    break;
  case 'garbage':
    await write('\u0000\u00ff<html>502 Bad Gateway</html> {"schema_version":');
    break;
  case 'truncated': {
    const text = JSON.stringify(body());
    await write(text.slice(0, Math.floor(text.length / 2)));
    break;
  }
  case 'wrong-shape':
    await write(JSON.stringify({ ...body(), assets: { vm: 'not a list' }, stats: { assets: 'many' } }));
    break;
  case 'huge': {
    // A valid start, then 200 MB of one string: more than the worker's output limit.
    await write('{"schema_version":"collector-response-v1","assets":[],"relations":[],"padding":"');
    const mb = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 200; i++) await write(mb);
    await write('"}');
    break;
  }
  case 'exit-nonzero':
    await write(JSON.stringify(body()));
    process.exitCode = 3;
    break;
  case 'incomplete': {
    const b = body();
    b.assets = b.assets.slice(0, 25);
    b.relations = b.relations.slice(0, 25);
    b.stats = { ...b.stats, assets: 25, relations: 25, inventory_complete: false };
    await write(JSON.stringify(b));
    break;
  }
  case 'v2-ok':
    for (const l of v2Lines()) await write(l);
    break;
  case 'v2-broken-line': {
    const lines = v2Lines();
    lines.splice(10, 0, '{"type":"asset","external_kind":"vm","external_id":"vm-x","normalized":{\n');
    for (const l of lines) await write(l);
    break;
  }
  case 'v2-no-end':
    for (const l of v2Lines().slice(0, -1)) await write(l);
    break;
  case 'v2-dies': {
    const lines = v2Lines();
    for (const l of lines.slice(0, 20)) await write(l);
    process.kill(process.pid, 'SIGKILL');
    break;
  }
  default:
    process.exit(9);
}
