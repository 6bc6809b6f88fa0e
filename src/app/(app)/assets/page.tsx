import { redirect } from 'next/navigation';
import { PageHeader } from '@/components/app-shell';
import { FilterChips } from '@/components/filter-chips';
import { ListFilters, type FilterDef } from '@/components/list-filters';
import { clampOffset, Pager } from '@/components/pager';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { ASSET_KINDS, ASSET_STATUSES, listAssets, POWER_STATES } from '@/server/assets/service';
import {
  DEFAULT_ASSET_COLUMNS,
  filterChoices,
  filtersFrom,
  listFacts,
  PAGE_SIZE,
  PAGE_SIZES,
  type AssetQuery,
} from '@/server/assets/list-view';
import { fieldByKey, listableFields, rowValue } from '@/server/fields/dictionary';
import { getPreferences } from '@/server/preferences/get-preferences';
import { AssetTable, type AssetRow } from './asset-table';
import { ColumnChooser } from './column-chooser';
import { roleAllows } from '@/server/auth/session';
import { LedgerBulk } from './ledger-bulk';
// The exports take the same query parameters as this page.
import { ExportMenu } from './export-menu';
import { ledgerFieldDefs } from '@/server/ledger-fields/field-defs';
import { listLedgerFields } from '@/server/ledger-fields/fields';

export const dynamic = 'force-dynamic';

function queryString(q: Record<string, string | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of [v ?? []].flat()) if (x) p.append(k, x);
  return p.toString();
}

export default async function AssetsPage({ searchParams }: { searchParams: Promise<AssetQuery> }) {
  const sp = await searchParams;
  const here = queryString({ ...sp });
  const session = await requirePageSession({ next: here ? `/assets?${here}` : '/assets' });
  const canEdit = roleAllows(session.user.role, 'editor');
  const { t, locale } = await getTranslator();
  const db = getDb();
  const limit = PAGE_SIZES.includes(Number(sp.limit)) ? Number(sp.limit) : PAGE_SIZE;
  const requested = Math.max(0, Number(sp.offset) || 0);
  // No sort given: by name, or a search's rank (exact > prefix > substring) when there is a search.
  const sort = sp.sort && /^-?([a-zA-Z]+|ledger\.[a-z][a-z0-9_]*)$/.test(sp.sort) ? sp.sort : undefined;
  const ledgerFields = await listLedgerFields(db);
  // Ledger fields are list columns like observed ones: offered by the one column chooser, saved per user.
  const ledgerDefs = ledgerFieldDefs(ledgerFields.filter((f) => !f.archivedAt));
  const defOf = (key: string) => fieldByKey(key) ?? ledgerDefs.find((d) => d.key === key);
  const filters = filtersFrom(sp);
  // A hand-typed unknown ledger key is ignored here (the API answers 400 for it).
  filters.ledger = filters.ledger?.filter((l) => ledgerFields.some((f) => f.key === l.key));
  const [result, choices, prefs] = await Promise.all([
    listAssets(db, filters, { sort, limit, offset: requested }).catch(() =>
      listAssets(db, filters, { sort: 'name', limit, offset: requested }),
    ),
    filterChoices(db),
    getPreferences(db, session.user.id),
  ]);
  const query: Record<string, string | undefined> = {
    q: filters.q,
    kind: filters.kind,
    status: filters.status,
    sourceId: filters.sourceId,
    cluster: filters.cluster,
    host: filters.host,
    powerState: filters.powerState,
    sort,
    // Ledger filters (`ledger.<key>=`) ride along in every link of the page.
    ...Object.fromEntries(
      Object.entries(sp)
        .filter(([k]) => k.startsWith('ledger.'))
        .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
    ),
    limit: limit === PAGE_SIZE ? undefined : String(limit),
  };
  // An offset past the end (an old link, a shrunken list) shows the last page instead of "100000–1085 of 1085".
  const offset = clampOffset(requested, limit, result.total);
  if (offset !== requested) {
    const qs = queryString({ ...query, offset: offset ? String(offset) : undefined });
    redirect(qs ? `/assets?${qs}` : '/assets');
  }

  const columns = (prefs.assetColumns ?? DEFAULT_ASSET_COLUMNS).filter((k) => defOf(k)?.listable);
  if (!columns.includes('name')) columns.unshift('name');
  const facts = await listFacts(
    db,
    result.items.map((a) => a.uuid),
  );
  const rows: AssetRow[] = result.items.map((a) => {
    const f = facts[a.uuid];
    const own: Record<string, unknown> = {
      ...a,
      // Asserted facts win in the list (DESIGN §8a): the effective OS, an asserted primary IP first.
      osName: a.os ?? undefined,
      ipAddresses: a.overrides.primaryIp
        ? [a.overrides.primaryIp, ...a.ipAddresses.filter((ip) => ip !== a.overrides.primaryIp)]
        : a.ipAddresses,
      vmCount: f?.vmCount ?? null,
      hostCount: f?.hostCount ?? null,
    };
    const values: Record<string, unknown> = {};
    for (const key of columns) {
      const def = defOf(key)!;
      if (def.origin === 'ledger') {
        values[key] = a.ledger[key.slice('ledger.'.length)] ?? null;
        continue;
      }
      const v = rowValue(def, own, f?.normalized ?? {});
      values[key] = v instanceof Date ? v.toISOString() : v;
    }
    const tools = f?.normalized ? rowValue(fieldByKey('toolsRunning')!, {}, f.normalized) : null;
    return {
      uuid: a.uuid,
      kind: a.kind,
      status: a.status,
      toolsRunning: typeof tools === 'boolean' ? tools : null,
      values,
    };
  });

  // Only the shown ones go to the client (labels, enum options: plain data).
  const shownLedgerDefs = ledgerDefs.filter((d) => columns.includes(d.key));
  const label = (key: string) => fieldByKey(key)!.label[locale];
  const filterDefs: FilterDef[] = [
    {
      name: 'kind',
      label: label('kind'),
      options: ASSET_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
    },
    {
      name: 'status',
      label: label('status'),
      options: ASSET_STATUSES.map((s) => ({ value: s, label: t(`assetStatus.${s}`) })),
    },
    {
      name: 'sourceId',
      label: t('assets.source'),
      options: choices.sources.map((s) => ({ value: s.id, label: s.name })),
    },
    {
      name: 'cluster',
      label: label('clusterName'),
      options: choices.clusters.map((c) => ({ value: c, label: c })),
    },
    { name: 'host', label: label('hostName'), options: choices.hosts.map((h) => ({ value: h, label: h })) },
    {
      name: 'powerState',
      label: label('powerState'),
      options: POWER_STATES.map((p) => ({ value: p, label: translateOr(t, `power.${p}`, p) })),
    },
  ];
  const chips = [
    ...(filters.q ? [{ name: 'q', label: t('common.search'), value: filters.q }] : []),
    ...filterDefs.flatMap((f) => {
      const v = query[f.name];
      if (!v) return [];
      return [{ name: f.name, label: f.label, value: f.options.find((o) => o.value === v)?.label ?? v }];
    }),
  ];
  const exportQuery = queryString({ ...query, limit: undefined });
  return (
    <div className="flex flex-col gap-2">
      <PageHeader
        className="mb-0"
        title={
          <span className="flex items-baseline gap-3">
            {t('assets.title')}
            <span
              className="text-sm font-normal text-muted-foreground"
              data-testid="asset-total"
              data-total={result.total}
            >
              {t('assets.total', { total: result.total })}
            </span>
          </span>
        }
      >
        <ColumnChooser
          defaults={DEFAULT_ASSET_COLUMNS}
          choices={[...listableFields(), ...ledgerDefs].map((f) => ({
            key: f.key,
            label: f.label[locale],
            ledger: f.origin === 'ledger',
          }))}
          selected={columns}
        />
        <ExportMenu query={exportQuery} total={result.total} />
      </PageHeader>
      <ListFilters
        basePath="/assets"
        search={t('assets.searchPlaceholder')}
        key={queryString(query)}
        filters={filterDefs}
        values={query}
        keep={Object.fromEntries(
          Object.entries(query).filter(([k]) => k === 'sort' || k === 'limit' || k.startsWith('ledger.')),
        )}
      />
      <FilterChips basePath="/assets" query={query} chips={chips} t={t} />
      {canEdit ? (
        <LedgerBulk total={result.total} filters={filters}>
          <AssetTable rows={rows} columns={columns} selectable ledgerDefs={shownLedgerDefs} />
        </LedgerBulk>
      ) : (
        <AssetTable rows={rows} columns={columns} ledgerDefs={shownLedgerDefs} />
      )}
      <Pager
        basePath="/assets"
        query={query}
        total={result.total}
        offset={offset}
        limit={limit}
        t={t}
        pageSizes={PAGE_SIZES}
        defaultLimit={PAGE_SIZE}
      />
    </div>
  );
}
