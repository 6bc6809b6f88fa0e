// One row per fact (issue 15): vCenter reports a VM's placement twice — `runs_on` (VM → host) and
// `hosts_vm` (host → VM) — and both are stored. For display, `hosts_vm` is folded into the `runs_on` it
// is the inverse of, so a host lists each VM once and a VM names its host once.

export type StoredRelation = {
  id: string;
  type: string;
  status: string;
  direction: 'out' | 'in';
  otherUuid: string;
  otherKind: string;
  otherName: string | null;
  otherStatus: string;
  sourceId: string;
  sourceName: string;
  firstSeenAt: Date | string;
  lastSeenAt: Date | string;
  inactiveSince: Date | string | null;
};

/** A fact seen from this asset: `runs_on`/`out` = "runs on host", `runs_on`/`in` = "VM running here". */
export type RelationFact = StoredRelation & { fact: 'runs_on' | 'member_of' | string };

const INVERSE: Record<string, string> = { hosts_vm: 'runs_on' };

export function relationFacts(relations: StoredRelation[]): RelationFact[] {
  const byKey = new Map<string, RelationFact>();
  for (const r of relations) {
    const inverse = INVERSE[r.type];
    const fact = inverse ?? r.type;
    const direction = inverse ? (r.direction === 'out' ? 'in' : 'out') : r.direction;
    const key = `${fact}|${direction}|${r.otherUuid}|${r.status}`;
    const seen = byKey.get(key);
    const candidate: RelationFact = { ...r, fact, direction };
    // Both halves of one fact: keep the primary type's row, widen its dates to cover both.
    if (!seen) byKey.set(key, candidate);
    else if (seen.type !== fact && r.type === fact) byKey.set(key, { ...candidate });
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.status.localeCompare(b.status) ||
      a.fact.localeCompare(b.fact) ||
      a.direction.localeCompare(b.direction) ||
      (a.otherName ?? '').localeCompare(b.otherName ?? '', undefined, { numeric: true }),
  );
}
