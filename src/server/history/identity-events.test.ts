// The identity events (moved, merged, split) as the identity services write them parse into their typed
// shape, and describeEvent says what happened.
import { describe, expect, it } from 'vitest';
import { describeEvent, parseEvent } from './events';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('identity history events', () => {
  it('moved names both sources', () => {
    const e = parseEvent({
      type: 'moved',
      details: { from_source_id: A, to_source_id: B, from_asset_uuid: A },
    });
    expect(e && describeEvent(e)).toBe(`moved from source ${A} to source ${B}`);
  });

  it('merged keeps the other asset’s differing ledger values; the tombstone says where it went', () => {
    const survivor = parseEvent({
      type: 'merged',
      details: {
        other_uuid: B,
        merge_id: A,
        by: 'admin',
        ledger_conflicts: [{ field: 'owner', kept: 'team A', dropped: 'team B' }],
      },
    });
    expect(survivor && describeEvent(survivor)).toBe(
      `merged ${B} into this one; its differing values: owner "team B"`,
    );
    const tomb = parseEvent({ type: 'merged', details: { merged_into: A, merge_id: A, by: null } });
    expect(tomb && describeEvent(tomb)).toBe(`merged into ${A}`);
  });

  it('split on both sides; a row without its merge id is not a split event', () => {
    const s = parseEvent({ type: 'split', details: { other_uuid: B, merge_id: A, by: 'admin' } });
    expect(s && describeEvent(s)).toBe(`split ${B} off again`);
    const back = parseEvent({ type: 'split', details: { split_from: A, merge_id: A, by: 'admin' } });
    expect(back && describeEvent(back)).toBe(`split off from ${A}`);
    expect(parseEvent({ type: 'split', details: { other_uuid: B } })).toBeNull();
  });
});
