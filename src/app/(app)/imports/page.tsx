import { PageHeader } from '@/components/app-shell';
import { fmtDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listImports } from '@/server/imports/run-import';
import { ledgerFieldDefs } from '@/server/ledger-fields/field-defs';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { ImportForm } from './import-form';

export const dynamic = 'force-dynamic';

type ImportItem = {
  id: string;
  createdAt: Date;
  createdBy: string | null;
  fileName: string | null;
  summary: Record<string, number>;
};

export default async function ImportPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const { id } = await searchParams;
  await requirePageSession({ role: 'editor', next: id ? `/imports?id=${id}` : '/imports' });
  const { t, locale } = await getTranslator();
  const db = getDb();
  const [fields, recent] = await Promise.all([
    listLedgerFields(db, { includeArchived: true }),
    listImports(db, { limit: 20, offset: 0, id: id && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined }),
  ]);
  const items = recent.items as ImportItem[];
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('ledger.importTitle')} />
      <p className="max-w-3xl text-sm text-muted-foreground">{t('ledger.importHint')}</p>
      {/* Dictionary entries (labels, translated options) for the preview's changes: plain data. */}
      <ImportForm fields={ledgerFieldDefs(fields)} />
      {items.length > 0 && (
        <section className="flex flex-col gap-2" data-testid="recent-imports">
          <h2 className="text-sm font-medium">{t('ledger.recentImports')}</h2>
          <Table className="text-xs">
            <TableHeader>
              <TableRow>
                <TableHead className="h-7 px-2">{t('ledger.importedAt')}</TableHead>
                <TableHead className="h-7 px-2">{t('ledger.file')}</TableHead>
                <TableHead className="h-7 px-2">{t('ledger.importedBy')}</TableHead>
                <TableHead className="h-7 px-2">{t('ledger.result')}</TableHead>
                <TableHead className="h-7 px-2" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((i) => {
                const s: Record<string, number> = {
                  ...{ rows: 0, matched: 0, changed: 0, unmatched: 0, ambiguous: 0, invalid: 0, applied: 0 },
                  ...i.summary,
                };
                return (
                  <TableRow
                    key={i.id}
                    id={`import-${i.id}`}
                    data-testid="recent-import"
                    data-current={i.id === id ? 'true' : undefined}
                    className={i.id === id ? 'bg-primary/10' : undefined}
                  >
                    <TableCell className="whitespace-nowrap px-2 py-1">
                      {fmtDateTime(i.createdAt, locale)}
                    </TableCell>
                    <TableCell className="max-w-64 truncate px-2 py-1" title={i.fileName ?? ''}>
                      {i.fileName ?? '—'}
                    </TableCell>
                    <TableCell className="px-2 py-1">{i.createdBy ?? '—'}</TableCell>
                    <TableCell className="px-2 py-1">
                      {s.rejected ? (
                        <Badge variant="warning">{t('ledger.rejected', { n: s.invalid })}</Badge>
                      ) : (
                        <span>
                          {t('ledger.applied', { n: s.applied })} {t('ledger.summary', s)}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap px-2 py-1">
                      <a
                        href={`/api/v1/imports/ledger/${i.id}/report`}
                        className="text-primary hover:underline"
                        data-testid="recent-import-report"
                      >
                        {t('ledger.report')}
                      </a>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </section>
      )}
    </div>
  );
}
