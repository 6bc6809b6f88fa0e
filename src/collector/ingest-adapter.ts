// TEMPORARY (until `ingest` lands ingestStream in src/ingest): the agreed streaming interface over the
// array form. It gathers the items first, so it does not keep memory flat; the worker, the runner and the
// tests are written against the interface and switch to the real one unchanged.
import type pg from 'pg';
import type { CollectorAsset, CollectorRelation, RunMode } from './contract';
import { ingestRun, type IngestResult } from '@/ingest/ingest';

export type IngestItem =
  { type: 'asset'; asset: CollectorAsset } | { type: 'relation'; relation: CollectorRelation };

export interface IngestStreamInput {
  runId: string;
  sourceId: string;
  mode: RunMode;
  collectedAt: Date;
  items: AsyncIterable<IngestItem>;
  end: () => Promise<{ inventoryComplete: boolean }>;
}

export async function ingestStream(client: pg.PoolClient, input: IngestStreamInput): Promise<IngestResult> {
  const assets: CollectorAsset[] = [];
  const relations: CollectorRelation[] = [];
  for await (const it of input.items) {
    if (it.type === 'asset') assets.push(it.asset);
    else relations.push(it.relation);
  }
  const { inventoryComplete } = await input.end();
  return ingestRun(client, { ...input, assets, relations, inventoryComplete });
}
