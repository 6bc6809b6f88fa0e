// Typed ledger values: what a field of each type accepts, from JSON (the API) and from text (CSV import).
// Pure functions; the database stores the result as JSON (numbers as numbers, dates as 'YYYY-MM-DD').
import type { LedgerField } from './fields';
import { optionLabels } from './field-defs';

export const MAX_TEXT = 1000;
export const MAX_LONG_TEXT = 10_000;
// Numbers are stored as JSON numbers: keep them exact in JavaScript.
const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

export type ParsedValue =
  { ok: true; value: string | number | boolean | null } | { ok: false; reason: string };

const ok = (value: string | number | boolean | null): ParsedValue => ({ ok: true, value });
const bad = (reason: string): ParsedValue => ({ ok: false, reason });

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', '是', '真']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', '否', '假']);

/** A real calendar date written YYYY-MM-DD (also accepts YYYY/MM/DD, which Excel writes in zh-CN). */
export function parseDate(s: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || y > 2999) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parseText(def: LedgerField, s: string): ParsedValue {
  const max = def.type === 'long_text' ? MAX_LONG_TEXT : MAX_TEXT;
  if (s.length > max) return bad(`longer than ${max} characters`);
  if (def.type === 'text' && /[\r\n]/.test(s)) return bad('must be one line (use a long text field)');
  return ok(s);
}

function parseNumber(v: number): ParsedValue {
  if (!Number.isFinite(v)) return bad('not a finite number');
  if (Math.abs(v) > MAX_NUMBER) return bad(`out of range (at most ±${MAX_NUMBER})`);
  return ok(v);
}

/**
 * A value as the API sends it: null clears; otherwise the JSON type of the field (a number, a boolean,
 * a string for text, date and enum). An empty or blank string also clears.
 */
export function parseJsonValue(def: LedgerField, v: unknown): ParsedValue {
  if (v === null || (typeof v === 'string' && v.trim() === '')) return ok(null);
  switch (def.type) {
    case 'text':
    case 'long_text':
      return typeof v === 'string' ? parseText(def, v) : bad('must be a string');
    case 'number':
      return typeof v === 'number' ? parseNumber(v) : bad('must be a number');
    case 'boolean':
      return typeof v === 'boolean' ? ok(v) : bad('must be true or false');
    case 'date': {
      const d = typeof v === 'string' ? parseDate(v) : null;
      return d ? ok(d) : bad('must be a date YYYY-MM-DD');
    }
    case 'enum':
      return typeof v === 'string' && def.options.includes(v)
        ? ok(v)
        : bad(`must be one of: ${def.options.join(', ')}`);
  }
}

/**
 * A value as a CSV cell holds it: always text. Blank clears. A cell starting with `=` is kept as the text
 * it is (never evaluated). Enum options match case-insensitively; booleans accept yes/no, 1/0, 是/否.
 */
export function parseTextValue(def: LedgerField, raw: string): ParsedValue {
  const s = def.type === 'long_text' ? raw : raw.trim();
  if (s.trim() === '') return ok(null);
  switch (def.type) {
    case 'text':
    case 'long_text':
      return parseText(def, s);
    case 'number': {
      const t = s.replace(/[,\s]/g, '');
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t))
        return bad(`'${s.slice(0, 40)}' is not a number`);
      return parseNumber(Number(t));
    }
    case 'boolean': {
      const t = s.toLowerCase();
      if (TRUE_WORDS.has(t)) return ok(true);
      if (FALSE_WORDS.has(t)) return ok(false);
      return bad(`'${s.slice(0, 40)}' is not yes/no`);
    }
    case 'date': {
      const d = parseDate(s);
      return d ? ok(d) : bad(`'${s.slice(0, 40)}' is not a date YYYY-MM-DD`);
    }
    case 'enum':
      return parseOption(def, s);
  }
}

/**
 * An option by its value or by its label in either language, case-insensitively: a built-in field shows
 * `生产` for `production`, and that is what a Chinese-locale spreadsheet holds.
 */
function parseOption(def: LedgerField, s: string): ParsedValue {
  const want = s.toLowerCase();
  const labels = optionLabels(def) ?? {};
  const hit = def.options.find((o) => {
    const l = labels[o];
    return [o, l?.en, l?.['zh-CN']].some((x) => x !== undefined && x.toLowerCase() === want);
  });
  if (hit) return ok(hit);
  const named = def.options.map((o) => {
    const zh = labels[o]?.['zh-CN'];
    return zh && zh !== o ? `${o} (${zh})` : o;
  });
  return bad(`'${s.slice(0, 40)}' is not one of: ${named.join(', ')}`);
}

/**
 * A stored value converted to a (changed) definition, read through its text form: '12' fits a number,
 * 'retired' fits an enum with that option. Used to refuse a type change that existing values do not fit.
 */
export function convertStored(def: LedgerField, stored: unknown): ParsedValue {
  return parseTextValue(def, typeof stored === 'string' ? stored : String(stored));
}
