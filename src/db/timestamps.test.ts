// Timestamps leave the database layer as RFC 3339 for raw and typed queries alike (issue 11 item 10: 11
// operations answered PostgreSQL's text form `2026-12-01 07:04:37.56901+00`).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { users } from './schema';
import { pgTimestamptzToRfc3339 } from './timestamps';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('pgTimestamptzToRfc3339', () => {
  it.each([
    ['2026-12-01 07:04:37.56901+00', '2026-12-01T07:04:37.56901Z'],
    ['2026-12-01 07:04:37+00', '2026-12-01T07:04:37Z'],
    ['2026-12-01 15:04:37.5+08', '2026-12-01T07:04:37.5Z'],
    ['2026-12-01 01:34:37.123456-05:30', '2026-12-01T07:04:37.123456Z'],
    ['2026-01-01 00:30:00+01', '2025-12-31T23:30:00Z'],
  ])('%s → %s', (text, iso) => {
    expect(pgTimestamptzToRfc3339(text)).toBe(iso);
  });

  it('leaves what is not a finite timestamp alone', () => {
    expect(pgTimestamptzToRfc3339('infinity')).toBe('infinity');
    expect(pgTimestamptzToRfc3339('0044-03-15 12:00:00+00 BC')).toBe('0044-03-15 12:00:00+00 BC');
  });
});

describe('database layer', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it('raw sql rows carry RFC 3339 in UTC, whatever the session time zone', async () => {
    const r = await t.db.execute<{ a: string; b: string; n: string | null }>(
      sql`select now() as a, '2026-12-01 15:04:37.56901+08'::timestamptz as b, null::timestamptz as n`,
    );
    expect(r.rows[0]!.a).toMatch(RFC3339_UTC);
    expect(r.rows[0]!.b).toBe('2026-12-01T07:04:37.56901Z');
    expect(r.rows[0]!.n).toBeNull();
    const shanghai = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Asia/Shanghai'`);
      return tx.execute<{ b: string }>(sql`select '2026-12-01 07:04:37.56901Z'::timestamptz as b`);
    });
    expect(shanghai.rows[0]!.b).toBe('2026-12-01T07:04:37.56901Z');
  });

  it('a value read and written back is the same instant to the microsecond', async () => {
    const r = await t.db.execute<{ v: string }>(
      sql`select '2026-12-01 07:04:37.123456+00'::timestamptz as v`,
    );
    const back = await t.db.execute<{ same: boolean }>(
      sql`select ${r.rows[0]!.v}::timestamptz = '2026-12-01 07:04:37.123456+00'::timestamptz as same`,
    );
    expect(back.rows[0]!.same).toBe(true);
  });

  it('typed queries still return Dates', async () => {
    const [u] = await t.db
      .insert(users)
      .values({ username: 'ts-check', role: 'user', passwordHash: 'x' })
      .returning();
    expect(u!.createdAt).toBeInstanceOf(Date);
    const [again] = await t.db.select({ createdAt: users.createdAt }).from(users);
    expect(again!.createdAt.getTime()).toBe(u!.createdAt.getTime());
  });
});
