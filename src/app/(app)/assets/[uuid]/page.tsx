import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { AlertTriangle, ArrowRight, Clock, GitMerge } from 'lucide-react';
import { PageHeader } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { FieldValue } from '@/components/field-value';
import { fmtDateTime, fmtValue } from '@/components/format';
import { LinkTabs } from '@/components/link-tabs';
import { AssetStatusBadge } from '@/components/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr, type Locale, type Translate } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { isAppError } from '@/lib/errors';
import { requirePageSession } from '@/server/auth/page';
import {
  getAsset,
  listAssetHistory,
  listAssetRecords,
  listAssetRelations,
  mergedInto,
} from '@/server/assets/service';
import { roleAllows } from '@/server/auth/session';
import { getSourceNames } from '@/server/identity/asset-identity';
import { flattenCanonical, normalizedOf } from '@/server/assets/canonical-view';
import {
  getAssetNames,
  getPlacement,
  listClusterMembers,
  listHostVms,
  type NeighbourRow,
} from '@/server/assets/asset-neighbours';
import { relationFacts, type RelationFact, type StoredRelation } from '@/server/assets/relation-facts';
import {
  fieldByKey,
  fieldByPath,
  fieldLabel,
  formatField,
  readField,
  type FieldDef,
} from '@/server/fields/dictionary';
import { NeighbourTable, type NeighbourColumn, type NeighbourTableRow } from './neighbour-table';
import { RawViewer } from './raw-viewer';
import { LedgerSection } from './ledger-section';
import { LedgerHistoryEntry } from './ledger-history';
import { AcrossSources } from './across-sources';
import {
  IDENTITY_EVENT_ASSET_KEYS,
  IDENTITY_EVENT_SOURCE_KEYS,
  IDENTITY_EVENT_TYPES,
  IdentityEvent,
} from './identity-event';
import { IdentitySection, type LinkView } from './identity-section';

export const dynamic = 'force-dynamic';

type HistoryEvent = {
  id: string;
  ts: Date;
  type: string;
  runId: string | null;
  details: Record<string, unknown> | null;
};
type SourceRecord = {
  id: string;
  sourceName: string | null;
  runId: string;
  collectedAt: Date;
  hash: string;
  lastSeenAt: Date;
  hasRaw: boolean;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABS = ['relations', 'history', 'fields', 'records'] as const;
type Tab = (typeof TABS)[number];

// The summary's facts per kind, by dictionary key, in reading order.
const SUMMARY: Record<string, string[]> = {
  vm: [
    'hostname',
    'osName',
    'ipAddresses',
    'macAddresses',
    'cpu',
    'memoryBytes',
    'provisionedBytes',
    'powerState',
    'toolsStatus',
    'toolsVersion',
    'networks',
    'datacenter',
    'folder',
    'resourcePool',
    'tags',
    'template',
  ],
  host: [
    'vendor',
    'model',
    'serialNumber',
    'cpuModel',
    'cpu',
    'cpuPackages',
    'cpuThreads',
    'memoryBytes',
    'osName',
    'osVersion',
    'osBuild',
    'managementIp',
    'localDiskTotalBytes',
    'datastoreTotalBytes',
    'connectionState',
    'maintenanceMode',
    'powerState',
    'datacenter',
    'tags',
  ],
  cluster: ['datacenter', 'cpuCount', 'cpuThreads', 'memoryBytes', 'folder', 'tags'],
};
// Shown as small tables below the summary.
const TABLES = ['disks', 'nics', 'datastores'];
// Guest facts a VM only reports while VMware Tools run.
const GUEST_FIELDS = new Set(['hostname', 'osName', 'ipAddresses']);

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate text-sm font-medium">{children}</dd>
    </div>
  );
}

function AssetLink({ asset }: { asset: { uuid: string; name: string | null } }) {
  return (
    <Link href={`/assets/${asset.uuid}`} className="text-primary hover:underline">
      {asset.name ?? asset.uuid}
    </Link>
  );
}

/** A message with {placeholders} filled by React nodes (links inside a translated sentence). */
function Sentence({ template, parts }: { template: string; parts: Record<string, React.ReactNode> }) {
  const pieces = template.split(/(\{\w+\})/);
  return (
    <>
      {pieces.map((p, i) => {
        const m = /^\{(\w+)\}$/.exec(p);
        return <span key={i}>{m ? (parts[m[1]!] ?? p) : p}</span>;
      })}
    </>
  );
}

function relationLabel(t: Translate, r: RelationFact): string {
  return translateOr(t, r.direction === 'out' ? `relation.${r.fact}` : `relation.${r.fact}_in`, r.fact);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The rows and totals of a host's VM table or a cluster's host/VM tables, through the dictionary. */
function neighbourTable(
  rows: NeighbourRow[],
  keys: string[],
  locale: Locale,
  t: Translate,
): { columns: NeighbourColumn[]; rows: NeighbourTableRow[]; totals: Record<string, string> } {
  const defs = keys.map((k) => fieldByKey(k)!);
  const columns = defs.map((d) => ({
    key: d.key,
    label: d.label[locale],
    numeric: d.type === 'count' || d.type === 'bytes',
  }));
  const valueOf = (d: FieldDef, r: NeighbourRow): unknown =>
    d.key === 'name'
      ? (r.name ?? r.uuid)
      : d.key === 'vmCount'
        ? r.vmCount
        : d.key === 'powerState'
          ? (r.powerState ?? readField(d, r.normalized))
          : readField(d, r.normalized);
  const out = rows.map((r) => ({
    uuid: r.uuid,
    cells: Object.fromEntries(
      defs.map((d) => {
        const v = valueOf(d, r);
        const text = d.key === 'name' ? String(v) : formatField(d, v, locale);
        return [
          d.key,
          r.status === 'offline' && d.key === 'name' ? `${text} (${t('assetStatus.offline')})` : text,
        ];
      }),
    ),
    sort: Object.fromEntries(
      defs.map((d) => {
        const v = valueOf(d, r);
        return [d.key, num(v) ?? (v === null || v === undefined ? null : formatField(d, v, locale))];
      }),
    ),
  }));
  const totals: Record<string, string> = {};
  for (const d of defs) {
    if (d.type !== 'count' && d.type !== 'bytes') continue;
    const sum = rows.reduce((s, r) => s + (num(valueOf(d, r)) ?? 0), 0);
    totals[d.key] = formatField(d, sum, locale);
  }
  return { columns, rows: out, totals };
}

export default async function AssetDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ uuid: string }>;
  searchParams: Promise<{ tab?: string; mergedFrom?: string }>;
}) {
  const [{ uuid }, sp] = await Promise.all([params, searchParams]);
  const tab: Tab = (TABS as readonly string[]).includes(sp.tab ?? '') ? (sp.tab as Tab) : 'relations';
  const session = await requirePageSession({ next: `/assets/${uuid}${sp.tab ? `?tab=${tab}` : ''}` });
  const { t, locale } = await getTranslator();
  if (!UUID_RE.test(uuid)) notFound();
  const db = getDb();
  // A merged tombstone is its survivor now (the API answers 308): go there and say why.
  const survivor = await mergedInto(db, uuid);
  if (survivor) redirect(`/assets/${survivor}?mergedFrom=${uuid}${sp.tab ? `&tab=${tab}` : ''}`);
  let asset: Awaited<ReturnType<typeof getAsset>>;
  try {
    asset = await getAsset(db, uuid);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [rel, hist, recs, placement, hostVms, members] = await Promise.all([
    listAssetRelations(db, uuid),
    listAssetHistory(db, uuid, { limit: 200, offset: 0 }),
    listAssetRecords(db, uuid, { limit: 50, offset: 0 }),
    getPlacement(db, uuid),
    asset.kind === 'host' ? listHostVms(db, uuid) : Promise.resolve([]),
    asset.kind === 'cluster' ? listClusterMembers(db, uuid) : Promise.resolve({ hosts: [], vms: [] }),
  ]);
  const facts = relationFacts(rel.items as StoredRelation[]);
  const events = hist.items as HistoryEvent[];
  const records = recs.items as SourceRecord[];
  const isAdmin = session.user.role === 'admin';
  const n = normalizedOf(asset.canonical);
  const fields = flattenCanonical(asset.canonical);
  const conflictPaths = fields.filter((f) => f.conflict).map((f) => f.path);
  const links = asset.links as Record<string, unknown>[];
  const sourceNames: Record<string, string> = Object.fromEntries(
    links.map((l) => [String(l.sourceId), String(l.sourceName ?? l.sourceId)]),
  );
  const manySources = new Set(facts.map((r) => r.sourceId)).size > 1;
  const active = facts.filter((r) => r.status === 'active');
  const inactive = facts.filter((r) => r.status !== 'active');
  // Names for the uuids that relation events mention (moved from host A to host B).
  const mentioned = events.flatMap((e) => {
    const d = e.details ?? {};
    return [
      ...['from', 'to', 'old', 'new', 'fromAssetUuid', 'toAssetUuid', 'from_uuid', 'to_uuid'],
      ...IDENTITY_EVENT_ASSET_KEYS,
    ].map((k) => d[k]);
  });
  const [names, eventSources] = await Promise.all([
    getAssetNames(db, mentioned),
    getSourceNames(
      db,
      events.flatMap((e) => IDENTITY_EVENT_SOURCE_KEYS.map((k) => (e.details ?? {})[k])),
    ),
  ]);
  const nameOf = (u: unknown) => (typeof u === 'string' ? (names[u] ?? u) : t('asset.missingField'));
  // Every field path shown through the dictionary: label and value in the reader's language and units.
  const valueAt = (path: string, value: unknown) => {
    const def = fieldByPath(path);
    return def ? formatField(def, value, locale) : fmtValue(value);
  };
  const toolsRunning = readField(fieldByKey('toolsRunning')!, n);
  const guestBlank = asset.kind === 'vm' && toolsRunning === false;
  const own: Record<string, unknown> = {
    name: asset.name,
    hostname: asset.hostname ?? readField(fieldByKey('hostname')!, n),
    serialNumber: asset.serialNumber ?? readField(fieldByKey('serialNumber')!, n),
    ipAddresses: asset.ipAddresses,
    macAddresses: asset.macAddresses,
    powerState: asset.powerState ?? readField(fieldByKey('powerState')!, n),
    // The asserted OS wins where set (the Ledger card shows the observed one beside it).
    osName: asset.os ?? readField(fieldByKey('osName')!, n),
  };
  const summary = (SUMMARY[asset.kind] ?? []).map((key) => {
    const def = fieldByKey(key)!;
    const value = key in own ? own[key] : readField(def, n);
    const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    return {
      key,
      label: def.label[locale],
      value:
        empty && guestBlank && GUEST_FIELDS.has(key) ? (
          <span className="italic text-muted-foreground">{t('assets.toolsNotRunning')}</span>
        ) : (
          formatField(def, value, locale)
        ),
    };
  });
  const tables = TABLES.map((k) => fieldByKey(k)!).filter((d) => {
    const v = readField(d, n);
    return Array.isArray(v) && v.length > 0 && d.kinds.includes(asset.kind as 'vm');
  });
  const hostTable =
    asset.kind === 'host'
      ? neighbourTable(
          hostVms,
          ['name', 'powerState', 'cpuCount', 'memoryBytes', 'provisionedBytes', 'osName'],
          locale,
          t,
        )
      : null;
  const clusterHosts =
    asset.kind === 'cluster'
      ? neighbourTable(
          members.hosts,
          ['name', 'connectionState', 'cpuCount', 'memoryBytes', 'vmCount', 'osVersion'],
          locale,
          t,
        )
      : null;
  const clusterVms =
    asset.kind === 'cluster'
      ? neighbourTable(
          members.vms,
          ['name', 'powerState', 'cpuCount', 'memoryBytes', 'provisionedBytes', 'osName'],
          locale,
          t,
        )
      : null;
  const displayName = asset.name ?? asset.uuid;
  const crumbs = [
    { label: t('nav.assets'), href: '/assets' },
    ...(placement.cluster && asset.kind !== 'cluster'
      ? [
          {
            label: placement.cluster.name ?? placement.cluster.uuid,
            href: `/assets/${placement.cluster.uuid}`,
          },
        ]
      : []),
    ...(placement.host
      ? [{ label: placement.host.name ?? placement.host.uuid, href: `/assets/${placement.host.uuid}` }]
      : []),
    { label: displayName },
  ];
  const tabHref = (id: string) => (id === 'relations' ? `/assets/${uuid}` : `/assets/${uuid}?tab=${id}`);
  const relationCount = facts.length;

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Breadcrumbs items={crumbs} />
        <PageHeader
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="asset-name">{displayName}</span>
              <Badge variant="outline">{translateOr(t, `kind.${asset.kind}`, asset.kind)}</Badge>
              <AssetStatusBadge status={asset.status} t={t} />
            </span>
          }
        />
        {(placement.host || placement.cluster) && (
          <p className="-mt-3 text-sm text-muted-foreground" data-testid="placement">
            {placement.host && placement.cluster ? (
              <Sentence
                template={t('asset.onHostInCluster')}
                parts={{
                  host: <AssetLink asset={placement.host} />,
                  cluster: <AssetLink asset={placement.cluster} />,
                }}
              />
            ) : placement.host ? (
              <Sentence template={t('asset.onHost')} parts={{ host: <AssetLink asset={placement.host} /> }} />
            ) : (
              <Sentence
                template={t('asset.inCluster')}
                parts={{ cluster: <AssetLink asset={placement.cluster!} /> }}
              />
            )}
          </p>
        )}
      </div>
      {sp.mergedFrom && UUID_RE.test(sp.mergedFrom) && (
        <p
          className="flex items-center gap-2 rounded-md border border-primary/30 bg-primary/5 px-3 py-2 text-sm"
          data-testid="merged-redirect-note"
          role="status"
        >
          <GitMerge className="size-4" />
          {t('identity.redirected', { uuid: sp.mergedFrom })}
        </p>
      )}
      {asset.status === 'offline' && (
        <p
          className="flex items-center gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm"
          data-testid="offline-note"
        >
          <Clock className="size-4" />
          {t('asset.offlineAsOf', { date: fmtDateTime(asset.lastSeenAt, locale) })}
        </p>
      )}
      <Card>
        <CardHeader>
          <CardTitle>{t('asset.summary')}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 lg:grid-cols-4" data-testid="asset-summary">
            {asset.kind === 'vm' && (
              <Fact label={t('asset.s.runsOn')} testId="runs-on">
                {placement.host ? <AssetLink asset={placement.host} /> : fmtValue(asset.hostName)}
              </Fact>
            )}
            {asset.kind !== 'cluster' && (
              <Fact label={fieldLabel(fieldByKey('clusterName')!, locale)} testId="member-of">
                {placement.cluster ? <AssetLink asset={placement.cluster} /> : fmtValue(asset.clusterName)}
              </Fact>
            )}
            {asset.kind === 'host' && (
              <Fact label={fieldLabel(fieldByKey('vmCount')!, locale)}>{hostVms.length}</Fact>
            )}
            {asset.kind === 'cluster' && (
              <>
                <Fact label={fieldLabel(fieldByKey('hostCount')!, locale)}>{members.hosts.length}</Fact>
                <Fact label={fieldLabel(fieldByKey('vmCount')!, locale)}>{members.vms.length}</Fact>
              </>
            )}
            {summary.map((f) => (
              <Fact key={f.key} label={f.label} testId={`fact-${f.key}`}>
                <span title={typeof f.value === 'string' ? f.value : undefined}>{f.value}</span>
              </Fact>
            ))}
            <Fact label={t('asset.uuid')}>
              <code className="text-xs">{asset.uuid}</code>
            </Fact>
            <Fact label={t('asset.lastSeen')}>{fmtDateTime(asset.lastSeenAt, locale)}</Fact>
          </dl>
          {tables.length > 0 && (
            <div className="mt-4 grid gap-4 lg:grid-cols-2">
              {tables.map((d) => (
                <section key={d.key} className="min-w-0 overflow-x-auto">
                  <h3 className="mb-1 text-xs font-semibold text-muted-foreground">{d.label[locale]}</h3>
                  <FieldValue def={d} value={readField(d, n)} locale={locale} />
                </section>
              ))}
            </div>
          )}
          {conflictPaths.length > 0 && (
            <p className="mt-3 flex items-center gap-2 text-sm text-[oklch(0.45_0.12_75)]">
              <AlertTriangle className="size-4" /> {t('asset.conflict')}:{' '}
              {conflictPaths.map((p) => fieldLabel(p, locale)).join(', ')}
            </p>
          )}
        </CardContent>
      </Card>

      <LedgerSection uuid={uuid} role={session.user.role} />

      <IdentitySection
        assetUuid={asset.uuid}
        links={links as LinkView[]}
        mergedFrom={asset.mergedFrom}
        canEdit={roleAllows(session.user.role, 'editor')}
        t={t}
        locale={locale}
      />

      {hostTable && (
        <section>
          <h2 className="mb-2 text-sm font-semibold" data-testid="host-vms-title">
            {t('asset.hostVms', { n: hostVms.length })}
          </h2>
          <NeighbourTable
            {...hostTable}
            testId="host-vms"
            totalLabel={t('asset.total')}
            emptyLabel={t('asset.noVms')}
            sortLabel={t('assets.sortBy', { column: '' }).trim()}
          />
        </section>
      )}
      {clusterHosts && clusterVms && (
        <>
          <section>
            <h2 className="mb-2 text-sm font-semibold">
              {t('asset.clusterHosts', { n: members.hosts.length })}
            </h2>
            <NeighbourTable
              {...clusterHosts}
              testId="cluster-hosts"
              totalLabel={t('asset.total')}
              emptyLabel={t('asset.noHosts')}
              sortLabel={t('assets.sortBy', { column: '' }).trim()}
            />
          </section>
          <section>
            <h2 className="mb-2 text-sm font-semibold">{t('asset.clusterVms', { n: members.vms.length })}</h2>
            <NeighbourTable
              {...clusterVms}
              testId="cluster-vms"
              totalLabel={t('asset.total')}
              emptyLabel={t('asset.noVms')}
              sortLabel={t('assets.sortBy', { column: '' }).trim()}
            />
          </section>
        </>
      )}

      <LinkTabs
        active={tab}
        hrefFor={tabHref}
        tabs={[
          { id: 'relations', label: `${t('asset.relations')} (${relationCount})` },
          { id: 'history', label: `${t('asset.history')} (${hist.total})` },
          { id: 'fields', label: `${t('asset.fields')} (${fields.length})` },
          { id: 'records', label: `${t('asset.records')} (${recs.total})` },
        ]}
      />

      {tab === 'relations' && (
        <div className="flex flex-col gap-4">
          {[
            { title: t('asset.activeRelations'), list: active, testId: 'relations-active' },
            { title: t('asset.inactiveRelations'), list: inactive, testId: 'relations-inactive' },
          ].map((group) => (
            <section key={group.testId} data-testid={group.testId}>
              <h3 className="mb-2 text-sm font-semibold">
                {group.title} ({group.list.length})
              </h3>
              {group.list.length === 0 ? (
                <p className="text-sm text-muted-foreground">{t('asset.noRelations')}</p>
              ) : (
                <Table className="text-xs">
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t('asset.relation')}</TableHead>
                      <TableHead>{t('assets.name')}</TableHead>
                      <TableHead>{t('assets.kind')}</TableHead>
                      {manySources && <TableHead>{t('assets.source')}</TableHead>}
                      <TableHead>{t('asset.firstSeen')}</TableHead>
                      <TableHead>{t('asset.lastSeen')}</TableHead>
                      {group.testId === 'relations-inactive' && (
                        <TableHead>{t('asset.inactiveSince')}</TableHead>
                      )}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {group.list.map((r) => (
                      <TableRow key={r.id} data-relation={r.fact} data-direction={r.direction}>
                        <TableCell className="whitespace-nowrap py-1">{relationLabel(t, r)}</TableCell>
                        <TableCell className="py-1">
                          <Link href={`/assets/${r.otherUuid}`} className="text-primary hover:underline">
                            {r.otherName ?? r.otherUuid}
                          </Link>
                          {r.otherStatus === 'offline' && (
                            <Badge variant="warning" className="ml-2">
                              {t('assetStatus.offline')}
                            </Badge>
                          )}
                        </TableCell>
                        <TableCell className="py-1">
                          {translateOr(t, `kind.${r.otherKind}`, r.otherKind)}
                        </TableCell>
                        {manySources && (
                          <TableCell className="max-w-48 truncate py-1" title={r.sourceName}>
                            {r.sourceName}
                          </TableCell>
                        )}
                        <TableCell className="whitespace-nowrap py-1">
                          {fmtDateTime(r.firstSeenAt, locale)}
                        </TableCell>
                        <TableCell className="whitespace-nowrap py-1">
                          {fmtDateTime(r.lastSeenAt, locale)}
                        </TableCell>
                        {group.testId === 'relations-inactive' && (
                          <TableCell className="whitespace-nowrap py-1">
                            {fmtDateTime(r.inactiveSince, locale)}
                          </TableCell>
                        )}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </section>
          ))}
        </div>
      )}

      {tab === 'history' && (
        <>
          {events.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('asset.noHistory')}</p>
          ) : (
            <ol className="flex flex-col gap-3 border-l-2 pl-4" data-testid="history">
              {events.map((e) => {
                const d = e.details ?? {};
                // A ledger entry shows its own changes (labels, who and how: LedgerHistoryEntry).
                const changes =
                  e.type !== 'ledger_changed' && Array.isArray(d.changes)
                    ? (d.changes as Record<string, unknown>[])
                    : [];
                return (
                  <li key={e.id} className="relative" data-event={e.type}>
                    <span
                      className="absolute -left-[1.4rem] top-1.5 size-2.5 rounded-full bg-primary"
                      aria-hidden
                    />
                    <div className="flex flex-wrap items-baseline gap-2">
                      <span className="font-medium">{translateOr(t, `asset.ev.${e.type}`, e.type)}</span>
                      <span className="text-xs text-muted-foreground">{fmtDateTime(e.ts, locale)}</span>
                      {e.runId && (
                        <Link href={`/runs/${e.runId}`} className="text-xs text-primary hover:underline">
                          {t('asset.run')}
                        </Link>
                      )}
                    </div>
                    {e.type === 'ledger_changed' && (
                      <LedgerHistoryEntry
                        details={e.details}
                        canOpenImports={roleAllows(session.user.role, 'editor')}
                      />
                    )}
                    {IDENTITY_EVENT_TYPES.has(e.type) && (
                      <IdentityEvent
                        type={e.type}
                        details={e.details}
                        assetNames={names}
                        sourceNames={eventSources}
                        t={t}
                        locale={locale}
                      />
                    )}
                    {e.type === 'relation_changed' && (
                      <p className="text-sm" data-testid="moved">
                        {translateOr(
                          t,
                          `relation.${String(d.relation ?? d.type ?? '')}`,
                          String(d.relation ?? d.type ?? ''),
                        )}
                        {': '}
                        {t('asset.movedFrom', {
                          from: nameOf(d.from ?? d.old ?? d.fromAssetUuid ?? d.from_uuid),
                          to: nameOf(d.to ?? d.new ?? d.toAssetUuid ?? d.to_uuid),
                        })}
                      </p>
                    )}
                    {changes.length > 0 && (
                      <ul className="mt-1 flex flex-col gap-0.5 text-sm">
                        {changes.slice(0, 50).map((ch, i) => (
                          <li key={i} className="flex flex-wrap items-center gap-1">
                            <span className="font-medium" data-path={String(ch.path ?? ch.field ?? '')}>
                              {fieldLabel(String(ch.path ?? ch.field ?? ''), locale)}
                            </span>
                            <span className="text-destructive line-through decoration-1">
                              {ch.old === undefined || ch.old === null
                                ? t('asset.missingField')
                                : valueAt(String(ch.path ?? ''), ch.old)}
                            </span>
                            <ArrowRight className="size-3" />
                            <span className="text-success">
                              {ch.new === undefined || ch.new === null
                                ? t('asset.missingField')
                                : valueAt(String(ch.path ?? ''), ch.new)}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}

      {tab === 'fields' && (
        <>
          {/* Several sources: the view across them says everything the single-source table would. */}
          {asset.acrossSources ? (
            <AcrossSources view={asset.acrossSources} sourceNames={sourceNames} t={t} locale={locale} />
          ) : (
            <Table data-testid="fields">
              <TableHeader>
                <TableRow>
                  <TableHead>{t('asset.field')}</TableHead>
                  <TableHead>{t('asset.value')}</TableHead>
                  <TableHead>{t('asset.provenance')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {fields.map((f) => (
                  <TableRow key={f.path} className={f.conflict ? 'bg-warning/10' : undefined}>
                    <TableCell className="text-xs" title={f.path}>
                      {fieldLabel(f.path, locale)}
                    </TableCell>
                    <TableCell className="max-w-md text-xs">
                      {fieldByPath(f.path) ? (
                        <FieldValue def={fieldByPath(f.path)!} value={f.value} locale={locale} />
                      ) : (
                        fmtValue(f.value)
                      )}
                      {f.conflict && (
                        <span className="mt-1 flex items-center gap-1 text-[oklch(0.45_0.12_75)]">
                          <AlertTriangle className="size-3" /> {t('asset.conflict')}
                          {f.alternatives
                            ? `: ${f.alternatives.map((a) => `${(a.sourceId && sourceNames[a.sourceId]) ?? '?'} = ${valueAt(f.path, a.value)}`).join('; ')}`
                            : ''}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="max-w-64 text-xs text-muted-foreground">
                      <div
                        className="truncate"
                        title={f.sourceId ? (sourceNames[f.sourceId] ?? f.sourceId) : undefined}
                      >
                        {f.sourceId ? (sourceNames[f.sourceId] ?? f.sourceId) : '—'}
                      </div>
                      {f.collectedAt && <div>{fmtDateTime(f.collectedAt, locale)}</div>}
                      {f.runId && (
                        <Link href={`/runs/${f.runId}`} className="text-primary hover:underline">
                          {t('asset.run')}
                        </Link>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}

      {tab === 'records' && (
        <div className="flex flex-col gap-4">
          <Table data-testid="records">
            <TableHeader>
              <TableRow>
                <TableHead>#</TableHead>
                <TableHead>{t('assets.source')}</TableHead>
                <TableHead>{t('asset.collectedAt')}</TableHead>
                <TableHead>{t('asset.lastSeen')}</TableHead>
                <TableHead>{t('asset.hash')}</TableHead>
                {isAdmin && <TableHead>{t('common.actions')}</TableHead>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {records.map((r) => (
                <TableRow key={r.id}>
                  <TableCell className="text-xs">{r.id}</TableCell>
                  <TableCell>{r.sourceName ?? '—'}</TableCell>
                  <TableCell className="text-xs">
                    <Link href={`/runs/${r.runId}`} className="text-primary hover:underline">
                      {fmtDateTime(r.collectedAt, locale)}
                    </Link>
                  </TableCell>
                  <TableCell className="text-xs">{fmtDateTime(r.lastSeenAt, locale)}</TableCell>
                  <TableCell className="font-mono text-xs">{r.hash.slice(0, 12)}</TableCell>
                  {isAdmin && (
                    <TableCell>{r.hasRaw && <RawViewer assetUuid={asset.uuid} recordId={r.id} />}</TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
