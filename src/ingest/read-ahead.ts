// Work on a stream's first items while the connection is still busy: stage-stream reads the known records
// (a query of ~20 ms at 10,000 VMs) before the COPY can take a row, and a source that is ready at once — a
// response in memory, a v1 document read whole — would wait for it doing nothing. readAhead pulls items
// and prepares them (their record texts and hash) until the query has settled or `limitBytes` of prepared
// output is held, then hands them on in order, followed by the rest of the stream as it arrives.
import { setImmediate as nextMacrotask } from 'node:timers/promises';

export interface AheadItem<T, P> {
  item: T;
  /** What `prepare` made of it, for the items read ahead (undefined where prepare had nothing to do) */
  prepared?: P;
}

export async function readAhead<T, P>(
  items: AsyncIterable<T>,
  busy: Promise<unknown>,
  prepare: (item: T) => P | undefined,
  size: (p: P) => number,
  limitBytes: number,
): Promise<AsyncIterable<AheadItem<T, P>>> {
  const it = items[Symbol.asyncIterator]();
  let settled = false;
  const done = busy.then(
    () => (settled = true),
    () => (settled = true), // the caller awaits `busy` itself and sees its error
  );
  const ahead: (AheadItem<T, P> | undefined)[] = [];
  let bytes = 0;
  let ended = false;
  let failure: { error: unknown } | null = null;
  try {
    while (!settled && bytes < limitBytes) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        break;
      }
      const prepared = prepare(r.value);
      if (prepared !== undefined) bytes += size(prepared);
      ahead.push({ item: r.value, prepared });
      // A source that is always ready never leaves the microtask queue: let the query's reply be read.
      if (ahead.length % 32 === 0) await nextMacrotask();
    }
  } catch (error) {
    failure = { error }; // thrown in order, once the items before it are taken
  }
  await done;
  return (async function* () {
    let finished = ended || failure !== null;
    try {
      for (let i = 0; i < ahead.length; i++) {
        const a = ahead[i]!;
        ahead[i] = undefined; // held no longer than until taken
        yield a;
      }
      if (failure) throw failure.error;
      for (;;) {
        if (finished) return;
        const r = await it.next();
        if (r.done) finished = true;
        else yield { item: r.value };
      }
    } finally {
      if (!finished) await it.return?.();
    }
  })();
}
