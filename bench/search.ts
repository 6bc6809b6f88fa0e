// `npm run bench:search`: search by any part (issue 14) at 50,000 assets. For each kind of search — a
// substring of 2, 3 and 8 characters, an IPv4 prefix, IPv4 and IPv6 CIDRs, a MAC OUI, a ledger owner — p50/p95
// of the real route handler (Bearer auth included) beside the floor: the very SQL the API sends (page and
// total, on two connections at once, after the same token lookup), sent with pg directly in the same run,
// interleaved. Target: p95 ≤ 3× the floor, and no sequential scan of assets (the plan's scan nodes are
// printed). Needs DATABASE_URL (a server where it may create and drop a scratch database).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pct, printTable, scratchDatabase } from './bench-db';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 50_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);

/** 50,000 assets with the awkward variety of a real estate: vCenter-simulator names, CJK, IPv4/IPv6, MACs. */
async function seed(client: pg.Client): Promise<void> {
  await client.query('begin');
  await client.query(
    `insert into assets (kind, name, hostname, serial_number, ip_addresses, mac_addresses, power_state,
                         cluster_name, host_name, canonical, last_seen_at)
     select case when i % 50 = 0 then 'host' else 'vm' end::asset_kind,
            case when i % 3 = 0 then 'DC' || (i % 4) || '_C' || (i % 8) || '_RP' || (i % 3) || '_VM' || i
                 when i % 3 = 1 then (array['prod-db-', 'web-', 'app-', '数据库-', 'cache-'])[i % 5 + 1] || lpad(i::text, 5, '0')
                 else 'svc ' || substr(md5(i::text), 1, 6) || ' & <' || i || '>' end,
            'host-' || i || '.corp.example',
            case when i % 50 = 0 then 'CZJ' || upper(substr(md5(i::text), 1, 7)) end,
            array['10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256)]
              || case when i % 5 = 0 then array['2001:db8:' || to_hex(i % 16) || '::' || to_hex(i)] else '{}'::text[] end,
            array[(array['00:50:56', '00:0c:29', '00:1b:21'])[i % 3 + 1] || ':' || lpad(to_hex((i >> 16) & 255), 2, '0')
                  || ':' || lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0')],
            'poweredOn', 'cl-' || (i % 40), 'esx-' || (i % 1000) || '.dc1.example', '{}'::jsonb, now()
     from generate_series(1, $1::int) i`,
    [ASSETS],
  );
  // A tenth of the estate has ledger values (owner, asset number).
  await client.query(
    `insert into asset_ledger (asset_uuid, values)
     select uuid, jsonb_build_object('owner', (array['Zhang Wei 张伟', 'Li Na', 'Ops team'])[(hashtext(uuid::text) & 3) % 3 + 1],
                                     'asset_number', 'AN-' || lpad((row_number() over ())::text, 6, '0'))
     from assets where hashtext(uuid::text) % 10 = 0`,
  );
  await client.query('commit');
  await client.query('vacuum analyze');
}

async function main(): Promise<void> {
  const db0 = await scratchDatabase('al_bench_search');
  process.env.DATABASE_URL = db0.url;
  (process.env as Record<string, string>).NODE_ENV = 'production';
  process.env.LOG_LEVEL = 'warn';
  process.env.ASSET_LEDGER_SECRET_KEY ??= randomBytes(32).toString('hex');
  const { getDb, closeDb } = await import('@/db/client');
  const { migrateDatabase } = await import('@/db/migrate');
  const { hashPassword } = await import('@/server/auth/password');
  const { generateApiToken } = await import('@/server/auth/session');
  const assetsRoute = await import('@/app/api/v1/assets/route');
  const { assetWhere, assetOrderBy, assetSelect } = await import('@/server/assets/service');
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const { sql } = await import('drizzle-orm');
  const dialect = new PgDialect();

  const db = getDb();
  const floorPool = new pg.Pool({ connectionString: db0.url, max: 10 });
  const client = new pg.Client({ connectionString: db0.url });
  await client.connect();
  let ok = true;
  try {
    await migrateDatabase(db);
    const t0 = performance.now();
    await seed(client);
    console.log(
      `Seeded ${ASSETS.toLocaleString('en')} assets in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
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
    const floorAuth = () =>
      floorPool.query(
        `select u.id, u.role from api_tokens t join users u on u.id = t.user_id
         where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.enabled`,
        [tok.tokenHash],
      );

    const cases: [string, string][] = [
      ['substring, 2 characters', 'db'],
      ['substring, 3 characters', 'VM7'],
      ['substring, 8 characters', 'RP0_VM12'],
      ['substring, CJK', '数据库-0'],
      ['ledger owner', '张伟'],
      ['IPv4 prefix', '10.0.12.'],
      ['IPv4 CIDR', '10.0.16.0/22'],
      ['IPv6 CIDR', '2001:db8:3::/48'],
      ['MAC OUI', '00:0c:29'],
    ];
    const rows: string[][] = [];
    const plans: string[] = [];
    for (const [name, q] of cases) {
      const f = { q };
      const where = assetWhere(f);
      const page = dialect.sqlToQuery(
        sql`${assetSelect(f, where)} order by ${assetOrderBy(undefined, q)} limit 50 offset 0`,
      );
      const count = dialect.sqlToQuery(sql`select count(*)::int as n from assets a where ${where}`);
      const api = async () => {
        const res = await assetsRoute.GET(
          new Request(`http://localhost/api/v1/assets?q=${encodeURIComponent(q)}`, { headers }),
        );
        if (res.status !== 200) throw new Error(`${q}: ${res.status} ${await res.text()}`);
        await res.text();
      };
      const floor = async () => {
        await floorAuth();
        await Promise.all([floorPool.query(page.sql, page.params), floorPool.query(count.sql, count.params)]);
      };
      for (let i = 0; i < 10; i++) {
        await api();
        await floor();
      }
      const a: number[] = [];
      const fl: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        let t = performance.now();
        await api();
        a.push(performance.now() - t);
        t = performance.now();
        await floor();
        fl.push(performance.now() - t);
      }
      const total = (await floorPool.query(count.sql, count.params)).rows[0].n as number;
      const plan = (await client.query(`explain (costs off) ${count.sql}`, count.params)).rows.map(
        (r) => r['QUERY PLAN'] as string,
      );
      const pagePlan = (await client.query(`explain (costs off) ${page.sql}`, page.params)).rows.map(
        (r) => r['QUERY PLAN'] as string,
      );
      // The target is about assets; the page joins each match's ledger row (the list's ledger columns), which
      // the planner may read whole for a few thousand matches — shown, not counted.
      const seq = [...plan, ...pagePlan].some((l) => /Seq Scan on assets\b/.test(l));
      const otherSeq = [
        ...new Set([...plan, ...pagePlan].map((l) => /Seq Scan on (\w+)/.exec(l)?.[1]).filter(Boolean)),
      ];
      const scans = [
        ...new Set(
          plan
            .map((l) => /(Bitmap Index Scan|Index Scan|Index Only Scan|Seq Scan) on (\w+)/.exec(l))
            .filter(Boolean)
            .map((m) => `${m![1]} on ${m![2]}`),
        ),
      ];
      const ratio = pct(a, 95) / pct(fl, 95);
      if (ratio > 3 || seq) ok = false;
      rows.push([
        name,
        q,
        String(total),
        pct(a, 50).toFixed(2),
        pct(a, 95).toFixed(2),
        pct(fl, 50).toFixed(2),
        pct(fl, 95).toFixed(2),
        `${ratio.toFixed(2)}×`,
        ratio <= 3 && !seq ? 'ok' : seq ? 'SEQ SCAN' : 'OVER 3×',
      ]);
      plans.push(
        `${name} (${q}): ${seq ? 'SEQUENTIAL SCAN OF ASSETS  ' : ''}${scans.join(', ')}` +
          (otherSeq.length ? `; page query also reads ${otherSeq.join(', ')} whole` : ''),
      );
      console.log(`  ${rows[rows.length - 1]!.join('  ')}`);
    }
    console.log(
      `Search by any part on ${ASSETS.toLocaleString('en')} assets (${ITERATIONS} iterations; API = route handler with Bearer auth; ` +
        'floor = token lookup + the same page and total SQL sent with pg directly)\n',
    );
    printTable(
      [
        'search',
        'q',
        'matches',
        'API p50 ms',
        'API p95 ms',
        'floor p50 ms',
        'floor p95 ms',
        'p95 ratio',
        'target ≤ 3×, no seq scan',
      ],
      rows,
    );
    console.log('\nIndex use (scan nodes of the total query’s plan):');
    for (const p of plans) console.log(`  ${p}`);
    console.log(
      `\n${ok ? 'All searches within 3× of the floor; no sequential scan.' : 'SOME TARGETS MISSED (see above).'}`,
    );
  } finally {
    await client.end().catch(() => {});
    await floorPool.end().catch(() => {});
    await closeDb(db).catch(() => {});
    await db0.drop();
  }
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
