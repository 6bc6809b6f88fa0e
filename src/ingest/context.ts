// The run context every ingest step reads and writes: what the run is, the SQL it sends (counted and timed),
// its warnings and its counters. Steps hand their results to later steps through it, not through locals of
// one long function; each step says in its header which fields it reads and which it sets.
import type pg from 'pg';
import { MODE_KINDS, MODE_RELATIONS, type AssetKind, type RunMode } from '@/collector/contract';
import { CopyFeed, copyRows, type CopyColumn, type CopyValue } from './copy';
import { initialState, type IngestSource, type IngestState } from './state';

export interface IngestWarning {
  code: string;
  message: string;
  count?: number;
}

export interface IngestStats {
  assets: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  came_back: number;
  reattached: number;
  offline: number;
  records_written: number;
  snapshots: number;
  relations: number;
  relations_inactive: number;
  relations_unresolved: number;
  duplicates: number;
  /** new objects that were an asset moved here from another source (src/server/identity) */
  moved_across_sources: number;
  /** duplicate candidates among the assets this run touched */
  duplicate_candidates: number;
  round_trips: number;
}

export interface IngestTiming {
  step: string;
  ms: number;
}

type Row = Record<string, unknown>;

// What the feed encodes ahead of a COPY: a few buffers while the COPY takes them (more only made a fast
// source's staging slower), and while the connection creates early objects between two segments, enough for
// the collector to go on for a second or two (about 5,000 simulator VMs) before its stream waits.
const FEED_AHEAD_BYTES = 4 << 20;
const FEED_AHEAD_BETWEEN_BYTES = 32 << 20;

/**
 * The run's connection as ingest uses it: every statement and COPY is one round trip, counted (the number
 * must not grow with the estate) and timed under the step that sent it (`<step>: <statement…>`).
 */
export class IngestSql {
  roundTrips = 0;
  readonly timings: IngestTiming[] = [];
  private step = '';

  constructor(readonly client: pg.PoolClient) {}

  /** Runs `fn` as step `name`: its statements are labelled with the name, and its wall time recorded. */
  async inStep<R>(name: string, fn: () => Promise<R>): Promise<R> {
    const outer = this.step;
    this.step = name;
    try {
      return await this.timed(name, fn);
    } finally {
      this.step = outer;
    }
  }

  async query<T extends Row = Row>(text: string, values?: unknown[]): Promise<T[]> {
    return (await this.send(text, values)).rows as T[];
  }

  /** A statement whose result is the number of rows it wrote. */
  async execute(text: string, values?: unknown[]): Promise<number> {
    return (await this.send(text, values)).rowCount ?? 0;
  }

  private send(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    this.roundTrips++;
    const label = text.replace(/\s+/g, ' ').trim().slice(0, 60);
    return this.timed(`${this.step}: ${label}`, () => this.client.query(text, values));
  }

  async copy(
    table: string,
    cols: readonly CopyColumn[],
    rows: Iterable<readonly CopyValue[]>,
  ): Promise<void> {
    this.roundTrips++;
    await this.timed(`${this.step}: copy ${table}`, () => copyRows(this.client, table, cols, rows));
  }

  /**
   * COPYs fed by an asynchronous source (see CopyFeed), one after another: when `wantsCut` says there is
   * work and the source is slower than the COPY, the COPY ends, `onCut` runs on the connection while the
   * feed goes on reading the source, and the next COPY continues the stream.
   */
  async copyFeed<T>(
    table: string,
    cols: readonly CopyColumn[],
    items: AsyncIterable<T>,
    toRow: (item: T) => readonly CopyValue[] | null,
    cuts: { wantsCut: () => boolean; onCut: () => Promise<void> },
  ): Promise<void> {
    const feed = new CopyFeed(table, cols, items, toRow, {
      aheadBytes: FEED_AHEAD_BYTES,
      aheadBytesBetween: FEED_AHEAD_BETWEEN_BYTES,
      wantsCut: cuts.wantsCut,
    });
    try {
      for (;;) {
        this.roundTrips++;
        const r = await this.timed(`${this.step}: copy ${table}`, () => feed.copySegment(this.client));
        if (r === 'end') return;
        await cuts.onCut();
      }
    } finally {
      feed.stop();
    }
  }

  private async timed<R>(label: string, fn: () => Promise<R>): Promise<R> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.timings.push({ step: label, ms: Math.round(performance.now() - t0) });
    }
  }
}

/** The counters a run reports (`runs.stats`), filled in by the steps. */
export type IngestCounters = Omit<IngestStats, 'round_trips'>;

export interface IngestRunInfo {
  runId: string;
  sourceId: string;
  mode: RunMode;
  collectedAt: Date;
}

/** What every step shares. */
export interface IngestContext {
  readonly runId: string;
  readonly sourceId: string;
  readonly mode: RunMode;
  /** The run's collection time as ISO text, the timestamp of every row it writes. */
  readonly now: string;
  /** The asset kinds and relation types this mode collects (and may record as gone). */
  readonly kinds: readonly AssetKind[];
  readonly relTypes: readonly string[];
  /** Presence and relation lifecycle are recorded only for a complete inventory. */
  inventoryComplete: boolean;
  readonly sql: IngestSql;
  readonly warnings: IngestWarning[];
  readonly counters: IngestCounters;
  /** The run's items, pulled once by stage-stream. */
  readonly source: IngestSource;
  /** What steps hand to later steps (see ./state.ts). */
  readonly state: IngestState;
}

export function createContext(
  client: pg.PoolClient,
  run: IngestRunInfo,
  source: IngestSource,
): IngestContext {
  return {
    runId: run.runId,
    sourceId: run.sourceId,
    mode: run.mode,
    now: run.collectedAt.toISOString(),
    kinds: MODE_KINDS[run.mode] as readonly AssetKind[],
    relTypes: MODE_RELATIONS[run.mode] as readonly string[],
    inventoryComplete: false,
    sql: new IngestSql(client),
    warnings: [],
    counters: {
      assets: 0,
      new: 0,
      changed: 0,
      unchanged: 0,
      missing: 0,
      came_back: 0,
      reattached: 0,
      offline: 0,
      records_written: 0,
      snapshots: 0,
      relations: 0,
      relations_inactive: 0,
      relations_unresolved: 0,
      duplicates: 0,
      moved_across_sources: 0,
      duplicate_candidates: 0,
    },
    source,
    state: initialState(),
  };
}

/** One named step of ingest. Steps run in the order of ./steps/index.ts, each timed under its name. */
export interface IngestStep {
  name: string;
  run(ctx: IngestContext): Promise<void> | void;
}
