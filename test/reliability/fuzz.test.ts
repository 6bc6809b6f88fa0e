// The reliability suite's property-based fuzzing of the collector response parser and of ingest, at a
// size cheap enough for `npm test` (npm run reliability runs the same properties with many more cases).
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import { createSource } from '../pipeline-helpers';
import { ingestProperty, parseAndIngest, parserProperty, v2Text } from './fuzz/collector';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('fuzzing (fast-check)', () => {
  it('the response parser: any bytes → events ending in one end line, or a contract failure; never a crash', async () => {
    await fc.assert(parserProperty, { numRuns: 300 });
  });

  it('ingest: odd responses ingest whole or not at all', async () => {
    await fc.assert(ingestProperty(t.db), { numRuns: 15 });
  }, 120_000);
});

describe('what the fuzzing found', () => {
  it('a U+0000 in a normalized string is dropped from that object; the rest ingests', async () => {
    const src = await createSource(t.db, { credential: null });
    const text = v2Text({
      assets: [
        {
          ref: { external_kind: 'vm', external_id: 'vm-1' },
          normalized: { identity: { caption: 'ok-vm', hostname: 'bad\u0000name' } },
          raw_payload: {},
        },
      ],
      relations: [],
      complete: true,
    });
    const { failure } = await parseAndIngest(t.db, src.id, text);
    expect(failure).toBeUndefined();
    const r = await t.db.execute<{ name: string; hostname: string | null }>(
      sql`select a.name, a.hostname from assets a join asset_source_links l on l.asset_uuid = a.uuid
          where l.source_id = ${src.id}`,
    );
    expect(r.rows).toEqual([{ name: 'ok-vm', hostname: null }]);
  });
});
