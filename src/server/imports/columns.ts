// Which column of an import file is what: the columns that find the asset (its UUID; source name +
// external id; name / serial / host name) and one column per ledger field, by key or by either label —
// so a CSV exported from the asset list (headers = labels) comes back in as it went out.
import type { LedgerField } from '@/server/ledger-fields/fields';
import type { OverrideKey } from '@/server/ledger-fields/overrides';

export type MatchColumn = 'uuid' | 'source' | 'externalId' | 'name' | 'serial' | 'hostname';

const MATCH_HEADERS: Record<MatchColumn, string[]> = {
  uuid: ['uuid', 'asset uuid', 'asset_uuid', 'assetuuid', '资产 uuid', '资产uuid'],
  source: ['source', 'source name', 'sourcename', 'source_name', '数据源', '来源'],
  externalId: ['external id', 'externalid', 'external_id', 'moref', '外部 id', '外部id'],
  name: ['name', 'display name', 'asset name', '名称', '资产名称'],
  serial: ['serial', 'serial number', 'serialnumber', 'serial_number', '序列号'],
  hostname: ['hostname', 'host name', 'host_name', '主机名'],
};

// Overrides only by an explicit header: an exported list's plain "OS" column coming back must not turn
// every observed value into an asserted one.
const OVERRIDE_HEADERS: Record<OverrideKey, string[]> = {
  name: ['override.name', 'display name override', 'name override', '显示名称覆盖'],
  primaryIp: ['override.primaryip', 'primary ip override', '主 ip 覆盖', '主ip覆盖'],
  os: ['override.os', 'os override', 'operating system override', '操作系统覆盖'],
};

export interface ColumnMap {
  match: Partial<Record<MatchColumn, number>>;
  fields: { index: number; header: string; field: LedgerField }[];
  overrides: { index: number; header: string; key: OverrideKey }[];
  ignored: string[];
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

export function mapColumns(header: string[], fields: LedgerField[]): ColumnMap {
  const out: ColumnMap = { match: {}, fields: [], overrides: [], ignored: [] };
  const byName = new Map<string, LedgerField>();
  for (const f of fields) {
    for (const n of [f.key, f.label.en, f.label['zh-CN']]) if (!byName.has(norm(n))) byName.set(norm(n), f);
  }
  const taken = new Set<string>();
  header.forEach((h, index) => {
    const n = norm(h);
    // A ledger field's own key or label wins over a match column of the same name (none today).
    const field = byName.get(n);
    if (field && !taken.has(field.key)) {
      taken.add(field.key);
      out.fields.push({ index, header: h, field });
      return;
    }
    const o = (Object.keys(OVERRIDE_HEADERS) as OverrideKey[]).find((k) => OVERRIDE_HEADERS[k].includes(n));
    if (o && !out.overrides.some((x) => x.key === o)) {
      out.overrides.push({ index, header: h, key: o });
      return;
    }
    const m = (Object.keys(MATCH_HEADERS) as MatchColumn[]).find((k) => MATCH_HEADERS[k].includes(n));
    if (m && out.match[m] === undefined) out.match[m] = index;
    else out.ignored.push(h);
  });
  return out;
}
