// Ingest of one collect run (DESIGN §8). Runs inside the caller's transaction on one connection, so the
// worker can mark the run succeeded in the same commit: a crash, or a collector stream that fails half way,
// leaves nothing behind. Ingest is the ordered list of named steps in ./steps/index.ts over one run context
// (./context.ts): the first pulls the run's items as they arrive and stages them by COPY, the others are
// set-based statements over the staged tables, so neither Node's memory nor the number of round trips grows
// with the number of assets.
import type pg from 'pg';
import type { CollectorAsset, CollectorRelation, RunMode } from '@/collector/contract';
import { createContext, type IngestStats, type IngestTiming, type IngestWarning } from './context';
import type { IngestItem } from './state';
import { INGEST_STEPS } from './steps';

export type { IngestStats, IngestWarning } from './context';
export type { IngestItem } from './state';
export { recordTexts } from './rows';

export interface IngestStreamInput {
  runId: string;
  sourceId: string;
  mode: RunMode;
  collectedAt: Date;
  /**
   * The run's assets and relations, pulled one at a time as ingest stages them (that is the back-pressure:
   * a producer must not read its collector faster). Completes normally only for a valid, complete output;
   * if it throws, ingest throws and the caller's transaction must roll back.
   */
  items: AsyncIterable<IngestItem>;
  /** Called once the items are done. Presence and relation lifecycle are recorded only for a complete inventory. */
  end: () => Promise<{ inventoryComplete: boolean }>;
}

export interface IngestInput {
  runId: string;
  sourceId: string;
  mode: RunMode;
  collectedAt: Date;
  assets: CollectorAsset[];
  relations: CollectorRelation[];
  /** Presence and relation lifecycle are recorded only for a complete inventory. */
  inventoryComplete: boolean;
}

export interface IngestResult {
  stats: IngestStats;
  warnings: IngestWarning[];
  /** Wall time per step, and per statement as `<step>: <statement…>` (benchmark, slow-run diagnosis). */
  timings: IngestTiming[];
}

export async function ingestStream(client: pg.PoolClient, input: IngestStreamInput): Promise<IngestResult> {
  const ctx = createContext(client, input, { items: input.items, end: input.end });
  for (const step of INGEST_STEPS) await ctx.sql.inStep(step.name, async () => step.run(ctx));
  return {
    stats: { ...ctx.counters, round_trips: ctx.sql.roundTrips },
    warnings: ctx.warnings,
    timings: ctx.sql.timings,
  };
}

/** Wall time per step (the statements' own timings left out; a step run several times summed), for a run's stats. */
export function stepTimings(timings: readonly IngestTiming[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of timings) if (!t.step.includes(': ')) out[t.step] = (out[t.step] ?? 0) + t.ms;
  return out;
}

async function* arrayItems(
  assets: readonly CollectorAsset[],
  relations: readonly CollectorRelation[],
): AsyncGenerator<IngestItem> {
  for (const asset of assets) yield { type: 'asset', asset };
  for (const relation of relations) yield { type: 'relation', relation };
}

/** A whole response held in memory, ingested as a stream (tests, benchmarks). */
export function ingestRun(client: pg.PoolClient, input: IngestInput): Promise<IngestResult> {
  const { assets, relations, inventoryComplete, ...run } = input;
  return ingestStream(client, {
    ...run,
    items: arrayItems(assets, relations),
    end: () => Promise.resolve({ inventoryComplete }),
  });
}
