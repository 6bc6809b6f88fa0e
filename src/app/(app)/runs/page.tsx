import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FilterChips } from '@/components/filter-chips';
import { ListFilters, type FilterDef } from '@/components/list-filters';
import { PageHeader } from '@/components/app-shell';
import { AutoRefresh } from '@/components/auto-refresh';
import { fmtDateTime, fmtDuration } from '@/components/format';
import { clampOffset, Pager } from '@/components/pager';
import { errorHelpKey, helpWhat, primaryErrorCode } from '@/components/run-error';
import { RunProgress } from '@/components/run-progress';
import { RunStatusBadge } from '@/components/status-badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr, type Translate } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listRuns, RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from '@/server/runs';
import type { RunMode } from '@/collector/contract';
import { runCounts } from '@/server/runs/run-counts';
import { toRunDto } from '@/server/runs/schemas';
import { countActiveRuns, getRunOrigins, listSourceNames, type RunOrigin } from '@/server/runs/run-origins';

export const dynamic = 'force-dynamic';

const MODES: RunMode[] = ['collect_hosts', 'collect_vms', 'collect', 'detect', 'healthcheck'];
const PAGE = 50;

type Query = {
  sourceId?: string;
  status?: string;
  mode?: string;
  trigger?: string;
  day?: string;
  offset?: string;
};

/** "Manual · admin", "Group “Nightly” · admin", "Schedule · group “Nightly”": who or what started it. */
function originText(t: Translate, trigger: string, o: RunOrigin | undefined): string {
  const how = translateOr(t, `trigger.${trigger}`, trigger);
  const group = o?.groupName ? t('runs.byGroup', { group: o.groupName }) : null;
  const who = o?.requestedByName ? t('runs.byUser', { user: o.requestedByName }) : null;
  return [trigger === 'schedule' ? how : group ? group : how, who, trigger === 'schedule' ? null : null]
    .filter(Boolean)
    .join(' · ');
}

/** "+3 new · 2 changed · 120 unchanged · 1 offline" for a finished run, compact. */
function CountsCell({ stats, t }: { stats: Record<string, unknown> | null; t: Translate }) {
  const c = runCounts(stats);
  const parts = (
    [
      ['new', c.new],
      ['changed', c.changed],
      ['unchanged', c.unchanged],
      ['missing', c.missing],
    ] as const
  ).filter(([, n]) => n !== null);
  if (!parts.length) return null;
  return (
    <span className="flex flex-wrap gap-x-2 text-xs" data-testid="run-counts">
      {parts.map(([k, n]) => (
        <span key={k} data-count={k} className={k === 'unchanged' ? 'text-muted-foreground' : undefined}>
          {t(`runs.count.${k}`, { n: n! })}
        </span>
      ))}
    </span>
  );
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<Query> }) {
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  const here = new URLSearchParams(
    Object.entries(sp).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ).toString();
  await requirePageSession({ next: here ? `/runs?${here}` : '/runs' });
  const db = getDb();
  const requested = Math.max(0, Number(sp.offset) || 0);
  const sourceId = sp.sourceId && /^[0-9a-f-]{36}$/i.test(sp.sourceId) ? sp.sourceId : undefined;
  const status = RUN_STATUSES.includes(sp.status as RunStatus) ? (sp.status as RunStatus) : undefined;
  const mode = MODES.includes(sp.mode as RunMode) ? (sp.mode as RunMode) : undefined;
  const trigger = RUN_TRIGGERS.includes(sp.trigger as RunTrigger) ? (sp.trigger as RunTrigger) : undefined;
  const day = sp.day && /^\d{4}-\d{2}-\d{2}$/.test(sp.day) ? sp.day : undefined;
  const [page, sources, activeCount] = await Promise.all([
    listRuns(db, {
      sourceId,
      status: status ? [status] : undefined,
      mode: mode ? [mode] : undefined,
      trigger: trigger ? [trigger] : undefined,
      createdFrom: day ? `${day}T00:00:00.000Z` : undefined,
      createdTo: day ? `${day}T23:59:59.999Z` : undefined,
      limit: PAGE,
      offset: requested,
    }).then((p) => ({ ...p, items: p.items.map(toRunDto) })),
    listSourceNames(db),
    countActiveRuns(db),
  ]);
  const query = { sourceId, status, mode, trigger, day };
  const offset = clampOffset(requested, PAGE, page.total);
  if (offset !== requested) {
    const p = new URLSearchParams(
      Object.entries({ ...query, offset: offset ? String(offset) : undefined }).filter(
        (e): e is [string, string] => Boolean(e[1]),
      ),
    );
    redirect(p.size ? `/runs?${p}` : '/runs');
  }
  const origins = await getRunOrigins(db, page.items);
  const active = activeCount > 0 || page.items.some((r) => r.status === 'queued' || r.status === 'running');
  const filters: FilterDef[] = [
    {
      name: 'sourceId',
      label: t('runs.source'),
      options: sources.map((s) => ({ value: s.id, label: s.name })),
    },
    {
      name: 'status',
      label: t('runs.status'),
      options: RUN_STATUSES.map((s) => ({ value: s, label: t(`runStatus.${s}`) })),
    },
    { name: 'mode', label: t('runs.mode'), options: MODES.map((m) => ({ value: m, label: t(`mode.${m}`) })) },
    {
      name: 'trigger',
      label: t('runs.trigger'),
      options: RUN_TRIGGERS.map((g) => ({ value: g, label: t(`trigger.${g}`) })),
    },
  ];
  const chips = [
    ...filters.flatMap((f) => {
      const v = query[f.name as keyof typeof query];
      return v
        ? [{ name: f.name, label: f.label, value: f.options.find((o) => o.value === v)?.label ?? v }]
        : [];
    }),
    ...(day ? [{ name: 'day', label: t('runs.day'), value: day }] : []),
  ];
  return (
    <div className="flex flex-col gap-2">
      <PageHeader title={t('runs.title')}>
        <AutoRefresh active={active} />
      </PageHeader>
      <ListFilters
        basePath="/runs"
        filters={filters}
        values={query}
        keep={{ day }}
        key={JSON.stringify(query)}
      />
      <FilterChips basePath="/runs" query={query} chips={chips} t={t} />
      <Table data-testid="runs-table" className="text-xs">
        <TableHeader>
          <TableRow>
            <TableHead>{t('runs.source')}</TableHead>
            <TableHead>{t('runs.mode')}</TableHead>
            <TableHead>{t('runs.status')}</TableHead>
            <TableHead>{t('runs.startedBy')}</TableHead>
            <TableHead>{t('runs.created')}</TableHead>
            <TableHead>{t('runs.duration')}</TableHead>
            <TableHead>{t('runs.outcome')}</TableHead>
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
              <TableCell className="max-w-64 truncate py-1 font-medium" title={r.sourceName ?? r.sourceId}>
                <Link href={`/runs/${r.id}`} className="text-primary hover:underline" data-testid="run-link">
                  {r.sourceName ?? r.sourceId}
                </Link>
              </TableCell>
              <TableCell className="whitespace-nowrap py-1">
                {translateOr(t, `mode.${r.mode}`, r.mode)}
              </TableCell>
              <TableCell className="py-1">
                <RunStatusBadge status={r.status} t={t} />
              </TableCell>
              <TableCell className="max-w-48 truncate py-1" data-testid="run-origin">
                {originText(t, r.trigger, origins[r.id])}
              </TableCell>
              <TableCell className="whitespace-nowrap py-1">{fmtDateTime(r.createdAt, locale)}</TableCell>
              <TableCell className="whitespace-nowrap py-1">
                {r.startedAt ? fmtDuration(r.startedAt, r.finishedAt, locale) : '—'}
              </TableCell>
              <TableCell className="max-w-80 py-1">
                {r.status === 'running' ? (
                  <RunProgress progress={r.progress} t={t} />
                ) : r.status === 'failed' ? (
                  <span className="text-destructive">{t(helpWhat(errorHelpKey(primaryErrorCode(r))))}</span>
                ) : r.status === 'succeeded' ? (
                  <CountsCell stats={r.stats} t={t} />
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Pager basePath="/runs" query={query} total={page.total} offset={offset} limit={PAGE} t={t} />
    </div>
  );
}
