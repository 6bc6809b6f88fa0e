// Ingest of one collect run (DESIGN §8). Runs inside the caller's transaction on one connection, so the
// worker can mark the run succeeded in the same commit: a crash leaves nothing behind. Ingest is the ordered
// list of named steps in ./steps/index.ts over one run context (./context.ts); every step is set-based, so
// the number of round trips does not grow with the number of assets.
import type pg from 'pg';
import type { CollectorAsset, CollectorRelation, RunMode } from '@/collector/contract';
import { createContext, type IngestStats, type IngestTiming, type IngestWarning } from './context';
import { initialState } from './state';
import { INGEST_STEPS } from './steps';

export type { IngestStats, IngestWarning } from './context';
export { recordTexts } from './rows';

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

export async function ingestRun(client: pg.PoolClient, input: IngestInput): Promise<IngestResult> {
  const ctx = createContext(client, input, initialState(input.assets, input.relations));
  ctx.inventoryComplete = input.inventoryComplete;
  for (const step of INGEST_STEPS) await ctx.sql.inStep(step.name, () => step.run(ctx));
  return {
    stats: { ...ctx.counters, round_trips: ctx.sql.roundTrips },
    warnings: ctx.warnings,
    timings: ctx.sql.timings,
  };
}
