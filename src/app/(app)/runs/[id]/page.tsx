import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CircleAlert, Lightbulb } from 'lucide-react';
import { PageHeader } from '@/components/app-shell';
import { AutoRefresh } from '@/components/auto-refresh';
import { fmtDateTime, fmtDuration, fmtValue } from '@/components/format';
import {
  duplicateOf,
  errorHelpKey,
  helpNext,
  helpWhat,
  primaryErrorCode,
  runErrorItems,
  thumbprintOf,
} from '@/components/run-error';
import { RunFieldWarnings, isFieldInvalid } from '@/components/run-field-warnings';
import { RunProgress } from '@/components/run-progress';
import { RunStatusBadge } from '@/components/status-badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { isAppError } from '@/lib/errors';
import { requirePageSession } from '@/server/auth/page';
import { getRun } from '@/server/runs';
import { toRunDto, type RunDto } from '@/server/runs/schemas';
import { retryState, runCounts } from '@/server/runs/run-counts';
import { getRunOrigins } from '@/server/runs/run-origins';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { CancelRunButton, RunAgainButton } from '@/components/run-menu';
import { buttonVariants } from '@/components/ui/button';
import { getSource } from '@/server/sources/service';
import { PinThumbprint } from './pin-thumbprint';

export const dynamic = 'force-dynamic';

function warningText(w: unknown): { code: string | null; message: string } {
  if (typeof w === 'string') return { code: null, message: w };
  if (w && typeof w === 'object') {
    const o = w as Record<string, unknown>;
    const extra = Object.entries(o)
      .filter(([k]) => k !== 'code' && k !== 'message')
      .map(([k, v]) => `${k}: ${fmtValue(v)}`)
      .join(', ');
    return {
      code: typeof o.code === 'string' ? o.code : null,
      message: [o.message, extra].filter(Boolean).join(' — '),
    };
  }
  return { code: null, message: fmtValue(w) };
}

export default async function RunDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requirePageSession({ next: `/runs/${id}` });
  const { t, locale } = await getTranslator();
  let run: RunDto;
  try {
    run = toRunDto(await getRun(getDb(), id));
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const active = run.status === 'queued' || run.status === 'running';
  const isAdmin = session.user.role === 'admin';
  const origin = (await getRunOrigins(getDb(), [run]))[run.id];
  const retry = retryState(run);
  const c = runCounts(run.stats);
  const errors = run.status === 'failed' || run.errors?.length ? runErrorItems(run) : [];
  const mainKey = errorHelpKey(primaryErrorCode(run));
  const attempts = (run.attempts ?? []) as Record<string, unknown>[];
  // Dropped values have their own section (grouped by field); the list below has the rest.
  const otherWarnings = (run.warnings ?? []).filter((w) => !isFieldInvalid(w));
  // Admins get a one-click "trust this certificate" when the plugin reported the server's thumbprint.
  const sourceConfig =
    session.user.role === 'admin' && errors.some((e) => thumbprintOf(e))
      ? await getSource(getDb(), run.sourceId)
          .then((s) => s.config)
          .catch(() => null)
      : null;
  const sourceName = run.sourceName ?? run.sourceId;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumbs
        items={[
          { label: t('runs.title'), href: '/runs' },
          {
            label: sourceName,
            href: isAdmin ? `/sources/${run.sourceId}` : `/runs?sourceId=${run.sourceId}`,
          },
          {
            label: `${translateOr(t, `mode.${run.mode}`, run.mode)} · ${fmtDateTime(run.createdAt, locale)}`,
          },
        ]}
      />
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            <span>{t('run.title', { source: run.sourceName ?? run.sourceId })}</span>
            <span className="text-base font-normal text-muted-foreground">
              {translateOr(t, `mode.${run.mode}`, run.mode)}
            </span>
            <RunStatusBadge status={run.status} t={t} />
          </span>
        }
      >
        <AutoRefresh active={active} />
        {isAdmin && run.status === 'failed' && (mainKey === 'auth' || mainKey === 'credential') && (
          <Link
            href="/credentials"
            className={buttonVariants({ variant: 'outline', size: 'sm' })}
            data-testid="edit-credential"
          >
            {t('run.editCredential')}
          </Link>
        )}
        {isAdmin &&
          run.status === 'failed' &&
          (mainKey === 'tls' || mainKey === 'network' || mainKey === 'credential') && (
            <Link
              href={`/sources/${run.sourceId}`}
              className={buttonVariants({ variant: 'outline', size: 'sm' })}
              data-testid="edit-source"
            >
              {t('run.editSource')}
            </Link>
          )}
        {isAdmin && !active && <RunAgainButton sourceId={run.sourceId} mode={run.mode} />}
        {isAdmin && active && <CancelRunButton runId={run.id} />}
      </PageHeader>

      {run.status === 'failed' && (
        <Card className="border-destructive/40" data-testid="run-failure">
          <CardHeader>
            <CardTitle className="flex items-center gap-2 text-destructive">
              <CircleAlert className="size-5" /> {t('run.errors')}
            </CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            <p className="font-medium" data-testid="failure-what">
              {t(helpWhat(mainKey))}
            </p>
            <p className="flex items-start gap-2 text-sm" data-testid="failure-next">
              <Lightbulb className="mt-0.5 size-4 shrink-0 text-warning" />
              <span>
                <span className="font-medium">{t('run.whatNext')}: </span>
                {t(helpNext(mainKey))}
              </span>
            </p>
            <ul className="flex flex-col gap-2">
              {errors.map((e, i) => {
                const tp = thumbprintOf(e);
                const dup = duplicateOf(e);
                const k = errorHelpKey(e.code);
                return (
                  <li key={i} className="rounded-md border bg-muted/40 p-3 text-sm">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="text-xs text-muted-foreground">{t('run.code')}:</span>
                      <code className="font-semibold" data-testid="error-code">
                        {e.code}
                      </code>
                      {k !== mainKey && <span className="text-xs">{t(helpWhat(k))}</span>}
                    </div>
                    {tp && (
                      <p className="mt-2 text-xs">
                        {t('errorHelp.thumbprint')}:{' '}
                        <code className="break-all" data-testid="thumbprint">
                          {tp}
                        </code>{' '}
                        {sourceConfig && (
                          <PinThumbprint sourceId={run.sourceId} config={sourceConfig} thumbprint={tp} />
                        )}
                      </p>
                    )}
                    {dup && (
                      <p className="mt-2 text-xs" data-testid="duplicate-of">
                        {t('identity.duplicateOf')}:{' '}
                        <Link className="font-medium underline" href={`/sources#source-${dup.id}`}>
                          {dup.name}
                        </Link>
                      </p>
                    )}
                    {e.message && (
                      <p className="mt-2 text-xs text-muted-foreground">
                        {t('run.technical')}: <span className="break-words">{e.message}</span>
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          </CardContent>
        </Card>
      )}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('run.timings')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div>
                <dt className="text-xs text-muted-foreground">{t('runs.created')}</dt>
                <dd>{fmtDateTime(run.createdAt, locale)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('runs.started')}</dt>
                <dd>{fmtDateTime(run.startedAt, locale)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('runs.finished')}</dt>
                <dd>{fmtDateTime(run.finishedAt, locale)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('runs.duration')}</dt>
                <dd data-testid="run-duration">
                  {run.startedAt ? fmtDuration(run.startedAt, run.finishedAt, locale) : '—'}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('runs.trigger')}</dt>
                <dd data-testid="run-origin">
                  {[
                    translateOr(t, `trigger.${run.trigger}`, run.trigger),
                    origin?.groupName ? t('runs.byGroup', { group: origin.groupName }) : null,
                    origin?.requestedByName,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('run.attempts')}</dt>
                <dd data-testid="run-attempts">
                  {retry === 'final'
                    ? t('run.attemptFinal', { n: run.attempt })
                    : retry === 'retrying'
                      ? t('run.attemptRetrying', {
                          n: run.attempt,
                          max: run.maxAttempts,
                          at: fmtDateTime(run.notBefore, locale),
                        })
                      : // A cancelled run is not retried: "of 3" would promise attempts that never come.
                        run.maxAttempts > 1 && run.status !== 'succeeded' && run.status !== 'cancelled'
                        ? t('runs.attempt', { n: run.attempt, max: run.maxAttempts })
                        : t('run.attemptN', { n: run.attempt })}
                </dd>
              </div>
              {active && (
                <div className="col-span-2">
                  <dt className="text-xs text-muted-foreground">{t('runs.progress')}</dt>
                  <dd>
                    <RunProgress progress={run.progress} t={t} />
                    <span className="text-xs text-muted-foreground">
                      {t('run.heartbeat')}: {fmtDateTime(run.heartbeatAt, locale)}
                    </span>
                  </dd>
                </div>
              )}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('run.counts')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-3 gap-3" data-testid="run-counts">
              {(
                [
                  ['new', c.new],
                  ['changed', c.changed],
                  ['unchanged', c.unchanged],
                  ['missing', c.missing],
                  ['assets', c.assets],
                  ['relations', c.relations],
                ] as const
              ).map(([k, n]) => (
                <div key={k} data-count={k}>
                  <dt className="text-xs text-muted-foreground">{t(`run.${k}`)}</dt>
                  <dd className="text-2xl font-semibold tabular-nums">{n ?? '—'}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>

      <RunFieldWarnings warnings={run.warnings} t={t} locale={locale} />

      <Card>
        <CardHeader>
          <CardTitle>
            {t('run.warnings')} ({otherWarnings.length})
          </CardTitle>
        </CardHeader>
        <CardContent>
          {!otherWarnings.length ? (
            <p className="text-sm text-muted-foreground">{t('run.noWarnings')}</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm" data-testid="run-warnings">
              {otherWarnings.slice(0, 200).map((w, i) => {
                const x = warningText(w);
                return (
                  <li key={i}>
                    {x.code && <code className="mr-2 text-xs">{x.code}</code>}
                    {x.message}
                  </li>
                );
              })}
            </ul>
          )}
        </CardContent>
      </Card>

      {run.detect && Object.keys(run.detect).length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>{t('run.detect')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-3 text-sm lg:grid-cols-4" data-testid="run-detect">
              {Object.entries(run.detect).map(([k, v]) => (
                <div key={k} data-key={k}>
                  <dt className="text-xs text-muted-foreground">
                    {translateOr(t, `run.detectField.${k}`, k)}
                  </dt>
                  <dd>{fmtValue(v)}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      )}

      {attempts.length > 1 && (
        <Card>
          <CardHeader>
            <CardTitle>{t('run.attempts')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>#</TableHead>
                  <TableHead>{t('runs.started')}</TableHead>
                  <TableHead>{t('runs.finished')}</TableHead>
                  <TableHead>{t('run.code')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {attempts.map((a, i) => (
                  <TableRow key={i}>
                    <TableCell>{fmtValue(a.attempt)}</TableCell>
                    <TableCell className="text-xs">{fmtDateTime(a.startedAt as string, locale)}</TableCell>
                    <TableCell className="text-xs">{fmtDateTime(a.finishedAt as string, locale)}</TableCell>
                    <TableCell className="text-xs">
                      {fmtValue(a.errorCode)} {a.errorMessage ? `— ${String(a.errorMessage)}` : ''}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <Link href={`/runs?sourceId=${run.sourceId}`} className="text-sm text-primary hover:underline">
        ← {t('runs.title')}
      </Link>
    </div>
  );
}
