// `npm run bench:api`: API latency on 50,000 assets (40 clusters, 1,000 hosts, the rest VMs, with links,
// source records, relations incl. inactive ones, and history). For each case: p50/p95 of the real route
// handler (Request → Response body, Bearer auth included) beside the floor — the equivalent hand-written
// SQL sent directly with pg in the same run — and the ratio (target p95 ≤ 3× floor). Then EXPLAIN of
// every query the API runs for a search, flagging any sequential scan of assets or records. The floor includes
// the one token lookup any authenticated request needs; the query alone is printed beside it.
// Needs DATABASE_URL (a server where it may create and drop a scratch database).
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 50_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const CLUSTERS = 40;
const HOSTS = 1000;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** 50,000 assets (by default) as the API bench and the reliability suite's load row use them. */
export async function seed(client: pg.Client): Promise<{ sourceId: string; runId: string }> {
  const src = await client.query(
    `insert into sources (name, type, config) values ('vc-bench', 'vcenter', '{"endpoint":"https://vc.bench"}') returning id`,
  );
  const sourceId = src.rows[0].id as string;
  const run = await client.query(
    `insert into runs (source_id, mode, status, trigger) values ($1, 'collect', 'succeeded', 'manual') returning id`,
    [sourceId],
  );
  const runId = run.rows[0].id as string;
  const vms = ASSETS - CLUSTERS - HOSTS;
  // Canonical fields as ingest stores them: value + provenance + conflict flag.
  const field = (expr: string) =>
    `jsonb_build_object('value', ${expr}, 'source_id', $1::uuid, 'run_id', $2::uuid, 'collected_at', now(), 'conflict', false)`;
  await client.query('begin');
  await client.query(
    `insert into assets (kind, name, canonical, last_seen_at)
     select 'cluster', 'cl-' || lpad(i::text, 2, '0'),
            jsonb_build_object('placement', jsonb_build_object('datacenter', ${field(`'dc1'`)})), now()
     from generate_series(1, ${CLUSTERS}) i`,
    [sourceId, runId],
  );
  await client.query(
    `insert into assets (kind, name, hostname, serial_number, ip_addresses, mac_addresses, power_state, cluster_name,
                         canonical, last_seen_at)
     select 'host', n, n, s, array['10.250.' || (i / 250) || '.' || (i % 250 + 1)],
            array['ec:f4:bb:' || lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0') || ':01'],
            'poweredOn', 'cl-' || lpad((i % ${CLUSTERS} + 1)::text, 2, '0'),
            jsonb_build_object(
              'identity', jsonb_build_object('hostname', ${field('n')}, 'serial_number', ${field('s')},
                                             'vendor', ${field(`'Dell Inc.'`)}, 'model', ${field(`'PowerEdge R750'`)}),
              'hardware', jsonb_build_object('cpu_count', ${field('64')}, 'memory_bytes', ${field('549755813888')},
                                             'cpu_model', ${field(`'Intel(R) Xeon(R) Gold 6338'`)}),
              'os', jsonb_build_object('name', ${field(`'VMware ESXi'`)}, 'version', ${field(`'8.0.2'`)},
                                       'build', ${field(`'22380479'`)})), now()
     from (select i, 'esx-' || lpad(i::text, 4, '0') || '.dc1.example' as n,
                  'SN' || upper(substr(md5(i::text), 1, 10)) as s
           from generate_series(1, ${HOSTS}) i) h`,
    [sourceId, runId],
  );
  await client.query(
    `insert into assets (kind, status, name, hostname, serial_number, ip_addresses, mac_addresses, power_state,
                         cluster_name, host_name, canonical, last_seen_at)
     select 'vm', case when i % 97 = 0 then 'offline' else 'active' end::asset_status, n, lower(n) || '.corp.example',
            'VMware-42 ' || substr(md5(i::text), 1, 16),
            array['10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256)]
              || case when i % 5 = 0 then array['2001:db8::' || to_hex(i)] else '{}'::text[] end,
            array['00:50:56:' || lpad(to_hex((i >> 16) & 255), 2, '0') || ':' || lpad(to_hex((i >> 8) & 255), 2, '0')
                  || ':' || lpad(to_hex(i & 255), 2, '0')],
            (array['poweredOn', 'poweredOn', 'poweredOn', 'poweredOff', 'suspended'])[i % 5 + 1],
            'cl-' || lpad(((i % ${HOSTS} + 1) % ${CLUSTERS} + 1)::text, 2, '0'),
            'esx-' || lpad((i % ${HOSTS} + 1)::text, 4, '0') || '.dc1.example',
            jsonb_build_object(
              'identity', jsonb_build_object('caption', ${field('n')}, 'hostname', ${field(`lower(n) || '.corp.example'`)},
                                             'machine_uuid', ${field('md5(i::text)')}),
              'os', jsonb_build_object('name', ${field(`'Ubuntu Linux (64-bit)'`)}, 'fingerprint', ${field(`'ubuntu64Guest'`)}),
              'hardware', jsonb_build_object('cpu_count', ${field('(i % 16 + 1)')}, 'memory_bytes', ${field('(i % 64 + 1)::bigint * 1073741824')}),
              'runtime', jsonb_build_object('tools_status', ${field(`'toolsOk'`)}, 'tools_version', ${field(`'12352'`)}),
              'placement', jsonb_build_object('datacenter', ${field(`'dc1'`)}, 'folder', ${field(`'/prod/' || (i % 20)`)})),
            now()
     from (select i, case when i % 50 = 0 then '服务器-' || i
                          else (array['web', 'db', 'app', 'cache', 'mq', 'api', 'batch', 'proxy'])[i % 8 + 1]
                               || '-' || lpad(i::text, 5, '0') end as n
           from generate_series(1, ${vms}) i) v`,
    [sourceId, runId],
  );
  await client.query(
    `insert into asset_source_links (asset_uuid, source_id, external_kind, external_id, last_seen_run_id)
     select uuid, $1, kind, kind || '-' || row_number() over (order by uuid), $2 from assets`,
    [sourceId, runId],
  );
  const raw = JSON.stringify({ summary: { config: { name: 'x'.repeat(200) } }, guest: {} });
  await client.query(
    `insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                 last_seen_run_id, last_seen_at)
     select l.id, l.asset_uuid, $1, $2, now(),
            jsonb_build_object('caption', a.name, 'hostname', a.hostname, 'ip_addresses', to_jsonb(a.ip_addresses)),
            $3, md5(a.uuid::text), $2, now()
     from asset_source_links l join assets a on a.uuid = l.asset_uuid`,
    [sourceId, runId, raw],
  );
  // runs_on / hosts_vm by host name, member_of by cluster name, and every 10th VM has an old (inactive) host.
  await client.query(
    `insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, last_seen_run_id)
     select 'runs_on'::relation_type, v.uuid, h.uuid, $1::uuid, $2::uuid from assets v join assets h on h.kind = 'host' and h.name = v.host_name
     where v.kind = 'vm'
     union all
     select 'hosts_vm', h.uuid, v.uuid, $1, $2 from assets v join assets h on h.kind = 'host' and h.name = v.host_name
     where v.kind = 'vm'
     union all
     select 'member_of', h.uuid, c.uuid, $1, $2 from assets h join assets c on c.kind = 'cluster' and c.name = h.cluster_name
     where h.kind = 'host'`,
    [sourceId, runId],
  );
  await client.query(
    `insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, status, inactive_since, last_seen_run_id)
     select 'runs_on', v.uuid, h.uuid, $1, 'inactive', now() - interval '3 days', $2
     from (select uuid, host_name, row_number() over (order by uuid) rn from assets where kind = 'vm') v
     join assets h on h.kind = 'host' and h.name <> v.host_name
       and h.name = 'esx-' || lpad((v.rn % ${HOSTS} + 1)::text, 4, '0') || '.dc1.example'
     where v.rn % 10 = 0`,
    [sourceId, runId],
  );
  await client.query(
    `insert into asset_events (asset_uuid, run_id, source_id, type, details)
     select uuid, $2::uuid, $1::uuid, 'created'::asset_event_type, null::jsonb from assets
     union all
     select uuid, $2, $1, 'changed', jsonb_build_object('changes', jsonb_build_array(jsonb_build_object(
       'path', 'runtime.power_state', 'old', 'poweredOff', 'new', 'poweredOn')))
     from assets where kind = 'vm' and hashtext(uuid::text) % 3 = 0`,
    [sourceId, runId],
  );
  await client.query('commit');
  // Steady state: autovacuum has run (it flushes the GIN pending lists a bulk insert leaves behind).
  await client.query('vacuum analyze');
  return { sourceId, runId };
}

interface Case {
  name: string;
  api: () => Promise<void>;
  floor: () => Promise<void>;
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error('bench:api needs DATABASE_URL (a server where it may create a scratch database)');
  const dbName = `al_bench_api_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const url = withDatabase(base, dbName);

  // The route handlers read the process configuration: point it at the scratch database first.
  process.env.DATABASE_URL = url;
  (process.env as Record<string, string>).NODE_ENV = 'production';
  process.env.LOG_LEVEL = 'warn';
  process.env.ASSET_LEDGER_SECRET_KEY ??= randomBytes(32).toString('hex');
  const { getDb, closeDb } = await import('@/db/client');
  const { migrateDatabase } = await import('@/db/migrate');
  const { hashPassword } = await import('@/server/auth/password');
  const { generateApiToken } = await import('@/server/auth/session');
  const assetsRoute = await import('@/app/api/v1/assets/route');
  const assetRoute = await import('@/app/api/v1/assets/[id]/route');
  const { assetWhere, assetOrderBy, assetSelect, ASSET_LIST_COLUMNS } =
    await import('@/server/assets/service');
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const { sql } = await import('drizzle-orm');

  const db = getDb();
  const floorPool = new pg.Pool({ connectionString: url, max: 10 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrateDatabase(db);
    const t0 = performance.now();
    await seed(client);
    const counts = await client.query(`
      select (select count(*) from assets)::int as assets, (select count(*) from relations)::int as relations,
             (select count(*) from source_records)::int as records, (select count(*) from asset_events)::int as events`);
    console.log(
      `Seeded ${counts.rows[0].assets} assets, ${counts.rows[0].relations} relations, ${counts.rows[0].records} source records, ` +
        `${counts.rows[0].events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );

    const user = await client.query(
      `insert into users (username, role, password_hash) values ('bench', 'admin', $1) returning id`,
      [await hashPassword('bench-password')],
    );
    const tok = generateApiToken();
    await client.query(
      `insert into api_tokens (user_id, name, prefix, token_hash) values ($1, 'bench', $2, $3)`,
      [user.rows[0].id, tok.prefix, tok.tokenHash],
    );
    const headers = { authorization: `Bearer ${tok.token}` };

    // Targets: an existing VM's IPv4, a MAC typed with dashes in upper case, a host-name prefix (~12 rows).
    const target = await client.query(
      `select uuid, ip_addresses[1] as ip, mac_addresses[1] as mac from assets where kind = 'vm' and name = 'db-12345'`,
    );
    const ip = target.rows[0].ip as string;
    const macTyped = (target.rows[0].mac as string).toUpperCase().replace(/:/g, '-');
    const mac = target.rows[0].mac as string;
    const prefix = 'web-012';
    const details = (
      await client.query(`select uuid from assets where kind = 'vm' order by uuid limit 100`)
    ).rows.map((r) => r.uuid as string);
    const deepOffset = ASSETS - 1000;

    const apiGet = async (path: string) => {
      const res = await assetsRoute.GET(new Request(`http://localhost${path}`, { headers }));
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.text();
    };
    const cols =
      'a.uuid, a.kind, a.status, a.name, a.hostname, a.serial_number, a.ip_addresses, a.mac_addresses, a.power_state, ' +
      'a.cluster_name, a.host_name, a.created_at, a.updated_at, a.last_seen_at';
    // Floor: the obvious SQL for each question, page and total on two connections at once, rows fetched.
    const floorList = async (where: string, params: unknown[], offset: number) => {
      await Promise.all([
        floorPool.query(
          `select ${cols} from assets a where ${where} order by lower(a.name), a.uuid limit 50 offset ${offset}`,
          params,
        ),
        floorPool.query(`select count(*)::int from assets a where ${where}`, params),
      ]);
    };
    let d = 0;
    const cases: Case[] = [
      {
        name: 'list, first page',
        api: () => apiGet('/api/v1/assets?limit=50'),
        floor: () => floorList('true', [], 0),
      },
      {
        name: `list, deep page (offset ${deepOffset})`,
        api: () => apiGet(`/api/v1/assets?limit=50&offset=${deepOffset}`),
        floor: () => floorList('true', [], deepOffset),
      },
      {
        name: 'search by IP',
        api: () => apiGet(`/api/v1/assets?q=${encodeURIComponent(ip)}`),
        floor: () => floorList('a.ip_addresses @> array[$1]::text[]', [ip], 0),
      },
      {
        name: 'search by host-name prefix',
        api: () => apiGet(`/api/v1/assets?q=${prefix}`),
        floor: () => floorList(`lower(a.hostname) like $1`, [`${prefix}%`], 0),
      },
      {
        name: 'search by MAC',
        api: () => apiGet(`/api/v1/assets?q=${encodeURIComponent(macTyped)}`),
        floor: () => floorList('a.mac_addresses @> array[$1]::text[]', [mac], 0),
      },
      {
        name: 'asset detail',
        api: async () => {
          const id = details[d++ % details.length]!;
          const res = await assetRoute.GET(new Request(`http://localhost/api/v1/assets/${id}`, { headers }), {
            params: Promise.resolve({ id }),
          });
          if (res.status !== 200) throw new Error(`detail: ${res.status}`);
          await res.text();
        },
        floor: async () => {
          const id = details[d++ % details.length]!;
          await Promise.all([
            floorPool.query(`select ${cols}, a.canonical from assets a where a.uuid = $1`, [id]),
            floorPool.query(
              `select l.*, s.name from asset_source_links l join sources s on s.id = l.source_id where l.asset_uuid = $1`,
              [id],
            ),
          ]);
        },
      },
    ];

    // The API must authenticate every request: the floor does the same one indexed token lookup, then the
    // query. The query alone is shown too, so the cost of authentication is visible.
    const floorAuth = () =>
      floorPool.query(
        `select u.id, u.role from api_tokens t join users u on u.id = t.user_id
         where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.enabled`,
        [tok.tokenHash],
      );
    const rows: string[][] = [];
    let allWithin = true;
    for (const c of cases) {
      for (let i = 0; i < 20; i++) {
        await c.api();
        await c.floor();
      }
      const api: number[] = [];
      const floor: number[] = [];
      const queryOnly: number[] = [];
      const iterations = c.name.startsWith('list, deep') ? Math.max(50, ITERATIONS / 4) : ITERATIONS;
      // Interleaved, so all three see the same machine load.
      for (let i = 0; i < iterations; i++) {
        let t = performance.now();
        await c.api();
        api.push(performance.now() - t);
        t = performance.now();
        await floorAuth();
        await c.floor();
        floor.push(performance.now() - t);
        t = performance.now();
        await c.floor();
        queryOnly.push(performance.now() - t);
      }
      const ratio = pct(api, 95) / pct(floor, 95);
      if (ratio > 3) allWithin = false;
      rows.push([
        c.name,
        pct(api, 50).toFixed(2),
        pct(api, 95).toFixed(2),
        pct(floor, 50).toFixed(2),
        pct(floor, 95).toFixed(2),
        `${ratio.toFixed(2)}×`,
        ratio <= 3 ? 'ok' : 'OVER 3×',
        `${pct(queryOnly, 50).toFixed(2)} / ${pct(queryOnly, 95).toFixed(2)}`,
      ]);
    }
    const header = [
      'case',
      'API p50 ms',
      'API p95 ms',
      'floor p50 ms',
      'floor p95 ms',
      'p95 ratio',
      'target ≤ 3×',
      'query only p50 / p95 ms',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(
      `API latency on ${ASSETS.toLocaleString('en')} assets (${ITERATIONS} iterations; API = route handler with Bearer auth; ` +
        `floor = token lookup + the equivalent hand-written SQL, sent with pg directly)\n`,
    );
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));

    // EXPLAIN of exactly what the API sends for each search (and the list pages).
    const dialect = new PgDialect();
    const explain = async (label: string, query: ReturnType<typeof sql>, isSearch = true) => {
      const q = dialect.sqlToQuery(query);
      const plan = (await client.query(`explain (costs off) ${q.sql}`, q.params)).rows.map(
        (r) => r['QUERY PLAN'] as string,
      );
      const seq = plan.some((l) => /Seq Scan on (assets|source_records)\b/.test(l));
      // Searches must use indexes; an unfiltered deep page may legitimately scan (the planner's choice).
      if (seq && isSearch) allWithin = false;
      console.log(
        `\nEXPLAIN ${label}${seq ? (isSearch ? '   <-- SEQUENTIAL SCAN' : '   (unfiltered list: scan chosen by the planner)') : ''}`,
      );
      for (const l of plan) console.log(`  ${l}`);
    };
    const searches: [string, Record<string, string>][] = [
      ['search by IP', { q: ip }],
      ['search by host-name prefix', { q: prefix }],
      ['search by MAC', { q: macTyped }],
      ['search by serial', { q: 'SN' + 'ABC' }],
      ['search by IPv6', { q: '2001:DB8:0:0:0:0:0:3039' }],
    ];
    for (const [label, f] of searches) {
      const where = assetWhere(f);
      await explain(
        `${label} (page)`,
        sql`${assetSelect(f, where)} order by ${assetOrderBy(undefined)} limit 50 offset 0`,
      );
      await explain(`${label} (total)`, sql`select count(*)::int as n from assets a where ${where}`);
    }
    await explain(
      `list, deep page`,
      sql`select ${ASSET_LIST_COLUMNS} from assets a where true order by ${assetOrderBy(undefined)} limit 50 offset ${deepOffset}`,
      false,
    );
    await explain(
      `list, first page`,
      sql`select ${ASSET_LIST_COLUMNS} from assets a where true order by ${assetOrderBy(undefined)} limit 50 offset 0`,
      false,
    );
    await explain(
      `asset detail`,
      sql`select ${ASSET_LIST_COLUMNS}, a.canonical from assets a where a.uuid = ${details[0]!}`,
    );
    await explain(
      `asset records`,
      sql`select r.id from source_records r where r.asset_uuid = ${details[0]!} order by r.id desc limit 50`,
    );
    console.log(
      `\n${allWithin ? 'All cases within 3× of the floor; no sequential scans.' : 'SOME TARGETS MISSED (see above).'}`,
    );
  } finally {
    await client.end().catch(() => {});
    await floorPool.end().catch(() => {});
    await closeDb(db).catch(() => {});
    if (!process.env.BENCH_KEEP) {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists "${dbName}" with (force)`);
      await c.end();
    } else {
      console.log(`Kept database ${dbName}`);
    }
  }
}

// Imported by the reliability suite for seed(): run only as a script.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
