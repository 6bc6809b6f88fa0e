// Flattens an asset's canonical view into rows: each leaf is {value, ...provenance, conflict?}.
export type CanonicalField = {
  path: string;
  value: unknown;
  sourceId: string | null;
  sourceName: string | null;
  runId: string | null;
  collectedAt: string | null;
  conflict: boolean;
  /** When sources disagree: each source's value, if ingest recorded them. */
  alternatives: unknown;
};

const str = (o: Record<string, unknown>, ...keys: string[]): string | null => {
  for (const k of keys) if (typeof o[k] === 'string') return o[k] as string;
  return null;
};

function isLeaf(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object);
}

export function flattenCanonical(
  canonical: Record<string, unknown>,
  prefix = '',
  out: CanonicalField[] = [],
) {
  for (const [k, v] of Object.entries(canonical ?? {})) {
    const path = prefix + k;
    if (isLeaf(v)) {
      const prov = (v.provenance && typeof v.provenance === 'object' ? v.provenance : v) as Record<
        string,
        unknown
      >;
      out.push({
        path,
        value: v.value,
        sourceId: str(prov, 'sourceId', 'source_id', 'source'),
        sourceName: str(prov, 'sourceName', 'source_name'),
        runId: str(prov, 'runId', 'run_id', 'run'),
        collectedAt: str(prov, 'collectedAt', 'collected_at'),
        conflict: v.conflict === true,
        alternatives: v.values ?? v.alternatives ?? v.candidates ?? null,
      });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      flattenCanonical(v as Record<string, unknown>, `${path}.`, out);
    } else {
      out.push({
        path,
        value: v,
        sourceId: null,
        sourceName: null,
        runId: null,
        collectedAt: null,
        conflict: false,
        alternatives: null,
      });
    }
  }
  return out;
}
