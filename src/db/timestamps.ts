// The one place database timestamps become API timestamps.
//
// Drizzle's node-postgres driver asks pg to hand back `timestamptz` as PostgreSQL's text
// (`2026-12-01 07:04:37.56901+00`) so that its own column mappers can parse it. Typed queries
// (`db.select()`) do; raw `db.execute(sql`…`)` rows do not, and that text leaked into the API wherever a
// service selected a timestamp in SQL (issue 11 item 10). The client class below rewrites that text as
// RFC 3339 in UTC (`2026-12-01T07:04:37.56901Z`) for every query, typed or raw, so there is nothing to fix
// by hand per route: typed queries still get Dates (Drizzle parses RFC 3339 as well), raw rows get
// RFC 3339 strings. Digits below the millisecond are kept, so a value read and written back is unchanged.
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';

const TIMESTAMPTZ = pg.types.builtins.TIMESTAMPTZ;
const TEXT_FORM =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** PostgreSQL's timestamptz text → RFC 3339 in UTC; anything else (infinity, BC dates) unchanged. */
export function pgTimestamptzToRfc3339(text: string): string {
  const m = TEXT_FORM.exec(text);
  if (!m) return text;
  const [, date, time, fraction = '', hours, minutes = '00', seconds] = m;
  if (seconds && seconds !== '00') return text; // historic LMT offsets with seconds: leave them alone
  if (hours === '+00' && minutes === '00') return `${date}T${time}${fraction}Z`;
  const utc = new Date(`${date}T${time}${hours}:${minutes}`);
  if (Number.isNaN(utc.getTime())) return text;
  // Whole seconds from Date (it does the offset arithmetic), the fraction as PostgreSQL wrote it.
  return `${utc.toISOString().slice(0, 19)}${fraction}Z`;
}

type TypeParsers = { getTypeParser: (oid: number, format?: string) => unknown };

function withRfc3339(types: TypeParsers | undefined): TypeParsers {
  const inner = types ?? pg.types;
  return {
    getTypeParser(oid: number, format?: string) {
      const parse = inner.getTypeParser(oid, format as 'text') as (v: string) => unknown;
      if (oid !== TIMESTAMPTZ || (format && format !== 'text')) return parse;
      return (value: string) => {
        const parsed = parse(value);
        return typeof parsed === 'string' ? pgTimestamptzToRfc3339(parsed) : parsed;
      };
    },
  };
}

/**
 * pg.Client whose queries return timestamptz as RFC 3339 wherever they would return PostgreSQL's text
 * (where pg itself would return a Date, that stays a Date). Given to pg.Pool as its Client.
 */
export class Rfc3339Client extends pg.Client {
  // pg's query() has many overloads (config object, text + values, callbacks, submittables); only the
  // config-object form carries per-query type parsers, which is the form Drizzle uses.
  query(...args: unknown[]): never {
    const [config] = args;
    if (config && typeof config === 'object' && 'text' in config && !('submit' in config)) {
      const c = config as { types?: TypeParsers };
      args[0] = { ...c, types: withRfc3339(c.types) };
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

const RFC3339_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * A timestamptz as RFC 3339 UTC text inside SQL, for timestamps that travel in json/jsonb built by a
 * query (`to_jsonb(row)` writes `…+00:00`, and jsonb is parsed by pg, not by the client class above).
 */
export function rfc3339Sql(expr: SQL): SQL {
  return sql`to_char(${expr} at time zone 'UTC', ${sql.raw(RFC3339_FORMAT)})`;
}

/** rfc3339Sql for statements written as text (a timestamp that goes into jsonb the statement builds). */
export const rfc3339Text = (expr: string): string => `to_char(${expr} at time zone 'UTC', ${RFC3339_FORMAT})`;
