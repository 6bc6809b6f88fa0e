// Between a running plugin and ingest: its validated events become ingest's items (assets, relations),
// while warnings, errors, progress and the end line are kept aside for the run row. Ingest pulls the items;
// each pull reads only as far into the plugin's output as the next item.
import { isCollectMode, type EndLine, type RunMode } from './contract';
import type { FieldWarnings } from './field-invalid';
import type { IngestItem } from '@/ingest/ingest';
import { RunFailureError, type PluginRun } from './runner';

export interface PluginProgress {
  /** The plugin's own phase (e.g. `hosts`, `vms`). */
  pluginPhase?: string;
  /** Objects the plugin reported so far (its progress lines), or assets read so far. */
  objects: number;
  total?: number;
  assets: number;
  relations: number;
}

const MAX_WARNINGS = 1000;

export class PluginStream {
  readonly warnings: unknown[] = [];
  private droppedWarnings = 0;
  end?: Pick<EndLine, 'stats' | 'detect'> & { version: 'v1' | 'v2' };
  assets = 0;
  relations = 0;
  private progress: PluginProgress = { objects: 0, assets: 0, relations: 0 };

  constructor(
    private readonly plugin: PluginRun,
    private readonly opts: {
      mode: RunMode;
      fields: FieldWarnings;
      /** Called on every progress line and every 1,000 items; the caller throttles its writes. */
      onProgress?: (p: PluginProgress) => void;
    },
  ) {}

  private warn(w: unknown): void {
    const o = w as {
      code?: unknown;
      external_kind?: unknown;
      external_id?: unknown;
      path?: unknown;
      value?: unknown;
    };
    // The plugin's own FIELD_INVALID reports are grouped with the worker's, by field.
    if (o && o.code === 'FIELD_INVALID' && typeof o.external_id === 'string' && typeof o.path === 'string') {
      this.opts.fields.add(String(o.external_kind ?? ''), o.external_id, {
        path: o.path,
        value: typeof o.value === 'string' ? o.value : JSON.stringify(o.value ?? null),
      });
      return;
    }
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    else this.droppedWarnings++;
  }

  private report(): void {
    this.progress.assets = this.assets;
    this.progress.relations = this.relations;
    if (this.assets > this.progress.objects) this.progress.objects = this.assets;
    this.opts.onProgress?.({ ...this.progress });
  }

  /** Assets and relations, in the plugin's order. Ends normally only for a complete, successful response. */
  async *items(): AsyncGenerator<IngestItem> {
    for await (const ev of this.plugin.events) {
      switch (ev.type) {
        case 'asset':
          this.assets++;
          if (this.assets % 1000 === 0) this.report();
          yield { type: 'asset', asset: ev.asset };
          break;
        case 'relation':
          this.relations++;
          yield { type: 'relation', relation: ev.relation };
          break;
        case 'warning':
          this.warn(ev.warning);
          break;
        case 'progress':
          this.progress.pluginPhase = ev.phase;
          this.progress.objects = ev.objects;
          this.progress.total = ev.total;
          this.report();
          break;
        case 'end':
          this.end = { version: ev.version, stats: ev.stats, detect: ev.detect };
          this.report();
          break;
        case 'error':
          break; // the runner fails the run with every error once the stream has ended
      }
    }
    if (isCollectMode(this.opts.mode) && this.end?.stats.inventory_complete !== true) {
      throw new RunFailureError({
        ok: false,
        code: 'INVENTORY_INCOMPLETE',
        message:
          'plugin did not report a complete inventory (inventory_complete is not true); nothing was ingested',
        retryable: false,
        warnings: this.allWarnings(),
        stderrTail: this.plugin.stderrTail(),
      });
    }
  }

  /** For modes without assets (healthcheck, detect): reads to the end. */
  async drain(): Promise<void> {
    for await (const _ of this.items()) {
      // a healthcheck that sends assets: they are not ingested
    }
  }

  /** The plugin's warnings, then the dropped fields grouped by field. */
  allWarnings(): unknown[] {
    const out = [...this.warnings, ...this.opts.fields.toWarnings()];
    if (this.droppedWarnings)
      out.push({
        code: 'WARNINGS_TRUNCATED',
        message: `${this.droppedWarnings} more warnings were not kept`,
        count: this.droppedWarnings,
      });
    return out;
  }
}
