// The audit trail in words, for the audit page and its CSV export alike: actions as "Source: changed",
// details as labelled rows with translated values, and configuration changes as "Endpoint: a → b".
// Every key the services record has a label in both languages (test: src/server/audit/describe.test.ts);
// one that does not is shown humanized rather than raw.
import { translateOr, type Translate } from '@/i18n';

/** "Source: changed", "修改数据源": from the action's noun and verb; a whole phrase where one is defined. */
export function auditActionText(t: Translate, action: string): string {
  const [noun = '', verb = ''] = action.split('.');
  const whole = translateOr(t, `auditAction.${action.replace('.', '_')}`, '');
  if (whole) return whole;
  return t('auditAction.template', {
    noun: translateOr(t, `auditNoun.${noun}`, noun),
    verb: translateOr(t, `auditVerb.${verb}`, verb.replace(/_/g, ' ')),
  });
}

/** Detail keys the services record (src/server/**: audit(..., details)); each has auditDetail.<key>. */
export const AUDIT_DETAIL_KEYS = [
  'name',
  'type',
  'endpoint',
  'tlsMode',
  'credentialId',
  'errorCode',
  'changed',
  'mode',
  'run_id',
  'suppressed',
  'queued',
  'skipped_missing_credential',
  'assetUuid',
  'sourceId',
  'source_id',
  'previous_status',
  'result',
  'username',
  'role',
  'tokensRevoked',
  'prefix',
  'ownerUserId',
  'sourceIds',
  'timezone',
  'timeOfDay',
  'cron',
  'merged',
  'mergeId',
  'links',
  'ledgerConflicts',
  'restored',
  'linkId',
  'new_key_id',
  'reencrypted',
  'total',
  'generated_password',
  'reason',
  'locked_by',
  'retry_after_seconds',
  'failures',
  'status',
  'fileName',
  'strict',
  'applied',
  'matched',
  'fields',
  'unique',
  'rows',
  'unmatched',
  'ambiguous',
  'invalid',
] as const;

/** Fields of a configuration change (details.changes: {field: {old, new}}); each has auditField.<key>. */
export const AUDIT_CHANGE_FIELDS = [
  'name',
  'enabled',
  'endpoint',
  'tlsMode',
  'thumbprint',
  'caPem',
  'requestTimeoutMs',
  'credential',
  'scheduleGroup',
  'timezone',
  'timeOfDay',
  'cron',
  'sources',
  'displayName',
  'role',
  'label',
  'options',
  'kinds',
  'unique',
  'archived',
  'position',
  'type',
  // in `changed` lists (field names only)
  'config',
  'credentialId',
  'scheduleGroupId',
  'sourceIds',
  'username',
  'password',
] as const;

const humanize = (k: string) =>
  k
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

export type DetailRow = {
  key: string;
  label: string;
  value: string;
  old?: string;
  new?: string;
  /** The thing an id points at, for a link. */
  ref?: { type: string; id: string };
};

function valueText(t: Translate, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.length ? v.map((x) => valueText(t, key, x)).join(', ') : '—';
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${translateOr(t, `auditDetail.${k}`, humanize(k))}: ${valueText(t, k, x)}`)
      .join(', ');
  }
  const s = String(v);
  switch (key) {
    case 'role':
      return translateOr(t, `users.roles.${s}`, s);
    case 'mode':
      return translateOr(t, `mode.${s}`, s);
    case 'tlsMode':
      return translateOr(t, `sources.tlsMode.${s}`, s);
    case 'previous_status':
    case 'result':
    case 'status':
      return translateOr(t, `runStatus.${s}`, translateOr(t, `auditValue.${s}`, s));
    case 'reason':
    case 'locked_by':
      return translateOr(t, `auditValue.${s}`, s);
    case 'kinds':
      return translateOr(t, `kind.${s}`, s);
    default:
      return s;
  }
}

/** Detail keys that hold the id of another thing, and its kind (shown by name where known). */
const ID_TYPES: Record<string, string> = {
  credentialId: 'credential',
  sourceId: 'source',
  source_id: 'source',
  assetUuid: 'asset',
  merged: 'asset',
  restored: 'asset',
  ownerUserId: 'user',
  run_id: 'run',
};

/** The things an entry's details point at, to look their names up with the targets'. */
export function detailRefs(details: Record<string, unknown> | null | undefined) {
  return Object.entries(details ?? {}).flatMap(([k, v]) =>
    ID_TYPES[k] && typeof v === 'string' ? [{ targetType: ID_TYPES[k]!, targetId: v }] : [],
  );
}

/**
 * The details of one entry as rows: configuration changes first (one row per field, old → new), then the
 * other keys. `names` turns ids into names (`source:<id>` → "Lab vCenter") where the page knows them.
 */
export function auditDetailRows(
  t: Translate,
  details: Record<string, unknown> | null | undefined,
  names: (type: string, id: string) => string | undefined = () => undefined,
): DetailRow[] {
  if (!details) return [];
  const rows: DetailRow[] = [];
  const changes = details.changes;
  const hasChanges = !!changes && typeof changes === 'object' && !Array.isArray(changes);
  if (hasChanges) {
    for (const [field, ch] of Object.entries(changes as Record<string, unknown>)) {
      const c = (ch ?? {}) as { old?: unknown; new?: unknown };
      const o = valueText(t, field, c.old);
      const n = valueText(t, field, c.new);
      rows.push({
        key: field,
        label: translateOr(t, `auditField.${field}`, humanize(field)),
        value: `${o} → ${n}`,
        old: o,
        new: n,
      });
    }
  }
  for (const [key, v] of Object.entries(details)) {
    if (key === 'changes' || (hasChanges && key === 'sourceIds')) continue;
    let value: string;
    let ref: DetailRow['ref'];
    if (key === 'changed' && Array.isArray(v)) {
      // Fields `changes` already shows old → new are not repeated (credentials: the password only here).
      // (`config` and `sourceIds` are shown by their parts in `changes`.)
      const shown = new Set(hasChanges ? [...rows.map((r) => r.key), 'config', 'sourceIds'] : []);
      const rest = v.map((f) => String(f).replace(/^data\./, '')).filter((f) => !shown.has(f));
      if (!rest.length) continue;
      value = rest.map((f) => translateOr(t, `auditField.${f}`, humanize(f))).join(', ');
    } else if (ID_TYPES[key] && typeof v === 'string') {
      value = names(ID_TYPES[key]!, v) ?? v;
      ref = { type: ID_TYPES[key]!, id: v };
    } else {
      value = valueText(t, key, v);
    }
    rows.push({
      key,
      label: translateOr(t, `auditDetail.${key}`, humanize(key)),
      value,
      ...(ref ? { ref } : {}),
    });
  }
  return rows;
}

export const auditDetailText = (rows: DetailRow[]) => rows.map((r) => `${r.label}: ${r.value}`).join('; ');
