import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertTriangle } from 'lucide-react';
import { PageHeader } from '@/components/app-shell';
import { AutoRefresh } from '@/components/auto-refresh';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DeleteButton } from '@/components/delete-button';
import { fmtAge, fmtDateTime, fmtDuration } from '@/components/format';
import { RunMenu } from '@/components/run-menu';
import { RunStatusBadge } from '@/components/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import {
  Table,
  TableBody,
  TableCell,
  TableEmptyRow,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { isAppError } from '@/lib/errors';
import { requirePageSession } from '@/server/auth/page';
import { listCredentials } from '@/server/credentials/service';
import { listRuns } from '@/server/runs';
import { runCounts } from '@/server/runs/run-counts';
import { toRunDto } from '@/server/runs/schemas';
import { listGroups } from '@/server/schedule-groups/service';
import { countSourceAssets, listLastSuccesses } from '@/server/sources/get-source-overview';
import { getSource, type SourceView } from '@/server/sources/service';
import { SourceDialog, type SourceItem } from '../source-forms';

export const dynamic = 'force-dynamic';

const MODES = ['collect_vms', 'collect_hosts', 'collect', 'detect', 'healthcheck'] as const;
const KINDS = ['vm', 'host', 'cluster'] as const;

function tlsMode(config: Record<string, unknown>): 'insecure' | 'thumbprint' | 'ca' | 'verify' {
  if (config.insecure) return 'insecure';
  if (config.thumbprint_sha256) return 'thumbprint';
  if (config.ca_pem) return 'ca';
  return 'verify';
}

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageSession({ role: 'admin', next: `/sources/${id}` });
  const { t, locale } = await getTranslator();
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const db = getDb();
  let source: SourceView;
  try {
    source = await getSource(db, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [successes, assets, recent, creds, groups] = await Promise.all([
    listLastSuccesses(db, { sourceId: id, allModes: true }),
    countSourceAssets(db, id),
    listRuns(db, { sourceId: id, limit: 10 }).then((p) => p.items.map(toRunDto)),
    listCredentials(db, { limit: 500, offset: 0 }),
    listGroups(db, { limit: 500, offset: 0 }),
  ]);
  const lastOk = Object.fromEntries(successes.map((s) => [s.mode, s]));
  const active = Object.values(source.latestRuns).some(
    (r) => r && (r.status === 'queued' || r.status === 'running'),
  );
  const item: SourceItem = {
    id: source.id,
    name: source.name,
    enabled: source.enabled,
    credentialId: source.credentialId,
    scheduleGroupId: source.scheduleGroupId,
    config: source.config as SourceItem['config'],
  };
  const mode = tlsMode(source.config);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Breadcrumbs items={[{ label: t('nav.sources'), href: '/sources' }, { label: source.name }]} />
        <PageHeader
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="source-name">{source.name}</span>
              {!source.enabled && <Badge variant="warning">{t('common.disabled')}</Badge>}
            </span>
          }
        >
          <AutoRefresh active={active} />
          <RunMenu sourceId={source.id} />
          <SourceDialog
            source={item}
            credentials={creds.items.map((c) => ({ id: c.id, name: c.name }))}
            groups={groups.items.map((g) => ({ id: g.id, name: g.name }))}
          />
          <DeleteButton thing="source" id={source.id} name={source.name} afterDelete="/sources" />
        </PageHeader>
      </div>
      {!source.credentialId && (
        <p
          className="flex items-center gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm"
          data-testid="no-credential"
        >
          <AlertTriangle className="size-4" /> {t('sources.noCredentialWarning')}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('sources.configuration')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div className="col-span-2">
                <dt className="text-xs text-muted-foreground">{t('sources.endpoint')}</dt>
                <dd className="break-all font-mono text-xs">{String(source.config.endpoint ?? '')}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('sources.tls')}</dt>
                <dd>
                  {t(`sources.tlsMode.${mode}`)}
                  {mode === 'thumbprint' && (
                    <code className="block break-all text-xs">{String(source.config.thumbprint_sha256)}</code>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('sources.credential')}</dt>
                <dd>
                  {source.credentialName ? (
                    <Link href="/credentials" className="text-primary hover:underline">
                      {source.credentialName}
                    </Link>
                  ) : (
                    <Badge variant="warning">{t('sources.noCredential')}</Badge>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('sources.group')}</dt>
                <dd>
                  {source.scheduleGroupName ? (
                    <Link href="/schedule-groups" className="text-primary hover:underline">
                      {source.scheduleGroupName}
                    </Link>
                  ) : (
                    t('sources.noGroup')
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('common.createdAt')}</dt>
                <dd>{fmtDateTime(source.createdAt, locale)}</dd>
              </div>
              {/* What tells this vCenter apart from another source's (issue 16): set by its runs. */}
              <div className="col-span-2" data-testid="source-instance-uuid">
                <dt className="text-xs text-muted-foreground">{t('identity.instanceUuid')}</dt>
                <dd className="break-all font-mono text-xs">{source.instanceUuid ?? '—'}</dd>
              </div>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('sources.assets')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-3 gap-3 text-sm" data-testid="source-assets">
              {KINDS.map((k) => (
                <div key={k}>
                  <dt className="text-xs text-muted-foreground">{t(`kindPlural.${k}`)}</dt>
                  <dd>
                    <Link
                      href={`/assets?sourceId=${source.id}&kind=${k}`}
                      className="text-lg font-semibold text-primary hover:underline"
                    >
                      {assets[k]?.present ?? 0}
                    </Link>
                    {(assets[k]?.missing ?? 0) > 0 && (
                      <span className="ml-2 text-xs text-muted-foreground">
                        {t('sources.offlineCount', { n: assets[k]!.missing })}
                      </span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{t('sources.collections')}</CardTitle>
        </CardHeader>
        <CardContent>
          <Table className="text-xs" data-testid="source-modes">
            <TableHeader>
              <TableRow>
                <TableHead>{t('runs.mode')}</TableHead>
                <TableHead>{t('sources.latest')}</TableHead>
                <TableHead>{t('sources.lastSuccess')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {MODES.map((m) => {
                const r = source.latestRuns[m];
                const ok = lastOk[m];
                return (
                  <TableRow key={m} data-mode={m}>
                    <TableCell className="py-1">
                      <div className="font-medium">{t(`mode.${m}`)}</div>
                      <div className="text-muted-foreground">{t(`modeHelp.${m}`)}</div>
                    </TableCell>
                    <TableCell className="py-1">
                      {r ? (
                        <Link href={`/runs/${r.id}`} className="flex items-center gap-2 hover:underline">
                          <RunStatusBadge status={r.status} t={t} />
                          {fmtDateTime(r.finishedAt ?? r.createdAt, locale)}
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">{t('sources.notRun')}</span>
                      )}
                    </TableCell>
                    <TableCell className="py-1">
                      {ok ? (
                        <Link href={`/runs/${ok.runId}`} className="hover:underline">
                          {fmtDateTime(ok.finishedAt, locale)}{' '}
                          <span className="text-muted-foreground">
                            ({t('common.ago', { age: fmtAge(ok.finishedAt, locale) })})
                          </span>
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">{t('common.never')}</span>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <section>
        <h2 className="mb-2 text-sm font-semibold">
          <Link href={`/runs?sourceId=${source.id}`} className="hover:underline">
            {t('sources.recentRuns')}
          </Link>
        </h2>
        <Table className="text-xs">
          <TableHeader>
            <TableRow>
              <TableHead>{t('runs.mode')}</TableHead>
              <TableHead>{t('runs.status')}</TableHead>
              <TableHead>{t('runs.created')}</TableHead>
              <TableHead>{t('runs.duration')}</TableHead>
              <TableHead>{t('runs.outcome')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {recent.length === 0 && <TableEmptyRow colSpan={5}>{t('runs.noRuns')}</TableEmptyRow>}
            {recent.map((r) => {
              const c = runCounts(r.stats);
              return (
                <TableRow key={r.id}>
                  <TableCell className="py-1">
                    <Link href={`/runs/${r.id}`} className="text-primary hover:underline">
                      {translateOr(t, `mode.${r.mode}`, r.mode)}
                    </Link>
                  </TableCell>
                  <TableCell className="py-1">
                    <RunStatusBadge status={r.status} t={t} />
                  </TableCell>
                  <TableCell className="py-1">{fmtDateTime(r.createdAt, locale)}</TableCell>
                  <TableCell className="py-1">
                    {r.startedAt ? fmtDuration(r.startedAt, r.finishedAt, locale) : '—'}
                  </TableCell>
                  <TableCell className="py-1">
                    {r.status === 'succeeded' && c.new !== null
                      ? [
                          t('runs.count.new', { n: c.new }),
                          t('runs.count.changed', { n: c.changed ?? 0 }),
                          t('runs.count.missing', { n: c.missing ?? 0 }),
                        ].join(' · ')
                      : (r.errorCode ?? '')}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
