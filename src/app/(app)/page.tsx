import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { RunsBarChart } from '@/components/bar-chart';
import { fmtDateTime } from '@/components/format';
import { errorHelpKey, helpNext, helpWhat, primaryErrorCode } from '@/components/run-error';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { activeRunCount, assetCounts, failingSources, runsPerDay } from '@/server/dashboard';
import { setupProgress } from '@/server/dashboard/setup-progress';
import { listSourceNames } from '@/server/runs/run-origins';
import { listLastSuccesses } from '@/server/sources/get-source-overview';
import { CheckCircle2, Circle } from 'lucide-react';
import { fmtAge } from '@/components/format';

// A source whose last successful collection is older than this is highlighted as stale (daily schedules
// plus slack).
const STALE_HOURS = 26;

export const dynamic = 'force-dynamic';

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<{ forbidden?: string }>;
}) {
  const session = await requirePageSession({ next: '/' });
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  const db = getDb();
  const [counts, perDay, failing, active, setup, sources, successes] = await Promise.all([
    assetCounts(db),
    runsPerDay(db),
    failingSources(db),
    activeRunCount(db),
    setupProgress(db),
    listSourceNames(db),
    listLastSuccesses(db),
  ]);
  const isAdmin = session.user.role === 'admin';
  const steps = [
    { key: 'credential', done: setup.credentials > 0, href: '/credentials' },
    { key: 'source', done: setup.sources > 0, href: '/sources' },
    { key: 'group', done: setup.groups > 0, href: '/schedule-groups' },
    { key: 'run', done: setup.succeededRuns > 0, href: '/sources' },
  ] as const;
  // Per source: its most recent successful collection (any collect mode).
  const lastBySource = new Map<string, { runId: string; finishedAt: string }>();
  for (const x of successes) {
    const cur = lastBySource.get(x.sourceId);
    if (!cur || x.finishedAt > cur.finishedAt) lastBySource.set(x.sourceId, x);
  }
  const now = Date.now();
  const freshness = sources.map((src) => {
    const last = lastBySource.get(src.id) ?? null;
    const stale = !last || now - new Date(last.finishedAt).getTime() > STALE_HOURS * 3600_000;
    return { ...src, last, stale };
  });
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title={t('dashboard.title')}>
        {active > 0 && (
          <Link
            href="/runs?status=running"
            className="text-sm text-primary underline-offset-4 hover:underline"
          >
            {t('dashboard.activeRuns', { n: active })}
          </Link>
        )}
      </PageHeader>
      {sp.forbidden && (
        <Alert variant="destructive" data-testid="forbidden">
          <strong>{t('common.forbiddenTitle')}.</strong> {t('common.forbidden')}
        </Alert>
      )}
      {steps.some((x) => !x.done) && (
        <Card data-testid="getting-started">
          <CardHeader>
            <CardTitle>{t('dashboard.start.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="flex flex-col gap-2 text-sm">
              {steps.map((x, i) => (
                <li key={x.key} className="flex items-start gap-2" data-step={x.key} data-done={x.done}>
                  {x.done ? (
                    <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" />
                  ) : (
                    <Circle className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
                  )}
                  <span>
                    <span className="font-medium">
                      {i + 1}.{' '}
                      {isAdmin && !x.done ? (
                        <Link href={x.href} className="text-primary hover:underline">
                          {t(`dashboard.start.${x.key}`)}
                        </Link>
                      ) : (
                        t(`dashboard.start.${x.key}`)
                      )}
                    </span>
                    <span className="block text-xs text-muted-foreground">
                      {t(`dashboard.start.${x.key}Help`)}
                    </span>
                  </span>
                </li>
              ))}
            </ol>
            {!isAdmin && (
              <p className="mt-3 text-xs text-muted-foreground">{t('dashboard.start.askAdmin')}</p>
            )}
          </CardContent>
        </Card>
      )}
      <section aria-label={t('dashboard.inventory')} className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {(['host', 'cluster', 'vm'] as const).map((k) => (
          <Card key={k} data-testid={`count-${k}`}>
            <CardHeader>
              <CardTitle className="text-sm font-medium text-muted-foreground">
                {t(`kindPlural.${k}`)}
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Link
                href={`/assets?kind=${k}`}
                className="text-3xl font-semibold tabular-nums hover:underline"
                data-testid={`count-${k}-total`}
              >
                {counts[k]!.active + counts[k]!.offline}
              </Link>
              <p className="mt-1 text-sm text-muted-foreground">
                <Link href={`/assets?kind=${k}&status=active`} className="hover:underline">
                  {counts[k]!.active} {t('dashboard.active')}
                </Link>
                {' · '}
                <Link href={`/assets?kind=${k}&status=offline`} className="hover:underline">
                  {counts[k]!.offline} {t('dashboard.offline')}
                </Link>
              </p>
            </CardContent>
          </Card>
        ))}
      </section>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('dashboard.runs7d')}</CardTitle>
          </CardHeader>
          <CardContent>
            <RunsBarChart
              data={perDay}
              title={t('dashboard.chartLabel')}
              labels={{ succeeded: t('dashboard.succeeded'), failed: t('dashboard.failed') }}
            />
          </CardContent>
        </Card>
        <Card data-testid="failing-sources">
          <CardHeader>
            <CardTitle>{t('dashboard.failingSources')}</CardTitle>
          </CardHeader>
          <CardContent>
            {failing.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {setup.succeededRuns > 0 ? t('dashboard.noFailing') : t('dashboard.noRunsYet')}
              </p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t('runs.source')}</TableHead>
                    <TableHead>{t('runs.mode')}</TableHead>
                    <TableHead>{t('runs.reason')}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {failing.map((f) => {
                    const code = primaryErrorCode({ errors: f.errors, errorCode: f.error_code });
                    const k = errorHelpKey(code);
                    return (
                      <TableRow key={f.source_id}>
                        <TableCell className="font-medium">
                          <Link href={`/runs/${f.run_id}`} className="hover:underline">
                            {f.source_name}
                          </Link>
                          <div className="text-xs text-muted-foreground">
                            {fmtDateTime(f.finished_at, locale)}
                          </div>
                        </TableCell>
                        <TableCell>{translateOr(t, `mode.${f.mode}`, f.mode)}</TableCell>
                        <TableCell>
                          <p className="font-medium">{t(helpWhat(k))}</p>
                          <p className="text-xs text-muted-foreground">{t(helpNext(k))}</p>
                          {code && <code className="text-xs">{code}</code>}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
      {freshness.length > 0 && (
        <Card data-testid="source-freshness">
          <CardHeader>
            <CardTitle>{t('dashboard.lastCollections')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Table className="text-xs">
              <TableHeader>
                <TableRow>
                  <TableHead>{t('runs.source')}</TableHead>
                  <TableHead>{t('dashboard.lastSuccess')}</TableHead>
                  <TableHead>{t('dashboard.age')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {freshness.map((f) => (
                  <TableRow
                    key={f.id}
                    data-testid="freshness-row"
                    data-stale={f.stale}
                    className={f.stale ? 'bg-warning/10' : undefined}
                  >
                    <TableCell className="max-w-72 truncate py-1 font-medium" title={f.name}>
                      <Link
                        href={isAdmin ? `/sources/${f.id}` : `/runs?sourceId=${f.id}`}
                        className="hover:underline"
                      >
                        {f.name}
                      </Link>
                    </TableCell>
                    <TableCell className="py-1">
                      {f.last ? (
                        <Link href={`/runs/${f.last.runId}`} className="hover:underline">
                          {fmtDateTime(f.last.finishedAt, locale)}
                        </Link>
                      ) : (
                        t('common.never')
                      )}
                    </TableCell>
                    <TableCell className="py-1">
                      {f.last ? t('common.ago', { age: fmtAge(f.last.finishedAt, locale) }) : '—'}
                      {f.stale && (
                        <span className="ml-2 font-medium text-[oklch(0.45_0.12_75)]">
                          {t('dashboard.stale')}
                        </span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
