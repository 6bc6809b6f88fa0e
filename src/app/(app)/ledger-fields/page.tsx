import { PageHeader } from '@/components/app-shell';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { optionLabel, type LedgerFieldView } from '@/components/ledger/types';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { ledgerFieldOut } from '@/server/ledger-fields/schemas';
import { ArchiveFieldButton, FieldDialog } from './field-forms';

export const dynamic = 'force-dynamic';

export default async function LedgerFieldsPage() {
  await requirePageSession({ role: 'admin', next: '/ledger-fields' });
  const { t, locale } = await getTranslator();
  const fields = (await listLedgerFields(getDb(), { includeArchived: true })).map(
    (f) => JSON.parse(JSON.stringify(ledgerFieldOut(f))) as LedgerFieldView,
  );
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('ledger.fieldsTitle')}>
        <FieldDialog />
      </PageHeader>
      <p className="text-sm text-muted-foreground">{t('ledger.fieldsHint')}</p>
      <Table data-testid="ledger-fields-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('ledger.key')}</TableHead>
            <TableHead>{t('common.name')}</TableHead>
            <TableHead>{t('ledger.type')}</TableHead>
            <TableHead>{t('ledger.kinds')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {fields.map((f) => (
            <TableRow key={f.key} data-testid="ledger-field-row" data-key={f.key}>
              <TableCell>
                <code>{f.key}</code>
                {f.builtin && (
                  <Badge variant="secondary" className="ml-2">
                    {t('ledger.builtin')}
                  </Badge>
                )}
                {f.unique && (
                  <Badge variant="secondary" className="ml-2">
                    {t('ledger.unique')}
                  </Badge>
                )}
                {f.archived && (
                  <Badge variant="warning" className="ml-2">
                    {t('ledger.archived')}
                  </Badge>
                )}
              </TableCell>
              <TableCell>{locale === 'zh-CN' ? f.label.zhCN : f.label.en}</TableCell>
              <TableCell>
                {t(`ledger.types.${f.type}`)}
                {f.type === 'enum' && (
                  <span className="ml-1 text-xs text-muted-foreground">
                    ({f.options.map((o) => optionLabel(t, f, o)).join(locale === 'zh-CN' ? '、' : ', ')})
                  </span>
                )}
              </TableCell>
              <TableCell>{f.kinds.map((k) => t(`kind.${k}`)).join(', ')}</TableCell>
              <TableCell className="flex gap-2">
                <FieldDialog field={f} />
                <ArchiveFieldButton field={f} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
