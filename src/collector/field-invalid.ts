// One odd value is a warning, not a failed run (DESIGN §6): a field of one object that fails normalized-v1
// is dropped from that object and reported as FIELD_INVALID (object, field path, value excerpt). Warnings
// are grouped by field, with a count and a few examples, so an estate where every VM reports the same odd
// value stores one warning, not 40,000.
import { normalizedV1Schema, type AssetKind, type NormalizedV1 } from './contract';

export interface InvalidField {
  /** Exact path, e.g. `storage.datastores.0.free_bytes`. */
  path: string;
  /** JSON of the dropped value, cut to EXCERPT_CHARS. */
  value: string;
}

const EXCERPT_CHARS = 80;
const MAX_PASSES = 4;
const DROP = Symbol('drop');

type Key = string | number;
type Container = Record<string, unknown> | unknown[];

export const excerpt = (v: unknown): string => {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > EXCERPT_CHARS ? `${s.slice(0, EXCERPT_CHARS - 1)}…` : s;
};

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

function at(root: unknown, path: readonly Key[]): unknown {
  let v = root;
  for (const k of path) {
    if (!isContainer(v)) return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

/** Removes arrays' DROP markers and empty top-level sections. */
function sweep(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== DROP).map((x) => sweep(x, depth + 1));
  if (!isContainer(v)) return v;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (o[k] === DROP) delete o[k];
    else o[k] = sweep(o[k], depth + 1);
  }
  if (depth === 0) {
    for (const k of Object.keys(o)) {
      const s = o[k];
      if (isContainer(s) && !Array.isArray(s) && Object.keys(s).length === 0) delete o[k];
    }
  }
  return o;
}

/**
 * The paths to drop for one issue. A missing required value (a disk without its name) drops the object
 * that lacks it, not the absent value.
 */
function targets(root: unknown, issue: { code: string; path: PropertyKey[]; keys?: string[] }): Key[][] {
  const base = issue.path.filter((k): k is Key => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') return (issue.keys ?? []).map((k) => [...base, k]);
  let path = base;
  while (path.length > 0 && at(root, path) === undefined) path = path.slice(0, -1);
  return path.length ? [path] : [];
}

/**
 * Validates `value` against normalized-v1 and drops what fails, field by field. Returns the object that
 * remains (always valid) and what was dropped. Input objects are changed in place (they come from a
 * freshly parsed line).
 */
export function sanitizeNormalized(value: unknown): { normalized: NormalizedV1; invalid: InvalidField[] } {
  if (value === undefined) return { normalized: {}, invalid: [] };
  const first = normalizedV1Schema.safeParse(value);
  if (first.success) return { normalized: first.data, invalid: [] };
  if (!isContainer(value) || Array.isArray(value)) {
    return { normalized: {}, invalid: [{ path: '(normalized)', value: excerpt(value) }] };
  }
  const invalid: InvalidField[] = [];
  let issues = first.error.issues;
  let current: unknown = value;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const drops = issues.flatMap((i) => targets(current, i));
    if (!drops.length) break;
    // Deepest first, so dropping an object does not hide a value inside it that was reported too.
    drops.sort((a, b) => b.length - a.length);
    const seen = new Set<string>();
    for (const p of drops) {
      const key = p.join('.');
      if (seen.has(key)) continue;
      seen.add(key);
      const parent = at(current, p.slice(0, -1));
      const last = p[p.length - 1]!;
      if (!isContainer(parent)) continue;
      const old = (parent as Record<Key, unknown>)[last];
      if (old === undefined || old === DROP) continue;
      // An ancestor already dropped hides this one.
      if (p.slice(0, -1).some((_, i) => at(current, p.slice(0, i + 1)) === DROP)) continue;
      invalid.push({ path: key, value: excerpt(old) });
      (parent as Record<Key, unknown>)[last] = DROP;
    }
    current = sweep(current);
    const again = normalizedV1Schema.safeParse(current);
    if (again.success) return { normalized: again.data, invalid };
    issues = again.error.issues;
  }
  // Still invalid after the passes (should not happen): drop every section that is still wrong.
  const o = current as Record<string, unknown>;
  for (const i of issues) {
    const top = i.path[0];
    if (typeof top === 'string' && top in o) {
      invalid.push({ path: top, value: excerpt(o[top]) });
      delete o[top];
    }
  }
  const last = normalizedV1Schema.safeParse(o);
  return last.success ? { normalized: last.data, invalid } : { normalized: {}, invalid };
}

/** `storage.datastores.0.free_bytes` → `storage.datastores[].free_bytes` (the field, whatever the element). */
export const fieldOf = (path: string): string => path.replace(/\.\d+(?=\.|$)/g, '[]');

export interface FieldInvalidWarning {
  code: 'FIELD_INVALID';
  message: string;
  /** The field, with array positions as `[]`. */
  field: string;
  /** Objects on which it was dropped. */
  count: number;
  examples: { external_kind: string; external_id: string; path: string; value: string }[];
}

const EXAMPLES = 10;
const MAX_FIELDS = 500;

/** Collects dropped fields of a run, grouped by field. Memory: bounded by fields × examples. */
export class FieldWarnings {
  private readonly byField = new Map<string, FieldInvalidWarning>();
  private overflow = 0;

  add(kind: AssetKind | string, id: string, f: InvalidField): void {
    const field = fieldOf(f.path);
    let w = this.byField.get(field);
    if (!w) {
      if (this.byField.size >= MAX_FIELDS) {
        this.overflow++;
        return;
      }
      w = { code: 'FIELD_INVALID', message: '', field, count: 0, examples: [] };
      this.byField.set(field, w);
    }
    w.count++;
    if (w.examples.length < EXAMPLES)
      w.examples.push({ external_kind: kind, external_id: id, path: f.path, value: f.value });
  }

  get size(): number {
    return this.byField.size;
  }

  toWarnings(): (FieldInvalidWarning | { code: string; message: string; count: number })[] {
    const out: (FieldInvalidWarning | { code: string; message: string; count: number })[] = [
      ...this.byField.values(),
    ].map((w) => ({
      ...w,
      message: `${w.field} was invalid on ${w.count} object${w.count === 1 ? '' : 's'} and was dropped from ${w.count === 1 ? 'it' : 'them'} (e.g. ${w.examples[0]!.external_id}: ${w.examples[0]!.value})`,
    }));
    if (this.overflow)
      out.push({
        code: 'FIELD_INVALID_TRUNCATED',
        message: `${this.overflow} more invalid values in other fields were dropped`,
        count: this.overflow,
      });
    return out;
  }
}
