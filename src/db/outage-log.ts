// How a loop that polls the database (the worker's claim, the scheduler's tick) logs an outage: once when
// the database goes away, once a minute while it stays away, and once when it is back with how long it was
// gone — not one line per poll (the worker polls every second). Other errors are logged every time.
import { errorFields, type Logger } from '@/lib/logger';
import { isDatabaseUnavailable } from './errors';

export interface OutageLog {
  /** A poll failed with `err`. */
  failed(err: unknown): void;
  /** A poll succeeded. */
  ok(): void;
}

const REPEAT_MS = 60_000;

/** `prefix.database_unavailable` / `prefix.database_available` events; other errors as `failedEvent`. */
export function createOutageLog(
  log: Logger,
  prefix: string,
  failedEvent: string,
  now: () => number = Date.now,
): OutageLog {
  let downSince: number | null = null;
  let lastLogged = 0;
  return {
    failed(err) {
      if (!isDatabaseUnavailable(err)) {
        log.error(failedEvent, errorFields(err));
        return;
      }
      const t = now();
      if (downSince === null) downSince = t;
      else if (t - lastLogged < REPEAT_MS) return;
      lastLogged = t;
      log.warn(`${prefix}.database_unavailable`, { ...errorFields(err), down_ms: t - downSince });
    },
    ok() {
      if (downSince === null) return;
      log.info(`${prefix}.database_available`, { down_ms: now() - downSince });
      downSince = null;
    },
  };
}
