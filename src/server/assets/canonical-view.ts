// Reads an asset's canonical view as ingest stores it (src/ingest/canonical.ts):
// {normalized, sources: [{source_id, run_id, collected_at}], provenance: {path: index}, conflicts?: {path: [...]}}.
export type CanonicalField = {
  path: string;
  value: unknown;
  sourceId: string | null;
  runId: string | null;
  collectedAt: string | null;
  conflict: boolean;
  /** When present sources disagree: each source's value. */
  alternatives: { sourceId: string | null; value: unknown }[] | null;
};

type StoredCanonical = {
  normalized?: Record<string, unknown>;
  sources?: { source_id?: string; run_id?: string; collected_at?: string }[];
  provenance?: Record<string, number>;
  conflicts?: Record<string, { source: number; value: unknown }[]>;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** The merged normalized-v1 object (also accepts a bare normalized object). */
export function normalizedOf(canonical: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!canonical) return {};
  const n = (canonical as StoredCanonical).normalized;
  return isPlainObject(n) ? n : canonical;
}

/** A field by dotted path, e.g. 'runtime.tools_running'. */
export function canonicalValue(canonical: Record<string, unknown> | null | undefined, path: string): unknown {
  let cur: unknown = normalizedOf(canonical);
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Every field (section.field, as ingest flattens them) with where it came from and any conflict. */
export function flattenCanonical(canonical: Record<string, unknown>): CanonicalField[] {
  const c = canonical as StoredCanonical;
  const n = normalizedOf(canonical);
  const sources = Array.isArray(c.sources) ? c.sources : [];
  const out: CanonicalField[] = [];
  const push = (path: string, value: unknown) => {
    const idx = c.provenance?.[path];
    const src = typeof idx === 'number' ? sources[idx] : sources.length === 1 ? sources[0] : undefined;
    const conflicts = c.conflicts?.[path];
    out.push({
      path,
      value,
      sourceId: src?.source_id ?? null,
      runId: src?.run_id ?? null,
      collectedAt: src?.collected_at ?? null,
      conflict: Boolean(conflicts?.length),
      alternatives: conflicts
        ? conflicts.map((x) => ({ sourceId: sources[x.source]?.source_id ?? null, value: x.value }))
        : null,
    });
  };
  for (const [k, v] of Object.entries(n)) {
    if (v === undefined) continue;
    if (isPlainObject(v)) {
      for (const [k2, v2] of Object.entries(v)) if (v2 !== undefined) push(`${k}.${k2}`, v2);
    } else push(k, v);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
