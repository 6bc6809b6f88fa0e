// "Last seen" of links, relations, source records and assets, as readers must compute it.
//
// Ingest does not stamp last seen on every row of every run (for an unchanged estate that was ~40,000 row
// updates per run, the bulk of its time). A complete run records itself once per (source, asset kind) and
// (source, relation type) in `source_scans`: it saw, by definition, every link of that kind that is still
// present and every relation of that type that is still active. Rows keep their own stamp from their last
// state change (created, came back, went missing / inactive, superseded, or seen by an incomplete run);
// the effective value is the later of the two. These fragments take table aliases and are plain SQL text,
// so the API, the UI, exports and tests all read the same definition.

/** Join the scan of link `l`'s kind as `c`. */
export const linkScanJoin = (l: string, c: string) =>
  `left join source_scans ${c} on ${c}.source_id = ${l}.source_id and ${c}.subject = ${l}.external_kind::text`;

const later = (cond: string, c: string, own: string) =>
  `case when ${cond} and ${c}.seen_at > ${own}.last_seen_at then ${c}`;

/** Effective last-seen time / run of link `l` (with its scan joined as `c`). */
export const linkLastSeenAt = (l: string, c: string) =>
  `(${later(`${l}.presence = 'present'`, c, l)}.seen_at else ${l}.last_seen_at end)`;
export const linkLastSeenRunId = (l: string, c: string) =>
  `(${later(`${l}.presence = 'present'`, c, l)}.run_id else ${l}.last_seen_run_id end)`;

/** Join the scan of relation `r`'s type as `c`. */
export const relationScanJoin = (r: string, c: string) =>
  `left join source_scans ${c} on ${c}.source_id = ${r}.source_id and ${c}.subject = ${r}.type::text`;

/** Effective last-seen time / run of relation `r` (with its scan joined as `c`). */
export const relationLastSeenAt = (r: string, c: string) =>
  `(${later(`${r}.status = 'active'`, c, r)}.seen_at else ${r}.last_seen_at end)`;
export const relationLastSeenRunId = (r: string, c: string) =>
  `(${later(`${r}.status = 'active'`, c, r)}.run_id else ${r}.last_seen_run_id end)`;

/**
 * Join record `s`'s link as `l` and that link's scan as `c`. A record is seen whenever its link is, as long
 * as it is the link's latest record (a superseded record was stamped when it was superseded).
 */
export const recordScanJoin = (s: string, l: string, c: string) =>
  `join asset_source_links ${l} on ${l}.id = ${s}.link_id ${linkScanJoin(l, c)}`;
const recordIsLatest = (s: string) =>
  `not exists (select 1 from source_records ${s}_n where ${s}_n.link_id = ${s}.link_id and ${s}_n.id > ${s}.id)`;
const recordLinkLater = (s: string, l: string, c: string) =>
  `${recordIsLatest(s)} and ${linkLastSeenAt(l, c)} > ${s}.last_seen_at`;
export const recordLastSeenAt = (s: string, l: string, c: string) =>
  `(case when ${recordLinkLater(s, l, c)} then ${linkLastSeenAt(l, c)} else ${s}.last_seen_at end)`;
export const recordLastSeenRunId = (s: string, l: string, c: string) =>
  `(case when ${recordLinkLater(s, l, c)} then ${linkLastSeenRunId(l, c)} else ${s}.last_seen_run_id end)`;

/**
 * Effective last-seen time of asset `a`: its own stamp (created, came back, a link went missing, an
 * incomplete run) or the latest complete scan that saw one of its present links.
 */
export const assetLastSeenAt = (a: string) =>
  `greatest(${a}.last_seen_at, (select max(c.seen_at) from asset_source_links l ${linkScanJoin('l', 'c')}
     where l.asset_uuid = ${a}.uuid and l.presence = 'present'))`;
