// The API's field names are camelCase (DESIGN §9), also inside what the worker stores as free-form JSON in
// snake_case, the collector contract's spelling (run stats, attempts, detect, warnings, errors).
// Converted where the API shapes its answer, so the database and the plugins keep one spelling.

/** `relations_unresolved` → `relationsUnresolved`; keys without `_` are unchanged. */
export function camelKey(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A copy of `value` with every object key camelCased, at any depth (arrays and values kept). */
export function camelKeys<T = unknown>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v)) as T;
  if (value === null || typeof value !== 'object') return value as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[camelKey(k)] = camelKeys(v);
  return out as T;
}
