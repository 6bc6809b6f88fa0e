// Writes a collector response as a stream: assets go out as they are produced, relations, stats and errors
// at the end. Key order does not matter in JSON, so the document is valid whatever the run does.
import type { Writable } from 'node:stream';
import { RESPONSE_SCHEMA_VERSION, type CollectorAsset } from '../../../src/collector/contract';
import type { AssetSink, CollectResult } from './collect';

export class JsonResponseWriter implements AssetSink {
  private first = true;
  private started = false;

  constructor(private readonly out: Writable) {}

  private write(s: string): Promise<void> | undefined {
    if (this.out.write(s)) return undefined;
    return new Promise((resolve) => this.out.once('drain', () => resolve()));
  }

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

  /** Writes the rest of the document and waits until it is flushed. */
  async finish(
    r: Pick<CollectResult, 'detect' | 'relations' | 'warnings' | 'errors' | 'inventory_complete' | 'assets'>,
  ) {
    this.start();
    let s = '],"relations":[';
    let w: Promise<void> | undefined;
    for (let i = 0; i < r.relations.length; i++) {
      s += (i ? ',' : '') + JSON.stringify(r.relations[i]);
      if (s.length > 1 << 16) {
        w = this.write(s);
        if (w) await w;
        s = '';
      }
    }
    s += ']';
    if (r.detect) s += `,"detect":${JSON.stringify(r.detect)}`;
    s += `,"stats":${JSON.stringify({
      assets: r.assets,
      relations: r.relations.length,
      inventory_complete: r.inventory_complete,
      warnings: r.warnings,
    })}`;
    s += `,"errors":${JSON.stringify(r.errors)}}\n`;
    w = this.write(s);
    if (w) await w;
  }
}

/** Collects everything in memory (library use and tests). */
export class MemorySink implements AssetSink {
  readonly assets: CollectorAsset[] = [];
  asset(a: CollectorAsset): undefined {
    this.assets.push(a);
    return undefined;
  }
}
