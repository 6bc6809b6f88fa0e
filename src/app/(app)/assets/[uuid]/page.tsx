import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertTriangle, ArrowRight } from 'lucide-react';
import { sql } from 'drizzle-orm';
import { PageHeader } from '@/components/app-shell';
import { LedgerSection } from './ledger-section';
import { fmtBytes, fmtDateTime, fmtValue } from '@/components/format';
import { AssetStatusBadge } from '@/components/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { getDb } from '@/db/client';
import { translateOr, type MessageKey, type Translate } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { isAppError } from '@/lib/errors';
import { requirePageSession } from '@/server/auth/page';
import { getAsset, listAssetHistory, listAssetRecords, listAssetRelations } from '@/server/assets/service';
import { canonicalValue, flattenCanonical } from '@/server/assets/canonical-view';
import { fieldByPath, fieldLabel, formatField } from '@/server/fields/dictionary';
import { FieldValue } from '@/components/field-value';
import { RawViewer } from './raw-viewer';

export const dynamic = 'force-dynamic';

type Relation = {
  id: string;
  type: string;
  status: string;
  direction: 'out' | 'in';
  otherUuid: string;
  otherKind: string;
  otherName: string | null;
  otherStatus: string;
  sourceName: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  inactiveSince: Date | null;
};
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

async function assetNames(uuids: string[]): Promise<Record<string, string>> {
  const ids = [...new Set(uuids.filter((u) => UUID_RE.test(u)))];
  if (!ids.length) return {};
  const r = await getDb().execute<{ uuid: string; name: string | null }>(
    sql`select uuid, name from assets where uuid in (${sql.join(
      ids.map((u) => sql`${u}`),
      sql`, `,
    )})`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.uuid, x.name ?? x.uuid]));
}

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

function sumBytes(list: unknown, key: string): number | null {
  if (!Array.isArray(list)) return null;
  let n = 0;
  for (const x of list)
    if (x && typeof x === 'object' && typeof (x as Record<string, unknown>)[key] === 'number')
      n += (x as Record<string, number>)[key]!;
  return n;
}

function relationLabel(t: Translate, r: Relation): string {
  return translateOr(t, r.direction === 'out' ? `relation.${r.type}` : `relation.${r.type}_in`, r.type);
}

export default async function AssetDetailPage({ params }: { params: Promise<{ uuid: string }> }) {
  const { uuid } = await params;
  const session = await requirePageSession({ next: `/assets/${uuid}` });
  const { t, locale } = await getTranslator();
  if (!UUID_RE.test(uuid)) notFound();
  const db = getDb();
  let asset: Awaited<ReturnType<typeof getAsset>>;
  try {
    asset = await getAsset(db, uuid);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [rel, hist, recs] = await Promise.all([
    listAssetRelations(db, uuid),
    listAssetHistory(db, uuid, { limit: 200, offset: 0 }),
    listAssetRecords(db, uuid, { limit: 50, offset: 0 }),
  ]);
  const relations = rel.items as unknown as Relation[];
  const events = hist.items as unknown as HistoryEvent[];
  const records = recs.items as unknown as SourceRecord[];
  const isAdmin = session.user.role === 'admin';
  const c = asset.canonical;
  const v = (p: string) => canonicalValue(c, p);
  const fields = flattenCanonical(c);
  const conflictPaths = fields.filter((f) => f.conflict).map((f) => f.path);
  const sourceNames: Record<string, string> = Object.fromEntries(
    (asset.links as Record<string, unknown>[]).map((l) => [
      String(l.sourceId),
      String(l.sourceName ?? l.sourceId),
    ]),
  );
  const active = relations.filter((r) => r.status === 'active');
  const inactive = relations.filter((r) => r.status !== 'active');
  const runsOn = active.find((r) => r.type === 'runs_on' && r.direction === 'out');
  const memberOf = active.find((r) => r.type === 'member_of' && r.direction === 'out');
  // Names for the uuids that relation events mention (moved from host A to host B).
  const mentioned: string[] = [];
  for (const e of events) {
    const d = e.details ?? {};
    for (const k of ['from', 'to', 'old', 'new', 'fromAssetUuid', 'toAssetUuid', 'from_uuid', 'to_uuid']) {
      if (typeof d[k] === 'string') mentioned.push(d[k] as string);
    }
  }
  const names = await assetNames(mentioned);
  const nameOf = (u: unknown) => (typeof u === 'string' ? (names[u] ?? u) : t('asset.missingField'));
  // Every field path shown through the dictionary: label and value in the reader's language and units.
  const valueAt = (path: string, value: unknown) => {
    const def = fieldByPath(path);
    return def ? formatField(def, value, locale) : fmtValue(value);
  };
  const toolsRunning = v('runtime.tools_running');
  const guestBlank = asset.kind === 'vm' && toolsRunning === false;
  const blank = (x: unknown) =>
    x === null || x === undefined || x === '' || (Array.isArray(x) && x.length === 0) ? (
      guestBlank ? (
        <span className="italic text-muted-foreground">{t('assets.toolsNotRunning')}</span>
      ) : (
        '—'
      )
    ) : (
      fmtValue(x)
    );

  const summary: { label: MessageKey; value: React.ReactNode; testId?: string }[] = [];
  if (asset.kind === 'vm') {
    summary.push(
      { label: 'asset.s.hostname', value: blank(asset.hostname ?? v('identity.hostname')) },
      // The asserted OS wins where set (the Ledger card shows the observed one beside it).
      { label: 'asset.s.os', value: blank(asset.os ?? v('os.name')) },
      { label: 'asset.s.ip', value: blank(asset.ipAddresses) },
      { label: 'asset.s.mac', value: fmtValue(asset.macAddresses) },
      {
        label: 'asset.s.cpu',
        value: fmtValue(v('hardware.cpu_count')),
      },
      { label: 'asset.s.memory', value: fmtBytes(v('hardware.memory_bytes')) },
      { label: 'asset.s.disks', value: fmtBytes(sumBytes(v('hardware.disks'), 'size_bytes')) },
      {
        label: 'asset.s.power',
        value: asset.powerState ? translateOr(t, `power.${asset.powerState}`, asset.powerState) : '—',
      },
      {
        label: 'asset.s.tools',
        value:
          toolsRunning === false
            ? t('assets.toolsNotRunning')
            : fmtValue(v('runtime.tools_status') ?? (toolsRunning ? t('asset.s.toolsRunning') : null)),
      },
      {
        label: 'asset.s.runsOn',
        testId: 'runs-on',
        value: runsOn ? (
          <Link href={`/assets/${runsOn.otherUuid}`} className="text-primary hover:underline">
            {runsOn.otherName ?? runsOn.otherUuid}
          </Link>
        ) : (
          fmtValue(asset.hostName)
        ),
      },
      { label: 'asset.s.cluster', value: fmtValue(asset.clusterName) },
    );
  } else if (asset.kind === 'host') {
    summary.push(
      {
        label: 'asset.s.vendorModel',
        value: fmtValue([v('identity.vendor'), v('identity.model')].filter(Boolean)),
      },
      { label: 'asset.s.serial', value: fmtValue(asset.serialNumber) },
      {
        label: 'asset.s.cpu',
        value: fmtValue(
          [
            v('hardware.cpu_model'),
            v('hardware.cpu_packages') && `${v('hardware.cpu_packages')} × ${v('hardware.cpu_count') ?? '?'}`,
          ]
            .filter(Boolean)
            .join(' · ') || null,
        ),
      },
      { label: 'asset.s.memory', value: fmtBytes(v('hardware.memory_bytes')) },
      {
        label: 'asset.s.esxi',
        value: fmtValue([v('os.name'), v('os.version'), v('os.build')].filter(Boolean).join(' ') || null),
      },
      { label: 'asset.s.managementIp', value: fmtValue(v('network.management_ip')) },
      { label: 'asset.s.localDisk', value: fmtBytes(v('storage.local_disk_total_bytes')) },
      { label: 'asset.s.datastores', value: fmtBytes(v('storage.datastore_total_bytes')) },
      {
        label: 'asset.s.cluster',
        testId: 'member-of',
        value: memberOf ? (
          <Link href={`/assets/${memberOf.otherUuid}`} className="text-primary hover:underline">
            {memberOf.otherName ?? memberOf.otherUuid}
          </Link>
        ) : (
          fmtValue(asset.clusterName)
        ),
      },
      { label: 'asset.s.connection', value: fmtValue(v('runtime.connection_state')) },
    );
  } else {
    summary.push(
      { label: 'asset.s.name', value: fmtValue(asset.name) },
      { label: 'asset.s.datacenter', value: fmtValue(v('placement.datacenter')) },
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            <span data-testid="asset-name">{asset.name ?? asset.uuid}</span>
            <Badge variant="outline">{translateOr(t, `kind.${asset.kind}`, asset.kind)}</Badge>
            <AssetStatusBadge status={asset.status} t={t} />
          </span>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>{t('asset.summary')}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl
            className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4"
            data-testid="asset-summary"
          >
            {summary.map((s) => (
              <Fact key={s.label} label={t(s.label)} testId={s.testId}>
                {s.value}
              </Fact>
            ))}
            <Fact label={t('asset.uuid')}>
              <code className="text-xs">{asset.uuid}</code>
            </Fact>
            <Fact label={t('asset.lastSeen')}>{fmtDateTime(asset.lastSeenAt, locale)}</Fact>
          </dl>
          {conflictPaths.length > 0 && (
            <p className="mt-3 flex items-center gap-2 text-sm text-[oklch(0.45_0.12_75)]">
              <AlertTriangle className="size-4" /> {t('asset.conflict')}: {conflictPaths.join(', ')}
            </p>
          )}
        </CardContent>
      </Card>
      <LedgerSection uuid={uuid} role={session.user.role} />

      <Tabs defaultValue="relations">
        <TabsList>
          <TabsTrigger value="relations" data-testid="tab-relations">
            {t('asset.relations')} ({relations.length})
          </TabsTrigger>
          <TabsTrigger value="history" data-testid="tab-history">
            {t('asset.history')} ({hist.total})
          </TabsTrigger>
          <TabsTrigger value="fields" data-testid="tab-fields">
            {t('asset.fields')} ({fields.length})
          </TabsTrigger>
          <TabsTrigger value="records" data-testid="tab-records">
            {t('asset.records')} ({recs.total})
          </TabsTrigger>
        </TabsList>

        <TabsContent value="relations" className="flex flex-col gap-4">
          {[
            { title: t('asset.activeRelations'), list: active, testId: 'relations-active' },
            { title: t('asset.inactiveRelations'), list: inactive, testId: 'relations-inactive' },
          ].map((group) => (
            <section key={group.testId} data-testid={group.testId}>
              <h3 className="mb-2 text-sm font-semibold">{group.title}</h3>
              {group.list.length === 0 ? (
                <p className="text-sm text-muted-foreground">{t('asset.noRelations')}</p>
              ) : (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t('assets.kind')}</TableHead>
                      <TableHead>{t('assets.name')}</TableHead>
                      <TableHead>{t('assets.source')}</TableHead>
                      <TableHead>{t('asset.firstSeen')}</TableHead>
                      <TableHead>{t('asset.lastSeen')}</TableHead>
                      {group.testId === 'relations-inactive' && (
                        <TableHead>{t('asset.inactiveSince')}</TableHead>
                      )}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {group.list.map((r) => (
                      <TableRow key={r.id} data-relation={r.type}>
                        <TableCell>{relationLabel(t, r)}</TableCell>
                        <TableCell>
                          <Link href={`/assets/${r.otherUuid}`} className="text-primary hover:underline">
                            {r.otherName ?? r.otherUuid}
                          </Link>
                        </TableCell>
                        <TableCell>{r.sourceName}</TableCell>
                        <TableCell className="whitespace-nowrap text-xs">
                          {fmtDateTime(r.firstSeenAt, locale)}
                        </TableCell>
                        <TableCell className="whitespace-nowrap text-xs">
                          {fmtDateTime(r.lastSeenAt, locale)}
                        </TableCell>
                        {group.testId === 'relations-inactive' && (
                          <TableCell className="whitespace-nowrap text-xs">
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
        </TabsContent>

        <TabsContent value="history">
          {events.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('asset.noHistory')}</p>
          ) : (
            <ol className="flex flex-col gap-3 border-l-2 pl-4" data-testid="history">
              {events.map((e) => {
                const d = e.details ?? {};
                const changes = Array.isArray(d.changes) ? (d.changes as Record<string, unknown>[]) : [];
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
        </TabsContent>

        <TabsContent value="fields">
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
        </TabsContent>

        <TabsContent value="records" className="flex flex-col gap-4">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t('assets.source')}</TableHead>
                <TableHead>{t('asset.externalId')}</TableHead>
                <TableHead>{t('asset.presence')}</TableHead>
                <TableHead>{t('asset.firstSeen')}</TableHead>
                <TableHead>{t('asset.lastSeen')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {(asset.links as Record<string, unknown>[]).map((l) => (
                <TableRow key={String(l.id)}>
                  <TableCell>{String(l.sourceName ?? '')}</TableCell>
                  <TableCell className="font-mono text-xs">
                    {String(l.externalKind ?? '')}/{String(l.externalId ?? '')}
                  </TableCell>
                  <TableCell>
                    {l.presence === 'present' ? (
                      <Badge variant="success">{t('asset.present')}</Badge>
                    ) : (
                      <Badge variant="warning">
                        {l.missingSince
                          ? t('asset.missingSince', { date: fmtDateTime(l.missingSince as Date, locale) })
                          : t('asset.missing')}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-xs">{fmtDateTime(l.firstSeenAt as Date, locale)}</TableCell>
                  <TableCell className="text-xs">{fmtDateTime(l.lastSeenAt as Date, locale)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
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
        </TabsContent>
      </Tabs>
    </div>
  );
}
