import { PageHeader } from '@/components/app-shell';
import { fmtDateTime } from '@/components/format';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FilterChips } from '@/components/filter-chips';
import { ListFilters, type FilterDef } from '@/components/list-filters';
import { clampOffset, Pager } from '@/components/pager';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { Download } from 'lucide-react';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listAuditEvents } from '@/server/audit/events';
import { getAuditTargets, listAuditActors } from '@/server/audit/audit-targets';
import { auditActionText, auditDetailRows, detailRefs } from '@/server/audit/describe';

export const dynamic = 'force-dynamic';

type AuditRow = {
  id: string;
  ts: Date;
  actorLabel: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};
const PAGE = 100;

const NOUNS = [
  'auth',
  'user',
  'credential',
  'source',
  'schedule_group',
  'token',
  'run',
  'record',
  'asset',
  'ledger_field',
  'ledger',
  'duplicate_candidate',
];
const OUTCOMES = ['success', 'failure', 'denied'] as const;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{
    action?: string;
    outcome?: string;
    user?: string;
    day?: string;
    from?: string;
    to?: string;
    offset?: string;
  }>;
}) {
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  await requirePageSession({ role: 'admin', next: '/audit' });
  const db = getDb();
  const requested = Math.max(0, Number(sp.offset) || 0);
  const action = sp.action && /^[a-z_]+\.?$/.test(sp.action) ? sp.action : undefined;
  const outcome = OUTCOMES.find((o) => o === sp.outcome);
  const user = sp.user && /^[0-9a-f-]{36}$/i.test(sp.user) ? sp.user : undefined;
  const isDay = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(Date.parse(v)) ? v : undefined);
  const day = isDay(sp.day);
  // A day is from..to the same day; from and to are whole UTC days, both included.
  const from = isDay(sp.from) ?? day;
  const to = isDay(sp.to) ?? day;
  const since = from ? new Date(`${from}T00:00:00Z`) : undefined;
  const until = to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) : undefined;
  const [page, actors] = await Promise.all([
    listAuditEvents(
      db,
      {
        action: action ? (action.endsWith('.') ? action : `${action}.`) : undefined,
        outcome,
        actorUserId: user,
        since,
        until,
      },
      { limit: PAGE, offset: requested },
    ),
    listAuditActors(db),
  ]);
  const query = { action, outcome, user, from, to };
  const offset = clampOffset(requested, PAGE, page.total);
  if (offset !== requested) redirect('/audit');
  const rows = page.items as unknown as AuditRow[];
  const targets = await getAuditTargets(db, [...rows, ...rows.flatMap((r) => detailRefs(r.details))]);
  const nameOf = (type: string, id: string) =>
    targets[`${type}:${id}`]?.name ??
    (type === 'run' ? `${t('auditNoun.run')} ${id.slice(0, 8)}` : undefined);
  // The export takes the same filters (the API's names) and the reader's language for its headers.
  const exportQuery = new URLSearchParams();
  if (action) exportQuery.set('action', action.endsWith('.') ? action : `${action}.`);
  if (outcome) exportQuery.set('outcome', outcome);
  if (user) exportQuery.set('actorUserId', user);
  if (since) exportQuery.set('since', since.toISOString());
  if (until) exportQuery.set('until', until.toISOString());
  exportQuery.set('lang', locale);
  const filters: FilterDef[] = [
    {
      name: 'action',
      label: t('audit.action'),
      options: NOUNS.map((n) => ({ value: `${n}.`, label: translateOr(t, `auditNoun.${n}`, n) })),
    },
    {
      name: 'outcome',
      label: t('audit.outcome'),
      options: OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) })),
    },
    {
      name: 'user',
      label: t('audit.actor'),
      options: actors.map((a) => ({ value: a.id, label: a.label })),
      // "操作者: 全部" and user names need more room than the other selects.
      width: 'min-w-36 max-w-56',
    },
  ];
  const chips = filters.flatMap((f) => {
    const v = query[f.name as keyof typeof query];
    return v
      ? [{ name: f.name, label: f.label, value: f.options.find((o) => o.value === v)?.label ?? v }]
      : [];
  });
  if (from) chips.push({ name: 'from', label: t('audit.from'), value: from });
  if (to) chips.push({ name: 'to', label: t('audit.to'), value: to });
  return (
    <div className="flex flex-col gap-2">
      <PageHeader title={t('audit.title')}>
        <a
          href={`/api/v1/exports/audit-events.csv?${exportQuery}`}
          className="inline-flex h-8 items-center gap-1 rounded-md border px-3 text-xs hover:bg-accent"
          data-testid="audit-export"
          download
        >
          <Download className="size-3.5" /> {t('audit.exportCsv')}
        </a>
      </PageHeader>
      <ListFilters
        basePath="/audit"
        filters={filters}
        values={{ ...query, action: action && !action.endsWith('.') ? `${action}.` : action }}
        dates={[
          { name: 'from', label: t('audit.from') },
          { name: 'to', label: t('audit.to') },
        ]}
        keep={{}}
        key={JSON.stringify(query)}
      />
      <FilterChips basePath="/audit" query={query} chips={chips} t={t} />
      <Table data-testid="audit-table" className="text-xs">
        <TableHeader>
          <TableRow>
            <TableHead>{t('audit.time')}</TableHead>
            <TableHead>{t('audit.actor')}</TableHead>
            <TableHead>{t('audit.action')}</TableHead>
            <TableHead>{t('audit.outcome')}</TableHead>
            <TableHead>{t('audit.target')}</TableHead>
            <TableHead>{t('audit.ip')}</TableHead>
            <TableHead>{t('common.details')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((e) => {
            const target = e.targetType && e.targetId ? targets[`${e.targetType}:${e.targetId}`] : undefined;
            const targetLabel =
              target?.name ??
              (e.targetType ? translateOr(t, `auditNoun.${e.targetType}`, e.targetType) : '—');
            const details = auditDetailRows(t, e.details, nameOf);
            return (
              <TableRow key={e.id} data-action={e.action}>
                <TableCell className="whitespace-nowrap py-1">{fmtDateTime(e.ts, locale)}</TableCell>
                <TableCell className="py-1">{e.actorLabel ?? '—'}</TableCell>
                <TableCell className="py-1" title={e.action}>
                  {auditActionText(t, e.action)}
                </TableCell>
                <TableCell className="py-1">
                  <Badge variant={e.outcome === 'success' ? 'success' : 'destructive'}>
                    {translateOr(t, `audit.outcomes.${e.outcome}`, e.outcome)}
                  </Badge>
                </TableCell>
                <TableCell className="max-w-56 truncate py-1" data-testid="audit-target">
                  {target?.href ? (
                    <Link href={target.href} className="text-primary hover:underline">
                      {targetLabel}
                    </Link>
                  ) : (
                    targetLabel
                  )}
                </TableCell>
                <TableCell className="py-1">{e.ip ?? '—'}</TableCell>
                <TableCell className="max-w-md py-1" data-testid="audit-details">
                  {details.length
                    ? details.map((d) => (
                        <div key={d.key} className="break-words" data-key={d.key}>
                          <span className="text-muted-foreground">{d.label}:</span>{' '}
                          {d.old !== undefined ? (
                            <>
                              <span data-testid="audit-old">{d.old}</span> →{' '}
                              <span data-testid="audit-new">{d.new}</span>
                            </>
                          ) : d.ref && targets[`${d.ref.type}:${d.ref.id}`]?.href ? (
                            <Link
                              href={targets[`${d.ref.type}:${d.ref.id}`]!.href!}
                              className="text-primary hover:underline"
                            >
                              {d.value}
                            </Link>
                          ) : (
                            d.value
                          )}
                        </div>
                      ))
                    : '—'}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Pager basePath="/audit" query={query} total={page.total} offset={offset} limit={PAGE} t={t} />
    </div>
  );
}
