// What ingest's steps hand to each other, beside the counters: each field is set by one step and read by
// later ones (the step that sets it is named). Only numbers: the run's objects live in the working tables
// (./working-tables.ts), not in Node's memory.
import type { CollectorAsset, CollectorRelation } from '@/collector/contract';

/** One line of a collector's output that ingest takes: an asset or a relation. */
export type IngestItem =
  { type: 'asset'; asset: CollectorAsset } | { type: 'relation'; relation: CollectorRelation };

export interface IngestSource {
  /** Pulled by stage-stream: the producer must not read ahead faster than this is pulled. */
  items: AsyncIterable<IngestItem>;
  /** Awaited once the items are done: whether the inventory was complete. */
  end: () => Promise<{ inventoryComplete: boolean }>;
}

export interface IngestState {
  /** insert-new-objects, create-early: batches of new objects created so far */
  newBatches: number;
  /** create-early: whether it writes evidence (null until its first call) */
  earlyEvidence: boolean | null;
  /** create-early: whether it scores duplicate candidates too */
  earlyScoring: boolean;
  /** resolve-relations (or create-early before it): the edges active before this run are in `_rel_old` */
  relationsBeforeRun: boolean;
  /** stage-stream: relations staged (of the mode's types) */
  stagedRelations: number;
  /** stage-stream: the source's highest record id when the known records (staged record ids) were read */
  knownMaxRecordId: string;
  /** stage-stream: staged objects whose (kind, external id) no link held when the known records were read */
  stagedUnknown: number;
  /** merge-canonical-views: how many canonical views were rewritten */
  canonViews: number;
  /** resolve-relations: edges added (not active before) */
  relationsAdded: number;
  /** resolve-relations: edges added or deactivated */
  relationsChanged: number;
  /** resolve-relations: whether it ran (it is skipped when there is nothing to resolve or deactivate) */
  relationsStepRan: boolean;
  /** resolve-relations: placement edges added to or taken from a child that existed before this run */
  placementEdgesChanged: number;
  /** record-identifiers: assets whose evidence this run may have changed (new, or canonical view rewritten) */
  identityTouched: number;
}

export const initialState = (): IngestState => ({
  newBatches: 0,
  earlyEvidence: null,
  earlyScoring: false,
  relationsBeforeRun: false,
  stagedRelations: 0,
  knownMaxRecordId: '0',
  stagedUnknown: 0,
  canonViews: 0,
  relationsAdded: 0,
  relationsChanged: 0,
  relationsStepRan: false,
  placementEdgesChanged: 0,
  identityTouched: 0,
});
