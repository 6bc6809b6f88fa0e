// A source record belongs to its link and to that link's asset (one foreign key on both columns): it cannot
// name another asset, and deleting the asset (or the link) removes it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';

let t: TestDatabase;
let sourceId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const s = await t.db.execute<{ id: string }>(
    sql`insert into sources (name, config) values ('vc1', '{"endpoint":"https://vc1.example"}'::jsonb) returning id`,
  );
  sourceId = s.rows[0]!.id;
});
afterAll(async () => t?.drop());

async function assetWithLink(externalId: string): Promise<{ asset: string; link: string }> {
  const a = await t.db.execute<{ uuid: string }>(sql`insert into assets (kind) values ('vm') returning uuid`);
  const asset = a.rows[0]!.uuid;
  const l = await t.db.execute<{ id: string }>(sql`
    insert into asset_source_links (asset_uuid, source_id, external_kind, external_id)
    values (${asset}, ${sourceId}, 'vm', ${externalId}) returning id`);
  return { asset, link: l.rows[0]!.id };
}

const insertRecord = (link: string, asset: string) =>
  t.db.execute(sql`
    insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, hash,
                                last_seen_run_id, last_seen_at)
    values (${link}, ${asset}, ${sourceId}, gen_random_uuid(), now(), '{}'::jsonb, 'h', gen_random_uuid(), now())`);

async function pgCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string } };
    return err.cause?.code ?? err.code;
  }
}

const recordCount = async (link: string) =>
  (
    await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from source_records where link_id = ${link}`,
    )
  ).rows[0]!.n;

describe('source_records (link_id, asset_uuid) foreign key', () => {
  it("rejects a record whose asset is not its link's asset", async () => {
    const a = await assetWithLink('vm-1');
    const b = await assetWithLink('vm-2');
    expect(await pgCode(insertRecord(a.link, b.asset))).toBe('23503'); // foreign_key_violation
    await insertRecord(a.link, a.asset);
    expect(await recordCount(a.link)).toBe(1);
  });

  it('deleting the asset removes its links and their records', async () => {
    const a = await assetWithLink('vm-3');
    await insertRecord(a.link, a.asset);
    await t.db.execute(sql`delete from assets where uuid = ${a.asset}`);
    expect(await recordCount(a.link)).toBe(0);
  });

  it('deleting the link removes its records', async () => {
    const a = await assetWithLink('vm-4');
    await insertRecord(a.link, a.asset);
    await t.db.execute(sql`delete from asset_source_links where id = ${a.link}`);
    expect(await recordCount(a.link)).toBe(0);
  });
});
