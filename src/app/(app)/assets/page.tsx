import Link from 'next/link';
import { Search } from 'lucide-react';
import { FilterSelect } from '@/components/filter-select';
import { PageHeader } from '@/components/app-shell';
import { Pager } from '@/components/pager';
import { Button, buttonVariants } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { ASSET_KINDS, ASSET_STATUSES, listAssets, POWER_STATES } from '@/server/assets/service';
import {
  filterChoices,
  filtersFrom,
  PAGE_SIZE,
  toolsRunning,
  type AssetQuery,
} from '@/server/assets/list-view';
import { AssetTable, type AssetRow } from './asset-table';
import { roleAllows } from '@/server/auth/session';
import { LedgerBulk } from './ledger-bulk';
// The exports take the same query parameters as this page.
import { ExportMenu } from './export-menu';
import { LedgerColumnsPicker } from '@/components/ledger/ledger-columns';
import type { LedgerFieldView } from '@/components/ledger/types';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { ledgerFieldOut } from '@/server/ledger-fields/schemas';

export const dynamic = 'force-dynamic';

export default async function AssetsPage({ searchParams }: { searchParams: Promise<AssetQuery> }) {
  const session = await requirePageSession({ next: '/assets' });
  const canEdit = roleAllows(session.user.role, 'editor');
  const [{ t }, sp] = await Promise.all([getTranslator(), searchParams]);
  const db = getDb();
  const offset = Math.max(0, Number(sp.offset) || 0);
  // No sort given: by name, or a search's rank (exact > prefix > substring) when there is a search.
  const sort = sp.sort && /^-?([a-zA-Z]+|ledger\.[a-z][a-z0-9_]*)$/.test(sp.sort) ? sp.sort : undefined;
  const ledgerFields = (await listLedgerFields(db)).map(
    (f) => JSON.parse(JSON.stringify(ledgerFieldOut(f))) as LedgerFieldView,
  );
  const filters = filtersFrom(sp);
  // A hand-typed unknown ledger key is ignored here (the API answers 400 for it).
  filters.ledger = filters.ledger?.filter((l) => ledgerFields.some((f) => f.key === l.key));
  const [result, choices] = await Promise.all([
    listAssets(db, filters, { sort, limit: PAGE_SIZE, offset }).catch(() =>
      listAssets(db, filters, { sort: 'name', limit: PAGE_SIZE, offset }),
    ),
    filterChoices(db),
  ]);
  const tools = await toolsRunning(
    db,
    result.items.filter((a) => a.kind === 'vm').map((a) => a.uuid),
  );
  const rows: AssetRow[] = result.items.map((a) => ({
    uuid: a.uuid,
    kind: a.kind,
    status: a.status,
    name: a.name,
    hostname: a.hostname,
    serial_number: a.serialNumber,
    ip_addresses: a.ipAddresses ?? [],
    power_state: a.powerState,
    cluster_name: a.clusterName,
    host_name: a.hostName,
    last_seen_at: a.lastSeenAt ? new Date(a.lastSeenAt).toISOString() : null,
    tools_running: tools[a.uuid] ?? null,
    ledger: a.ledger,
  }));
  const lcols = String(sp.lcols ?? '').split(',');
  const ledgerColumns = ledgerFields.filter((f) => lcols.includes(f.key));
  const query: Record<string, string | undefined> = {
    q: filters.q,
    kind: filters.kind,
    status: filters.status,
    sourceId: filters.sourceId,
    cluster: filters.cluster,
    host: filters.host,
    powerState: filters.powerState,
    sort,
    lcols: ledgerColumns.length ? ledgerColumns.map((f) => f.key).join(',') : undefined,
    ...Object.fromEntries((filters.ledger ?? []).map((l) => [`ledger.${l.key}`, l.values[0]])),
  };
  const exportQuery = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  const select = (name: keyof AssetQuery, label: string, options: { value: string; label: string }[]) => (
    <FilterSelect
      name={name}
      label={label}
      allLabel={t('common.all')}
      options={options}
      value={sp[name] as string | undefined}
      className="min-w-36"
    />
  );
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('assets.title')}>
        <span className="text-sm text-muted-foreground" data-testid="asset-total" data-total={result.total}>
          {t('assets.total', { total: result.total })}
        </span>
        <ExportMenu query={exportQuery} total={result.total} />
        <LedgerColumnsPicker fields={ledgerFields} selected={ledgerColumns.map((f) => f.key)} />
      </PageHeader>
      {/* A plain GET form: works with the keyboard and without JavaScript, and the URL is shareable. */}
      <form
        method="get"
        action="/assets"
        className="flex flex-col gap-3 rounded-lg border bg-card p-3"
        role="search"
      >
        <div className="flex gap-2">
          <Input
            name="q"
            type="search"
            defaultValue={sp.q ?? ''}
            placeholder={t('assets.searchPlaceholder')}
            aria-label={t('assets.searchPlaceholder')}
            data-testid="asset-search"
            className="flex-1"
          />
          <Button type="submit" data-testid="asset-search-submit">
            <Search /> {t('common.search')}
          </Button>
          <Link href="/assets" className={buttonVariants({ variant: 'ghost' })}>
            {t('common.reset')}
          </Link>
        </div>
        <div className="flex flex-wrap gap-3">
          {select(
            'kind',
            t('assets.kind'),
            ASSET_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
          )}
          {select(
            'status',
            t('assets.status'),
            ASSET_STATUSES.map((s) => ({ value: s, label: t(`assetStatus.${s}`) })),
          )}
          {select(
            'sourceId',
            t('assets.source'),
            choices.sources.map((s) => ({ value: s.id, label: s.name })),
          )}
          {select(
            'cluster',
            t('assets.cluster'),
            choices.clusters.map((c) => ({ value: c, label: c })),
          )}
          {select(
            'host',
            t('assets.host'),
            choices.hosts.map((h) => ({ value: h, label: h })),
          )}
          {select(
            'powerState',
            t('assets.power'),
            POWER_STATES.map((p) => ({ value: p, label: t(`power.${p}`) })),
          )}
          {sort && <input type="hidden" name="sort" value={sort} />}
          <div className="flex items-end">
            <Button type="submit" variant="secondary">
              {t('common.apply')}
            </Button>
          </div>
        </div>
      </form>
      {canEdit ? (
        <LedgerBulk total={result.total} filters={filters}>
          <AssetTable rows={rows} selectable ledgerColumns={ledgerColumns} />
        </LedgerBulk>
      ) : (
        <AssetTable rows={rows} ledgerColumns={ledgerColumns} />
      )}
      <Pager basePath="/assets" query={query} total={result.total} offset={offset} limit={PAGE_SIZE} t={t} />
    </div>
  );
}
