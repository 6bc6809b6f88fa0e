// The web server under load and under fuzzing: 100 concurrent API clients for 60 s on list, search and
// detail at 50,000 assets (seeded as bench/api.ts does) must see no 5xx; then every operation of the
// OpenAPI document gets generated parameters and bodies (fast-check) and must never answer 5xx.
import pg from 'pg';
import { seed } from '../../../bench/api';
import { startApp } from '../../ui/harness';
import { hashPassword } from '@/server/auth/password';
import { generateApiToken } from '@/server/auth/session';
import type { Context } from '../context';
import { scratchDatabase, type Row } from '../harness';
import { fuzzOpenApi, type OpenApiDoc } from '../fuzz/openapi';

const CLIENTS = 100;
const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
const FUZZ_RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 25);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

export async function apiLoadAndFuzz(ctx: Context): Promise<Row[]> {
  const s = await scratchDatabase(ctx.serverUrl, 'api');
  const client = new pg.Client({ connectionString: s.url });
  await client.connect();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const t0 = Date.now();
    await seed(client);
    const user = await client.query<{ id: string }>(
      `insert into users (username, role, password_hash) values ('reliability', 'admin', $1) returning id`,
      [await hashPassword('reliability-password')],
    );
    const tok = generateApiToken();
    await client.query(
      `insert into api_tokens (user_id, name, prefix, token_hash) values ($1, 'rel', $2, $3)`,
      [user.rows[0]!.id, tok.prefix, tok.tokenHash],
    );
    const uuids = (
      await client.query<{ uuid: string }>(`select uuid from assets order by random() limit 500`)
    ).rows.map((r) => r.uuid);
    ctx.say(`api: seeded 50,000 assets in ${((Date.now() - t0) / 1000).toFixed(0)} s; starting the app`);
    app = await startApp(s.url);
    const headers = { authorization: `Bearer ${tok.token}` };
    const load = await loadTest(app.url, headers, uuids);
    ctx.say(`api: load done (${load.requests} requests); fuzzing the OpenAPI operations`);
    const doc = (await (await fetch(`${app.url}/api/openapi.json`, { headers })).json()) as OpenApiDoc;
    const fuzz = await fuzzOpenApi(app.url, headers, doc, { runs: FUZZ_RUNS, uuids }).catch((err: Error) => ({
      operations: 0,
      requests: 0,
      status5xx: [`the fuzzer itself failed: ${err.message.slice(0, 200)}`],
      statuses: '-',
    }));
    if (fuzz.status5xx.length) {
      ctx.say(`api: 5xx answers:\n${fuzz.status5xx.join('\n')}`);
      const errors = app
        .logs()
        .split('\n')
        .filter((l) => /"level":"(error|fatal)"/.test(l));
      ctx.say(`api: server errors logged:\n${errors.slice(-10).join('\n')}`);
    }
    return [
      {
        fault: `${CLIENTS} concurrent API clients × ${LOAD_SECONDS} s (list, search, detail; 50,000 assets)`,
        expected: '0 5xx, 0 errors; p50/p95/p99 reported',
        observed: `${load.requests} requests (${(load.requests / LOAD_SECONDS).toFixed(0)}/s); ${load.status5xx} 5xx, ${load.failed} failed; p50 ${load.p50.toFixed(0)} ms, p95 ${load.p95.toFixed(0)} ms, p99 ${load.p99.toFixed(0)} ms`,
        dataLost: 0,
        pass: load.status5xx === 0 && load.failed === 0 && load.requests > 0,
      },
      {
        fault: `fuzzing every OpenAPI operation (${fuzz.operations} operations × ${FUZZ_RUNS} generated requests)`,
        expected: 'never a 5xx',
        observed: `${fuzz.requests} requests; ${fuzz.status5xx.length} 5xx${fuzz.status5xx.length ? ` (${fuzz.status5xx.slice(0, 3).join('; ')})` : ''}; statuses ${fuzz.statuses}`,
        dataLost: 0,
        pass: fuzz.status5xx.length === 0 && fuzz.operations > 0,
      },
    ];
  } finally {
    await client.end().catch(() => {});
    await app?.stop();
    await s.drop();
  }
}

async function loadTest(base: string, headers: Record<string, string>, uuids: string[]) {
  const queries = ['web-012', 'db-1', '10.0.1.', '服务器', 'esx-00', 'proxy', '00:50:56:00:0'];
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const requests = [
    () => `/api/v1/assets?limit=50&offset=${Math.floor(Math.random() * 200) * 50}`,
    () => `/api/v1/assets?limit=50&q=${encodeURIComponent(pick(queries))}`,
    () => `/api/v1/assets/${pick(uuids)}`,
  ];
  const latencies: number[] = [];
  let status5xx = 0;
  let failed = 0;
  const end = Date.now() + LOAD_SECONDS * 1000;
  const clientLoop = async (i: number) => {
    for (let n = i; Date.now() < end; n++) {
      const t = performance.now();
      try {
        const r = await fetch(`${base}${requests[n % requests.length]!()}`, { headers });
        await r.arrayBuffer();
        if (r.status >= 500) status5xx++;
        else if (r.status >= 400) failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => clientLoop(i)));
  return {
    requests: latencies.length,
    status5xx,
    failed,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
  };
}
