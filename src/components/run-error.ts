// Maps a run's error code (worker or plugin) to a human explanation in errorHelp.*: what failed and what
// to do next. Matching is on parts of the code so new codes of a known family are still explained.
import type { MessageKey } from '@/i18n';

export type ErrorHelpKey =
  | 'duplicate'
  | 'tls'
  | 'auth'
  | 'permission'
  | 'network'
  | 'timeout'
  | 'credential'
  | 'plugin'
  | 'incomplete'
  | 'ingest'
  | 'stale'
  | 'generic';

const RULES: [RegExp, ErrorHelpKey][] = [
  [/SOURCE_DUPLICATE/, 'duplicate'],
  [/TLS|CERT|THUMBPRINT|SSL/, 'tls'],
  [/PERMISSION|FORBIDDEN|NOT_AUTHORIZED|PRIVILEGE/, 'permission'],
  [/AUTH|LOGIN|PASSWORD|UNAUTHENTICATED/, 'auth'],
  [/CREDENTIAL|SOURCE_MISSING|SOURCE_NOT_FOUND|NO_SOURCE/, 'credential'],
  [/TIMEOUT|TIMED_OUT/, 'timeout'],
  [/STALE|HEARTBEAT|WORKER_STOPPED/, 'stale'],
  [/NETWORK|CONNECT|UNREACHABLE|DNS|ECONNREFUSED|ENOTFOUND|HOST_NOT_FOUND/, 'network'],
  [/INCOMPLETE/, 'incomplete'],
  [/INGEST|DATABASE/, 'ingest'],
  [/PLUGIN|SPAWN|EXIT|JSON|SCHEMA|OUTPUT/, 'plugin'],
];

export function errorHelpKey(code: string | null | undefined): ErrorHelpKey {
  const c = (code ?? '').toUpperCase();
  for (const [re, key] of RULES) if (re.test(c)) return key;
  return 'generic';
}

export const helpWhat = (k: ErrorHelpKey) => `errorHelp.${k}.what` as MessageKey;
export const helpNext = (k: ErrorHelpKey) => `errorHelp.${k}.next` as MessageKey;

export type RunErrorItem = {
  code: string;
  category?: string;
  message: string;
  retryable?: boolean;
  context?: Record<string, unknown>;
};

/** The run's errors as a list: the plugin's errors[] when present, else the run's own code and message. */
export function runErrorItems(run: {
  errors: unknown[];
  errorCode: string | null;
  errorMessage: string | null;
}): RunErrorItem[] {
  const items: RunErrorItem[] = [];
  for (const e of run.errors ?? []) {
    if (e && typeof e === 'object' && 'code' in e) {
      const o = e as Record<string, unknown>;
      items.push({
        code: String(o.code),
        category: typeof o.category === 'string' ? o.category : undefined,
        message: typeof o.message === 'string' ? o.message : '',
        retryable: typeof o.retryable === 'boolean' ? o.retryable : undefined,
        context:
          o.context && typeof o.context === 'object' ? (o.context as Record<string, unknown>) : undefined,
      });
    } else if (typeof e === 'string') {
      items.push({ code: run.errorCode ?? 'ERROR', message: e });
    }
  }
  if (!items.length && (run.errorCode || run.errorMessage)) {
    items.push({ code: run.errorCode ?? 'ERROR', message: run.errorMessage ?? '' });
  }
  return items;
}

/** A certificate thumbprint the plugin reported with a TLS error, when it did. */
export function thumbprintOf(item: RunErrorItem): string | null {
  const c = item.context ?? {};
  for (const k of ['serverThumbprintSha256', 'thumbprintSha256', 'thumbprint', 'sha256', 'fingerprint']) {
    if (typeof c[k] === 'string') return c[k] as string;
  }
  const m = /([0-9A-F]{2}(?::[0-9A-F]{2}){31})/i.exec(item.message);
  return m ? m[1]! : null;
}

/**
 * The code that best explains a failed run: the plugin's own first error (e.g. VCENTER_AUTH_FAILED) when
 * the worker recorded the failure under a wrapper code such as PLUGIN_ERRORS, else the run's code.
 */
export function primaryErrorCode(run: {
  errors?: unknown[] | null;
  errorCode?: string | null;
}): string | null {
  for (const e of run.errors ?? []) {
    if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string') {
      return (e as { code: string }).code;
    }
  }
  return run.errorCode ?? null;
}

/** The source a SOURCE_DUPLICATE run duplicates, as the worker names it in the error's context. */
export function duplicateOf(item: RunErrorItem): { id: string; name: string } | null {
  const c = item.context ?? {};
  return typeof c.duplicateOfSourceId === 'string' && typeof c.duplicateOfSourceName === 'string'
    ? { id: c.duplicateOfSourceId, name: c.duplicateOfSourceName }
    : null;
}
