import { describe, expect, it } from 'vitest';
import { readAhead, type AheadItem } from './read-ahead';

/** A source that is always ready, counting how far it was read and whether it was closed. */
function source(n: number, failAt?: number) {
  const state = { read: 0, closed: false };
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`source failed at ${i}`);
        state.read = i + 1;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { items: gen(), state };
}

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

describe('readAhead', () => {
  it('prepares items while the connection is busy, then hands them on in order with the rest', async () => {
    const s = source(100_000);
    const items = await readAhead(
      s.items,
      later(30),
      (i) => i * 10,
      () => 1,
      1 << 30,
    );
    const readWhileBusy = s.state.read;
    expect(readWhileBusy).toBeGreaterThan(0);
    expect(readWhileBusy).toBeLessThan(100_000);
    const got: AheadItem<number, number>[] = await all(items);
    expect(got.map((x) => x.item)).toEqual(Array.from({ length: 100_000 }, (_, i) => i));
    // prepared: the ones read ahead, and only those
    expect(got.filter((x) => x.prepared !== undefined)).toHaveLength(readWhileBusy);
    expect(got[0]).toEqual({ item: 0, prepared: 0 });
    expect(got[readWhileBusy]).toEqual({ item: readWhileBusy });
  });

  it('stops reading ahead at its byte limit, and does not read at all once the connection is free', async () => {
    const s = source(1000);
    await readAhead(
      s.items,
      later(50),
      () => 'x',
      () => 100,
      1000,
    );
    expect(s.state.read).toBe(10);
    const t = source(1000);
    await readAhead(
      t.items,
      Promise.resolve(),
      () => 'x',
      () => 1,
      1 << 30,
    );
    expect(t.state.read).toBeLessThanOrEqual(1);
  });

  it('throws a source error read ahead only after the items before it, and a busy error is left to the caller', async () => {
    const s = source(100, 5);
    const items = await readAhead(
      s.items,
      later(20),
      (i) => i,
      () => 1,
      1 << 30,
    );
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of items) got.push(x.item);
      })(),
    ).rejects.toThrow('source failed at 5');
    expect(got).toEqual([0, 1, 2, 3, 4]);

    const busy = Promise.reject(new Error('query failed'));
    const r = await readAhead(
      source(10).items,
      busy,
      (i) => i,
      () => 1,
      1 << 30,
    );
    expect(r).toBeDefined();
    await expect(busy).rejects.toThrow('query failed');
  });

  it('closes the source when the reader stops early', async () => {
    const s = source(1000);
    const items = await readAhead(
      s.items,
      later(10),
      (i) => i,
      () => 1,
      10,
    );
    for await (const x of items) if (x.item === 700) break;
    expect(s.state.read).toBe(701);
    expect(s.state.closed).toBe(true);
  });
});
