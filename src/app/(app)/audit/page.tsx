import { PageHeader } from '@/components/app-shell';
import { fmtDateTime, fmtValue } from '@/components/format';
import { Pager } from '@/components/pager';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listAuditEvents } from '@/server/audit/events';

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

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ action?: string; offset?: string }>;
}) {
  await requirePageSession({ role: 'admin', next: '/audit' });
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  const offset = Math.max(0, Number(sp.offset) || 0);
  const action = sp.action?.trim() || undefined;
  const page = await listAuditEvents(getDb(), { action }, { limit: PAGE, offset });
  const rows = page.items as unknown as AuditRow[];
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('audit.title')} />
      <form method="get" action="/audit" className="flex gap-2">
        <Input
          name="action"
          defaultValue={action ?? ''}
          placeholder="source.*"
          aria-label={t('audit.action')}
          className="max-w-xs"
        />
        <Button type="submit" variant="secondary">
          {t('common.apply')}
        </Button>
      </form>
      <Table data-testid="audit-table">
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
          {rows.map((e) => (
            <TableRow key={e.id}>
              <TableCell className="whitespace-nowrap text-xs">{fmtDateTime(e.ts, locale)}</TableCell>
              <TableCell>{e.actorLabel ?? '—'}</TableCell>
              <TableCell className="font-mono text-xs">{e.action}</TableCell>
              <TableCell>
                <Badge variant={e.outcome === 'success' ? 'success' : 'destructive'}>{e.outcome}</Badge>
              </TableCell>
              <TableCell className="text-xs">
                {e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}
              </TableCell>
              <TableCell className="text-xs">{e.ip ?? '—'}</TableCell>
              <TableCell className="max-w-72 truncate text-xs" title={fmtValue(e.details)}>
                {e.details ? fmtValue(e.details) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Pager basePath="/audit" query={{ action }} total={page.total} offset={offset} limit={PAGE} t={t} />
    </div>
  );
}
