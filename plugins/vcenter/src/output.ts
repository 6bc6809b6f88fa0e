// Writes a collector response as it is produced. Contract v2 (the default): NDJSON, one line per asset,
// relation, warning, error and progress report as each happens, then one `end` line — nothing of the
// estate is kept here. Contract v1 (for a collector-request-v1): one JSON document; assets stream out as
// produced, relations, stats and errors follow them (the document's shape puts relations after assets, so
// the v1 writer keeps them until the end).
import type { Writable } from 'node:stream';
import {
  RESPONSE_SCHEMA_VERSION,
  RESPONSE_SCHEMA_VERSION_V2,
  type CollectorAsset,
  type CollectorError,
  type CollectorRelation,
} from '../../../src/collector/contract';
import type { CollectResult, ResponseSink, Warning } from './collect';

type Finish = Pick<CollectResult, 'detect' | 'warnings' | 'errors' | 'inventory_complete' | 'assets'>;

/** A writer both contract versions share: back-pressure through the stream's 'drain'. */
abstract class StreamWriter implements ResponseSink {
  constructor(protected readonly out: Writable) {}

  protected write(s: string): Promise<void> | undefined {
    if (this.out.write(s)) return undefined;
    return new Promise((resolve) => this.out.once('drain', () => resolve()));
  }

  abstract asset(a: CollectorAsset): Promise<void> | undefined;
  abstract relation(r: CollectorRelation): Promise<void> | undefined;
  abstract warning(w: Warning): void;
  abstract progress(phase: string, objects: number): void;
  /** Writes the rest of the response and waits until it is flushed. */
  abstract finish(r: Finish): Promise<void>;
  /** The response for a collector that failed before or while collecting (still valid output). */
  abstract fail(errors: CollectorError[]): string;
}

/** Warnings kept for a v1 document's stats.warnings; later ones are counted. */
const V1_MAX_WARNINGS = 1000;

export class JsonResponseWriter extends StreamWriter {
  private first = true;
  private started = false;
  private readonly relations: CollectorRelation[] = [];
  private readonly warnings: Warning[] = [];
  private droppedWarnings = 0;

  start(): void {
    if (this.started) return;
    this.started = true;
    this.write(`{"schema_version":${JSON.stringify(RESPONSE_SCHEMA_VERSION)},"assets":[`);
  }

  asset(a: CollectorAsset): Promise<void> | undefined {
    this.start();
    const s = (this.first ? '' : ',') + JSON.stringify(a);
    this.first = false;
    return this.write(s);
  }

  relation(r: CollectorRelation): undefined {
    this.relations.push(r);
    return undefined;
  }

  warning(w: Warning): void {
    if (this.warnings.length < V1_MAX_WARNINGS) this.warnings.push(w);
    else this.droppedWarnings++;
  }

  progress(): void {
    // v1 has no progress reports
  }

  async finish(r: Finish) {
    this.start();
    let s = '],"relations":[';
    let w: Promise<void> | undefined;
    for (let i = 0; i < this.relations.length; i++) {
      s += (i ? ',' : '') + JSON.stringify(this.relations[i]);
      if (s.length > 1 << 16) {
        w = this.write(s);
        if (w) await w;
        s = '';
      }
    }
    s += ']';
    if (r.detect) s += `,"detect":${JSON.stringify(r.detect)}`;
    const warnings = [...r.warnings, ...this.warnings];
    if (this.droppedWarnings)
      warnings.push({
        code: 'WARNINGS_TRUNCATED',
        message: `${this.droppedWarnings} more warnings were not kept`,
      });
    s += `,"stats":${JSON.stringify({
      assets: r.assets,
      relations: this.relations.length,
      inventory_complete: r.inventory_complete,
      warnings,
    })}`;
    s += `,"errors":${JSON.stringify(r.errors)}}\n`;
    w = this.write(s);
    if (w) await w;
  }

  fail(errors: CollectorError[]): string {
    return errorResponse(errors);
  }
}

export function errorResponse(errors: CollectorError[]): string {
  return (
    JSON.stringify({
      schema_version: RESPONSE_SCHEMA_VERSION,
      assets: [],
      relations: [],
      stats: { assets: 0, relations: 0, inventory_complete: false, warnings: [] },
      errors,
    }) + '\n'
  );
}

export class NdjsonResponseWriter extends StreamWriter {
  private started = false;
  private relations = 0;
  private assets = 0;

  private line(o: Record<string, unknown>): Promise<void> | undefined {
    if (!this.started) {
      this.started = true;
      this.write(`${JSON.stringify({ type: 'header', schema_version: RESPONSE_SCHEMA_VERSION_V2 })}\n`);
    }
    return this.write(`${JSON.stringify(o)}\n`);
  }

  start(): void {
    if (!this.started) this.line({ type: 'progress', phase: 'login', objects: 0 });
  }

  asset(a: CollectorAsset): Promise<void> | undefined {
    this.assets++;
    return this.line({ type: 'asset', ...a });
  }

  relation(r: CollectorRelation): Promise<void> | undefined {
    this.relations++;
    const { type, ...rest } = r;
    return this.line({ type: 'relation', relation_type: type, ...rest });
  }

  warning(w: Warning): void {
    this.line({ ...w, type: 'warning' });
  }

  progress(phase: string, objects: number): void {
    this.line({ type: 'progress', phase, objects });
  }

  async finish(r: Finish) {
    for (const w of r.warnings) this.warning(w);
    for (const e of r.errors) this.line({ type: 'error', ...e });
    const w = this.line({
      type: 'end',
      stats: { assets: this.assets, relations: this.relations, inventory_complete: r.inventory_complete },
      ...(r.detect ? { detect: r.detect } : {}),
    });
    if (w) await w;
  }

  /** After a crash: what is still owed (header if none yet, the errors, an end line that is incomplete). */
  fail(errors: CollectorError[]): string {
    let s = '';
    if (!this.started)
      s += `${JSON.stringify({ type: 'header', schema_version: RESPONSE_SCHEMA_VERSION_V2 })}\n`;
    for (const e of errors) s += `${JSON.stringify({ type: 'error', ...e })}\n`;
    s += `${JSON.stringify({
      type: 'end',
      stats: { assets: this.assets, relations: this.relations, inventory_complete: false },
    })}\n`;
    return s;
  }
}

export type ResponseWriter = JsonResponseWriter | NdjsonResponseWriter;

/** Collects everything in memory (library use and tests). */
export class MemorySink implements ResponseSink {
  readonly assets: CollectorAsset[] = [];
  readonly relations: CollectorRelation[] = [];
  readonly warnings: Warning[] = [];
  readonly progressReports: { phase: string; objects: number }[] = [];
  asset(a: CollectorAsset): undefined {
    this.assets.push(a);
    return undefined;
  }
  relation(r: CollectorRelation): undefined {
    this.relations.push(r);
    return undefined;
  }
  warning(w: Warning): void {
    this.warnings.push(w);
  }
  progress(phase: string, objects: number): void {
    this.progressReports.push({ phase, objects });
  }
}
