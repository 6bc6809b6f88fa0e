import { PageHeader } from '@/components/app-shell';
import { fmtDateTime, fmtValue } from '@/components/format';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FilterChips } from '@/components/filter-chips';
import { ListFilters, type FilterDef } from '@/components/list-filters';
import { clampOffset, Pager } from '@/components/pager';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr, type Translate } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listAuditEvents } from '@/server/audit/events';
import { getAuditTargets, listAuditActors } from '@/server/audit/audit-targets';

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
];
const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** "Source updated", "更新数据源": an action in words, from its noun and verb; unknown parts as they are. */
function actionText(t: Translate, action: string): string {
  const [noun = '', verb = ''] = action.split('.');
  const whole = translateOr(t, `auditAction.${action.replace('.', '_')}`, '');
  if (whole) return whole;
  return t('auditAction.template', {
    noun: translateOr(t, `auditNoun.${noun}`, noun),
    verb: translateOr(t, `auditVerb.${verb}`, verb.replace(/_/g, ' ')),
  });
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ action?: string; outcome?: string; user?: string; day?: string; offset?: string }>;
}) {
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  await requirePageSession({ role: 'admin', next: '/audit' });
  const db = getDb();
  const requested = Math.max(0, Number(sp.offset) || 0);
  const action = sp.action && /^[a-z_]+\.?$/.test(sp.action) ? sp.action : undefined;
  const outcome = OUTCOMES.find((o) => o === sp.outcome);
  const user = sp.user && /^[0-9a-f-]{36}$/i.test(sp.user) ? sp.user : undefined;
  const day = sp.day && /^\d{4}-\d{2}-\d{2}$/.test(sp.day) ? sp.day : undefined;
  const [page, actors] = await Promise.all([
    listAuditEvents(
      db,
      {
        action: action ? (action.endsWith('.') ? action : `${action}.`) : undefined,
        outcome,
        actorUserId: user,
        since: day ? new Date(`${day}T00:00:00Z`) : undefined,
        until: day ? new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000) : undefined,
      },
      { limit: PAGE, offset: requested },
    ),
    listAuditActors(db),
  ]);
  const query = { action, outcome, user, day };
  const offset = clampOffset(requested, PAGE, page.total);
  if (offset !== requested) redirect('/audit');
  const rows = page.items as unknown as AuditRow[];
  const targets = await getAuditTargets(db, rows);
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
    { name: 'user', label: t('audit.actor'), options: actors.map((a) => ({ value: a.id, label: a.label })) },
  ];
  const chips = filters.flatMap((f) => {
    const v = query[f.name as keyof typeof query];
    return v
      ? [{ name: f.name, label: f.label, value: f.options.find((o) => o.value === v)?.label ?? v }]
      : [];
  });
  if (day) chips.push({ name: 'day', label: t('runs.day'), value: day });
  return (
    <div className="flex flex-col gap-2">
      <PageHeader title={t('audit.title')} />
      <ListFilters
        basePath="/audit"
        filters={filters}
        values={{ ...query, action: action && !action.endsWith('.') ? `${action}.` : action }}
        keep={{ day }}
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
            return (
              <TableRow key={e.id} data-action={e.action}>
                <TableCell className="whitespace-nowrap py-1">{fmtDateTime(e.ts, locale)}</TableCell>
                <TableCell className="py-1">{e.actorLabel ?? '—'}</TableCell>
                <TableCell className="py-1" title={e.action}>
                  {actionText(t, e.action)}
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
                <TableCell className="max-w-72 truncate py-1" title={fmtValue(e.details)}>
                  {e.details
                    ? Object.entries(e.details)
                        .map(([k, v]) => `${k}: ${fmtValue(v)}`)
                        .join(' · ')
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
