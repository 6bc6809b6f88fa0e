// What ingest's steps hand to each other, beside the counters: each field is set by one step and read by
// later ones (the step that sets it is named).
import type { CollectorAsset, CollectorRelation } from '@/collector/contract';

/** One object of the run, after duplicates and foreign kinds were dropped (stage-items). */
export interface StagedItem {
  a: CollectorAsset;
  identity: string | null;
}

/** An object the source never reported before, with the ids minted for it (insert-new-objects). */
export interface FreshObject {
  idx: number;
  it: StagedItem;
  uuid: string;
  linkId: string;
  /** set by the assets copy, used and released by the records copy */
  normalizedJson: string | null;
}

/** A relation with a new endpoint, resolved in Node and COPYed straight into `relations`. */
export interface DirectRelation {
  type: string;
  from: string;
  to: string;
  raw: string | null;
}

export interface IngestState {
  /** The run's input (the caller's arrays). */
  assets: readonly CollectorAsset[];
  relations: readonly CollectorRelation[];
  /** stage-items: the run's objects, by index (`idx` in the working tables). */
  items: StagedItem[];
  /** insert-new-objects */
  fresh: FreshObject[];
  /** insert-new-objects: endpoint key → the asset uuid minted for it */
  newByKey: Map<string, string>;
  /** insert-new-objects: relations between objects known before this run, resolved in SQL */
  rels: CollectorRelation[];
  /** insert-new-objects: relations with a new endpoint, written by resolve-relations */
  directRows: DirectRelation[];
  /** map-known-links: the record hashes of the objects that already have a record, by `recorded` order */
  hashing: Promise<string[]> | null;
  recorded: number[];
  /** write-changed-records: the known objects whose record changed */
  changed: { idx: number; link_id: string; asset_uuid: string }[];
  /** merge-canonical-views: how many canonical views were rewritten */
  canonViews: number;
  /** resolve-relations */
  relationsStepRan: boolean;
  relationsAdded: number;
  relationsChanged: number;
  /** edges between objects both known before this run, added or deactivated */
  knownEdgesChanged: number;
}

export function initialState(
  assets: readonly CollectorAsset[],
  relations: readonly CollectorRelation[],
): IngestState {
  return {
    assets,
    relations,
    items: [],
    fresh: [],
    newByKey: new Map(),
    rels: [],
    directRows: [],
    hashing: null,
    recorded: [],
    changed: [],
    canonViews: 0,
    relationsStepRan: false,
    relationsAdded: 0,
    relationsChanged: 0,
    knownEdgesChanged: 0,
  };
}
