// The fuzzing rows: the collector response parser and ingest (test/reliability/fuzz/collector.ts), with
// many more cases than the vitest file runs.
import fc from 'fast-check';
import type { Context } from '../context';
import { scratchDatabase, type Row } from '../harness';
import { ingestProperty, parserProperty } from '../fuzz/collector';

const PARSER_RUNS = Number(process.env.RELIABILITY_PARSER_RUNS ?? 3000);
const INGEST_RUNS = Number(process.env.RELIABILITY_INGEST_RUNS ?? 60);

async function check(p: fc.IAsyncProperty<unknown[]> | fc.IAsyncPropertyWithHooks<unknown[]>, runs: number) {
  const t0 = Date.now();
  const r = await fc.check(p as fc.IAsyncProperty<unknown[]>, { numRuns: runs });
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (!r.failed) return { ok: true, text: `${r.numRuns} cases, 0 failures (${secs} s)` };
  const err = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
  return { ok: false, text: `FAILED after ${r.numRuns} cases (seed ${r.seed}): ${err.slice(0, 200)}` };
}

export async function fuzzCollector(ctx: Context): Promise<Row[]> {
  const parser = await check(parserProperty, PARSER_RUNS);
  const s = await scratchDatabase(ctx.serverUrl, 'fuzz');
  try {
    const ingest = await check(ingestProperty(s.db), INGEST_RUNS);
    return [
      {
        fault: 'fuzzing the collector response parser (v1 and v2, cut, spliced, garbage, any chunking)',
        expected: 'events ending in one end line, or a contract failure code; never a crash',
        observed: parser.text,
        dataLost: 0,
        pass: parser.ok,
      },
      {
        fault: 'fuzzing ingest (odd values, duplicate and dangling endpoints, two runs per source)',
        expected: 'ingests whole (every distinct object linked) or not at all; never partial',
        observed: ingest.text,
        dataLost: ingest.ok ? 0 : 1,
        pass: ingest.ok,
      },
    ];
  } finally {
    await s.drop();
  }
}
