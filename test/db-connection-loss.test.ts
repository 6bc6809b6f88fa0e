// A server restart kills every connection, including one a caller has checked out for a transaction (the
// worker's ingest does). That must fail the caller's queries, not crash the process (the reliability suite
// found a worker dying with "Unhandled 'error' event" when PostgreSQL restarted during ingest).
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, serverUrl, type TestDatabase } from './db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await t?.drop();
});

it('a checked-out client whose connection is terminated fails its queries; the pool goes on', async () => {
  const client = await t.db.$client.connect();
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
  // The server's FATAL arrives while nothing is in flight: the client emits 'error' on its own.
  await new Promise((r) => setTimeout(r, 300));
  await expect(client.query('select 1')).rejects.toThrow();
  client.release();
  const r = await t.db.$client.query<{ one: number }>('select 1 as one');
  expect(r.rows[0]!.one).toBe(1);
});
