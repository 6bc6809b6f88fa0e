// Overrides of observed facts (DESIGN §8a): an asserted display name, primary IP and OS. They live in
// `assets.*_override` (ingest never writes those columns); `assets.display_name` is the name that wins.
// The observed values come from the canonical view as ingest stores it.
import { sql } from 'drizzle-orm';

export const OVERRIDE_KEYS = ['name', 'primaryIp', 'os'] as const;
export type OverrideKey = (typeof OVERRIDE_KEYS)[number];
export type Overrides = Record<OverrideKey, string | null>;

export const OVERRIDE_COLUMNS: Record<OverrideKey, string> = {
  name: 'name_override',
  primaryIp: 'primary_ip_override',
  os: 'os_override',
};

/** The observed primary IP: the host's management IP, else the first address. */
export const observedPrimaryIp = (a: string) =>
  sql.raw(
    `coalesce(${a}.canonical #>> '{normalized,network,management_ip}', ${a}.canonical #>> '{network,management_ip}', ${a}.ip_addresses[1])`,
  );
export const observedOs = (a: string) =>
  sql.raw(`coalesce(${a}.canonical #>> '{normalized,os,name}', ${a}.canonical #>> '{os,name}')`);

/** Effective values: the override when set, else the observed one. */
export const effectivePrimaryIp = (a: string) =>
  sql`coalesce(${sql.raw(`${a}.primary_ip_override`)}, ${observedPrimaryIp(a)})`;
export const effectiveOs = (a: string) => sql`coalesce(${sql.raw(`${a}.os_override`)}, ${observedOs(a)})`;
