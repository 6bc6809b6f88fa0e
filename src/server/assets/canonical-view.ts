// Reads an asset's canonical view. Ingest stores it as (src/ingest/canonical.ts)
// {normalized, sources: [{source_id, run_id, collected_at}], provenance: {path: index}, conflicts?: {path: [...]}};
// the API answers it as CanonicalDto, whose own fields are camelCase like every other API field (DESIGN §9)
// while `normalized` keeps the collector contract's spelling.
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

export type CanonicalDto = {
  normalized: Record<string, unknown>;
  /** The contributing records; `provenance` and `conflicts` point into this list by index. */
  sources: { sourceId: string | null; runId: string | null; collectedAt: string | null }[];
  provenance: Record<string, number>;
  conflicts: Record<string, { source: number; value: unknown }[]>;
};

/** The stored view as the API answers it. */
export function canonicalDto(stored: Record<string, unknown> | null | undefined): CanonicalDto {
  const c = (stored ?? {}) as StoredCanonical;
  return {
    normalized: normalizedOf(stored),
    sources: (Array.isArray(c.sources) ? c.sources : []).map((s) => ({
      sourceId: s.source_id ?? null,
      runId: s.run_id ?? null,
      collectedAt: s.collected_at ? new Date(s.collected_at).toISOString() : null,
    })),
    provenance: isPlainObject(c.provenance) ? c.provenance : {},
    conflicts: isPlainObject(c.conflicts) ? c.conflicts : {},
  };
}

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
export function flattenCanonical(c: CanonicalDto): CanonicalField[] {
  const n = c.normalized;
  const sources = c.sources;
  const out: CanonicalField[] = [];
  const push = (path: string, value: unknown) => {
    const idx = c.provenance[path];
    const src = typeof idx === 'number' ? sources[idx] : sources.length === 1 ? sources[0] : undefined;
    const conflicts = c.conflicts[path];
    out.push({
      path,
      value,
      sourceId: src?.sourceId ?? null,
      runId: src?.runId ?? null,
      collectedAt: src?.collectedAt ?? null,
      conflict: Boolean(conflicts?.length),
      alternatives: conflicts
        ? conflicts.map((x) => ({ sourceId: sources[x.source]?.sourceId ?? null, value: x.value }))
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
