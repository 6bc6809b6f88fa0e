// The one logger: one JSON line per event with ts, level, service, event_type and fields.
import pino from 'pino';

// Field names whose values are never written, wherever they appear (one level deep and nested).
const REDACT = ['password', 'secret', 'credential', 'token', 'authorization', 'cookie', 'ciphertext'];

const base = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  messageKey: 'message',
  timestamp: () => `,"ts":"${new Date().toISOString()}"`,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: REDACT.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
    censor: '[redacted]',
  },
});

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(eventType: string, fields?: Fields): void;
  info(eventType: string, fields?: Fields): void;
  warn(eventType: string, fields?: Fields): void;
  error(eventType: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (e, f) => p.debug({ event_type: e, ...f }),
    info: (e, f) => p.info({ event_type: e, ...f }),
    warn: (e, f) => p.warn({ event_type: e, ...f }),
    error: (e, f) => p.error({ event_type: e, ...f }),
    child: (f) => wrap(p.child(f)),
  };
}

export function createLogger(service: string): Logger {
  return wrap(base.child({ service }));
}

/**
 * Error fields for a log line, without the stack unless debugging. A failed database query is logged by its
 * cause and the statement's start: Drizzle's message carries the whole statement and its parameters (a
 * poll's SQL on every line of an outage, and values that do not belong in a log).
 */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (err.message.startsWith('Failed query:') && cause instanceof Error) {
      const query = err.message.slice('Failed query:'.length).split('\nparams:')[0]!.replace(/\s+/g, ' ');
      return { ...errorFields(cause), query: query.trim().slice(0, 120) };
    }
    const code = (err as { code?: unknown }).code;
    return { error: err.message, error_code: typeof code === 'string' ? code : undefined };
  }
  return { error: String(err) };
}
