// One export through the real route handler (Bearer auth), the response read to the end and discarded;
// prints {ms, cpuMs, rssMb, bytes} as the last line (cpuMs: this process's CPU, zlib's threads included). Run by bench/export.ts, one process per export.
import { randomBytes } from 'node:crypto';

async function main(): Promise<void> {
  const format = process.argv[2] === 'xlsx' ? 'xlsx' : 'csv';
  process.env.ASSET_LEDGER_SECRET_KEY ??= randomBytes(32).toString('hex');
  const { getDb, closeDb } = await import('@/db/client');
  const { hashPassword } = await import('@/server/auth/password');
  const { generateApiToken } = await import('@/server/auth/session');
  const route =
    format === 'xlsx'
      ? await import('@/app/api/v1/exports/assets.xlsx/route')
      : await import('@/app/api/v1/exports/assets/route');
  const db = getDb();
  const { sql } = await import('drizzle-orm');
  const name = `bench-${randomBytes(4).toString('hex')}`;
  const user = await db.execute<{ id: string }>(
    sql`insert into users (username, role, password_hash) values (${name}, 'user', ${await hashPassword('x')}) returning id`,
  );
  const tok = generateApiToken();
  await db.execute(
    sql`insert into api_tokens (user_id, name, prefix, token_hash) values (${user.rows[0]!.id}, 'bench', ${tok.prefix}, ${tok.tokenHash})`,
  );
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await route.GET(
    new Request(`http://localhost/api/v1/exports/assets${format === 'xlsx' ? '.xlsx' : ''}`, {
      headers: { authorization: `Bearer ${tok.token}` },
    }),
    { params: Promise.resolve({}) },
  );
  if (res.status !== 200) throw new Error(`${format}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await closeDb(db);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, cpuMs, rssMb, bytes }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
