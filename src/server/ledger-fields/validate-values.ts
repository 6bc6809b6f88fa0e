// Checks a {key: value|null} patch against the field definitions and an asset kind. Every problem names
// its field (`values.<key>`); the first one is the error's message, all are in details.issues.
import { AppError } from '@/lib/errors';
import type { AssetKind, LedgerField } from './fields';
import { parseJsonValue } from './values';

export interface Issue {
  path: string;
  message: string;
}

export function validationFailed(issues: Issue[]): AppError {
  const first = issues[0]!;
  return new AppError('VALIDATION_FAILED', `${first.path}: ${first.message}`, {
    details: { issues, field: first.path.replace(/^values\./, '') },
  });
}

/** The typed patch, or throws 400 naming each bad field. `kinds`: the kinds of the assets it will touch. */
export function validatePatch(
  input: Record<string, unknown>,
  fields: Map<string, LedgerField>,
  kinds: AssetKind[],
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  const issues: Issue[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const path = `values.${key}`;
    const def = fields.get(key);
    if (!def) {
      issues.push({ path, message: 'unknown or archived ledger field' });
      continue;
    }
    const parsed = parseJsonValue(def, raw);
    if (!parsed.ok) {
      issues.push({ path, message: parsed.reason });
      continue;
    }
    const wrongKind = kinds.filter((k) => !def.kinds.includes(k));
    if (parsed.value !== null && wrongKind.length) {
      issues.push({
        path,
        message: `does not apply to ${wrongKind.join(', ')} (only ${def.kinds.join(', ')})`,
      });
      continue;
    }
    out[key] = parsed.value;
  }
  if (issues.length) throw validationFailed(issues);
  return out;
}
