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

export const dynamic = 'force-dynamic';

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<{ forbidden?: string }>;
}) {
  await requirePageSession({ next: '/' });
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  const db = getDb();
  const [counts, perDay, failing, active] = await Promise.all([
    assetCounts(db),
    runsPerDay(db),
    failingSources(db),
    activeRunCount(db),
  ]);
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
              <p className="text-sm text-muted-foreground">{t('dashboard.noFailing')}</p>
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
                    const code = primaryErrorCode(f);
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
    </div>
  );
}
