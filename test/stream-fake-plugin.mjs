/* global process, Buffer, setTimeout */
// A stand-in contract-v2 plugin (NDJSON) for the streaming worker tests. STREAM (env) picks a behaviour,
// STREAM_VMS the number of VM objects, STREAM_PAYLOAD the size of each raw payload in bytes. Writes with
// back-pressure (waits for 'drain'), as a real plugin must. Plain JS so it starts fast.
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const mode = req.request.mode;
const behaviour = process.env.STREAM ?? 'ok';
const n = Number(process.env.STREAM_VMS ?? 3);
const payload = 'x'.repeat(Number(process.env.STREAM_PAYLOAD ?? 16));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let lines = 0;
async function line(obj) {
  lines++;
  if (!process.stdout.write(JSON.stringify(obj) + '\n'))
    await new Promise((r) => process.stdout.once('drain', r));
}

function vm(i) {
  const normalized = { identity: { caption: `vm-${i}` }, hardware: { cpu_count: 2, memory_bytes: 2 ** 31 } };
  if (behaviour === 'odd') {
    // Every 10th VM carries values that fail normalized-v1; the rest are clean.
    if (i % 10 === 1) normalized.hardware.memory_bytes = -1;
    if (i % 10 === 2) normalized.hardware.cpu_count = 'NaN';
    if (i % 10 === 3) normalized.hardware.disks = [{ name: 'Hard disk 1', size_bytes: 2 ** 70 }];
    if (i % 10 === 4)
      normalized.storage = { datastores: [{ name: 'ds-1', capacity_bytes: 10, free_bytes: -5 }] };
  }
  return {
    type: 'asset',
    external_kind: 'vm',
    external_id: `vm-${i}`,
    normalized,
    raw_payload: { i, payload },
  };
}

await line({ type: 'header', schema_version: 'collector-response-v2' });
let assets = 0;
let relations = 0;
if (mode === 'collect_vms') {
  await line({
    type: 'asset',
    external_kind: 'host',
    external_id: 'host-1',
    normalized: { identity: { caption: 'esx-1' } },
    raw_payload: {},
  });
  assets++; // a host in a VMs run: ingest ignores kinds the mode does not collect (with a warning)
  for (let i = 0; i < n; i++) {
    if (behaviour === 'die' && lines >= Number(process.env.STREAM_DIE_AFTER ?? 5000)) process.exit(3);
    if (behaviour === 'broken' && i === Math.floor(n / 2)) {
      process.stdout.write('{"type":"asset","external_kind":"vm",\n');
    }
    if (behaviour === 'slow') await sleep(50);
    await line(vm(i));
    assets++;
    await line({
      type: 'relation',
      relation_type: 'runs_on',
      from: { external_kind: 'vm', external_id: `vm-${i}` },
      to: { external_kind: 'host', external_id: 'host-1' },
    });
    relations++;
    if (i % 1000 === 999 || behaviour === 'slow')
      await line({ type: 'progress', phase: 'vms', objects: assets, total: n + 1 });
  }
}
if (behaviour === 'no_end') process.exit(0);
if (behaviour === 'die') process.exit(3);
await line({ type: 'warning', code: 'FAKE_NOTE', message: 'a warning line' });
await line({
  type: 'end',
  stats: { assets, relations, inventory_complete: true },
  ...(mode === 'detect' ? { detect: { instance_uuid: 'vc-uuid-stream', target_version: '8.0.2' } } : {}),
});
