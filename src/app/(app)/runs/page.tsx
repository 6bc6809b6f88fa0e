import Link from 'next/link';
import { FilterSelect } from '@/components/filter-select';
import { PageHeader } from '@/components/app-shell';
import { AutoRefresh } from '@/components/auto-refresh';
import { fmtDateTime, fmtDuration } from '@/components/format';
import { Pager } from '@/components/pager';
import { errorHelpKey, helpWhat, primaryErrorCode } from '@/components/run-error';
import { RunProgress } from '@/components/run-progress';
import { RunStatusBadge } from '@/components/status-badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listRuns, RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from '@/server/runs';
import type { RunMode } from '@/collector/contract';

export const dynamic = 'force-dynamic';

const MODES: RunMode[] = ['collect_hosts', 'collect_vms', 'collect', 'detect', 'healthcheck'];
const PAGE = 50;

type Query = { sourceId?: string; status?: string; mode?: string; trigger?: string; offset?: string };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requirePageSession({ next: '/runs' });
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  const db = getDb();
  const offset = Math.max(0, Number(sp.offset) || 0);
  const sourceId = sp.sourceId && /^[0-9a-f-]{36}$/i.test(sp.sourceId) ? sp.sourceId : undefined;
  const status = RUN_STATUSES.includes(sp.status as RunStatus) ? (sp.status as RunStatus) : undefined;
  const mode = MODES.includes(sp.mode as RunMode) ? (sp.mode as RunMode) : undefined;
  const trigger = RUN_TRIGGERS.includes(sp.trigger as RunTrigger) ? (sp.trigger as RunTrigger) : undefined;
  const [page, sources, activeCount] = await Promise.all([
    listRuns(db, {
      sourceId,
      status: status ? [status] : undefined,
      mode: mode ? [mode] : undefined,
      trigger: trigger ? [trigger] : undefined,
      limit: PAGE,
      offset,
    }),
    db.execute<{ id: string; name: string }>(
      sql`select id, name from sources where deleted_at is null order by lower(name) limit 500`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from runs where status in ('queued', 'running')`),
  ]);
  const active =
    activeCount.rows[0]!.n > 0 || page.items.some((r) => r.status === 'queued' || r.status === 'running');
  const select = (
    name: keyof Query,
    label: string,
    options: { value: string; label: string }[],
    value?: string,
  ) => (
    <FilterSelect
      name={name}
      label={label}
      allLabel={t('common.all')}
      options={options}
      value={value}
      className="min-w-40"
    />
  );
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('runs.title')}>
        <AutoRefresh active={active} />
      </PageHeader>
      <form method="get" action="/runs" className="flex flex-wrap gap-3 rounded-lg border bg-card p-3">
        {select(
          'sourceId',
          t('runs.source'),
          sources.rows.map((s) => ({ value: s.id, label: s.name })),
          sourceId,
        )}
        {select(
          'status',
          t('runs.status'),
          RUN_STATUSES.map((s) => ({ value: s, label: t(`runStatus.${s}`) })),
          status,
        )}
        {select(
          'mode',
          t('runs.mode'),
          MODES.map((m) => ({ value: m, label: t(`mode.${m}`) })),
          mode,
        )}
        {select(
          'trigger',
          t('runs.trigger'),
          RUN_TRIGGERS.map((g) => ({ value: g, label: t(`trigger.${g}`) })),
          trigger,
        )}
        <div className="flex items-end gap-2">
          <Button type="submit" variant="secondary">
            {t('common.apply')}
          </Button>
          <Link href="/runs" className={buttonVariants({ variant: 'ghost' })}>
            {t('common.reset')}
          </Link>
        </div>
      </form>
      <Table data-testid="runs-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('runs.source')}</TableHead>
            <TableHead>{t('runs.mode')}</TableHead>
            <TableHead>{t('runs.status')}</TableHead>
            <TableHead>{t('runs.trigger')}</TableHead>
            <TableHead>{t('runs.created')}</TableHead>
            <TableHead>{t('runs.duration')}</TableHead>
            <TableHead>{t('runs.progress')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {page.items.length === 0 && (
            <TableRow>
              <TableCell colSpan={7} className="py-8 text-center text-muted-foreground">
                {t('runs.noRuns')}
              </TableCell>
            </TableRow>
          )}
          {page.items.map((r) => (
            <TableRow key={r.id} data-testid="run-row" data-mode={r.mode} data-status={r.status}>
              <TableCell className="font-medium">
                <Link href={`/runs/${r.id}`} className="text-primary hover:underline" data-testid="run-link">
                  {r.source_name ?? r.source_id}
                </Link>
              </TableCell>
              <TableCell>{translateOr(t, `mode.${r.mode}`, r.mode)}</TableCell>
              <TableCell>
                <RunStatusBadge status={r.status} t={t} />
              </TableCell>
              <TableCell>{translateOr(t, `trigger.${r.trigger}`, r.trigger)}</TableCell>
              <TableCell className="whitespace-nowrap text-xs">{fmtDateTime(r.created_at, locale)}</TableCell>
              <TableCell className="whitespace-nowrap text-xs">
                {r.started_at ? fmtDuration(r.started_at, r.finished_at) : '—'}
              </TableCell>
              <TableCell className="max-w-80">
                {r.status === 'running' ? (
                  <RunProgress progress={r.progress} t={t} />
                ) : r.status === 'failed' ? (
                  <span className="text-xs text-destructive">
                    {t(helpWhat(errorHelpKey(primaryErrorCode(r))))}
                  </span>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Pager
        basePath="/runs"
        query={{ sourceId, status, mode, trigger }}
        total={page.total}
        offset={offset}
        limit={PAGE}
        t={t}
      />
    </div>
  );
}
