// Evidence that two assets are one (DESIGN §8b): per asset, the identifying values of its canonical view,
// one row per (rule, value) in `asset_identifiers`, junk left out (./junk.ts). Candidate scoring and
// cross-source moves join that table on (rule, value), so both are a few set-based statements whatever the
// ledger's size.
import type { Q } from './sql';
import { junkSql } from './junk';

export const EVIDENCE_RULES = {
  'vm.bios_uuid': { kind: 'vm', score: 100 },
  'vm.instance_uuid': { kind: 'vm', score: 100 },
  'vm.mac': { kind: 'vm', score: 90 },
  'vm.hostname_ip': { kind: 'vm', score: 70 },
  'host.serial': { kind: 'host', score: 100 },
  'host.hardware_uuid': { kind: 'host', score: 100 },
  'host.management_ip': { kind: 'host', score: 70 },
} as const;
export type EvidenceRule = keyof typeof EVIDENCE_RULES;
export const EVIDENCE_RULE_NAMES = Object.keys(EVIDENCE_RULES) as EvidenceRule[];

/** Strong identity: both rules must match for a new link to take over an asset that left another source. */
export const STRONG_IDENTITY: Record<'vm' | 'host', [EvidenceRule, EvidenceRule]> = {
  vm: ['vm.instance_uuid', 'vm.bios_uuid'],
  host: ['host.hardware_uuid', 'host.serial'],
};

/** `(values (rule, score), …)` for joins. */
export const RULE_SCORES_SQL = `(values ${EVIDENCE_RULE_NAMES.map((r) => `('${r}', ${EVIDENCE_RULES[r].score})`).join(', ')})`;

const norm = (expr: string) => `lower(btrim(${expr}))`;

// The identifying values of asset `a` (a row of `touched` below, where each is lower-cased and trimmed
// once): from the canonical view (the winning values across its sources) and the search columns ingest
// derives from it (MACs normalized, IPs canonical). `offset 0` keeps the junk test below out of the union's
// branches: pushed into them, it evaluated every value three times over (a third of the statement's time on
// a 10,000-VM first run).
const VALUES_OF_ASSET = `
  select 'vm.bios_uuid' as rule, a.bios_uuid as value where a.kind = 'vm'
  union all select 'vm.instance_uuid', a.machine_uuid where a.kind = 'vm'
  union all select 'vm.mac', m from unnest(a.mac_addresses) m where a.kind = 'vm'
  union all select 'vm.hostname_ip', a.hostname || '|' || ip from unnest(a.ip_addresses) ip
    where a.kind = 'vm' and not ${junkSql('a.hostname')} and not ${junkSql('ip')}
  union all select 'host.serial', a.serial_number where a.kind = 'host'
  union all select 'host.hardware_uuid', a.machine_uuid where a.kind = 'host'
  union all select 'host.management_ip', a.management_ip where a.kind = 'host'
  offset 0`;

/**
 * Brings the identifiers of the assets in `_id_touched` in line with their canonical views (merged
 * tombstones hold none: they are no longer anybody), writing only what differs: a changed view mostly
 * keeps its UUIDs, MACs and addresses, and rewriting every row of 10,000 touched assets cost more than
 * computing them. One statement whatever the number of assets.
 */
export async function refreshIdentifiers(q: Q): Promise<void> {
  await q.query(
    // `touched` reads each canonical view once (`offset 0`): every `canonical #>> …` would detoast and
    // decompress it again.
    `with touched as materialized (
       select a.uuid, a.kind, ${norm(`a.n #>> '{identity,bios_uuid}'`)} as bios_uuid,
              ${norm(`a.n #>> '{identity,machine_uuid}'`)} as machine_uuid,
              ${norm(`a.n #>> '{network,management_ip}'`)} as management_ip,
              a.mac_addresses, a.ip_addresses, ${norm('a.hostname')} as hostname,
              ${norm('a.serial_number')} as serial_number
       from (select a.uuid, a.kind, a.canonical -> 'normalized' as n, a.mac_addresses, a.ip_addresses,
                    a.hostname, a.serial_number
             from _id_touched t join assets a on a.uuid = t.uuid
             where a.status <> 'merged' offset 0) a
     ), cur as materialized (
       select distinct a.uuid, v.rule, v.value
       from touched a
       cross join lateral (${VALUES_OF_ASSET}) v
       where not ${junkSql('v.value')}
     ), gone as (
       delete from asset_identifiers i using _id_touched t
       where i.asset_uuid = t.uuid
         and not exists (select 1 from cur c where c.uuid = i.asset_uuid and c.rule = i.rule and c.value = i.value)
     )
     insert into asset_identifiers (asset_uuid, rule, value)
     select c.uuid, c.rule, c.value from cur c
     where not exists (select 1 from asset_identifiers i
                       where i.asset_uuid = c.uuid and i.rule = c.rule and i.value = c.value)`,
  );
}

/**
 * Marks the assets whose evidence this run may have changed: new ones (but those whose evidence ingest
 * wrote as it created them, `_new.evidence`) and those whose canonical view was rewritten (ingest's `_map`
 * and `_canon`). Before the first refresh after an upgrade the table is empty:
 * then every asset is marked once. Returns how many were marked.
 */
export async function markRunTouched(q: Q): Promise<number> {
  const [r] = await q.query<{ n: number }>(
    `with ins as (
       insert into _id_touched (uuid)
       select m.asset_uuid from _map m
       where m.is_new and not exists (select 1 from _new n where n.uuid = m.asset_uuid and n.evidence)
       union select asset_uuid from _canon
       union select uuid from assets where not exists (select 1 from asset_identifiers)
       on conflict do nothing
       returning 1
     ) select count(*)::int as n from ins`,
  );
  return r!.n;
}
