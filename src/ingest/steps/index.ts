// Ingest's steps, in the order they run. Each is one function over the run context (../context.ts); the
// header of its module says what it does, what it reads and what it sets. To add a step, write it in its
// own module here and put it in this list where what it reads has been set: ingestStream runs the list in
// order and times each step under its name (the run's `timings`).
import type { IngestStep } from '../context';
import { finish } from './finish';
import { followMoves, recordIdentifiers, scoreCandidates } from './identity-across-sources';
import { insertNewObjects } from './insert-new-objects';
import { mapKnownLinks } from './map-known-links';
import { mergeCanonicalViews } from './merge-canonical-views';
import { reattachLinks } from './reattach-links';
import { recordPlacementMoves } from './record-placement-moves';
import { recordPresence } from './record-presence';
import { refreshStatistics } from './refresh-statistics';
import { resolveRelations } from './resolve-relations';
import { stageStream } from './stage-stream';
import { lockSource } from './lock-source';
import { stampScans } from './stamp-scans';
import { updatePlacementColumns } from './update-placement-columns';
import { writeChangedRecords } from './write-changed-records';

export const INGEST_STEPS: readonly IngestStep[] = [
  { name: 'stage-stream', run: stageStream },
  { name: 'lock-source', run: lockSource },
  { name: 'reattach-links', run: reattachLinks },
  { name: 'insert-new-objects', run: insertNewObjects },
  { name: 'map-known-links', run: mapKnownLinks },
  { name: 'record-presence', run: recordPresence },
  { name: 'resolve-relations', run: resolveRelations },
  { name: 'write-changed-records', run: writeChangedRecords },
  { name: 'merge-canonical-views', run: mergeCanonicalViews },
  { name: 'record-placement-moves', run: recordPlacementMoves },
  { name: 'refresh-statistics', run: refreshStatistics },
  { name: 'update-placement-columns', run: updatePlacementColumns },
  { name: 'stamp-scans', run: stampScans },
  { name: 'record-identifiers', run: recordIdentifiers },
  { name: 'follow-cross-source-moves', run: followMoves },
  { name: 'score-duplicate-candidates', run: scoreCandidates },
  { name: 'finish', run: finish },
];
