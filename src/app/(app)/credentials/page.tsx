import { DeleteButton } from '@/components/delete-button';
import { PageHeader } from '@/components/app-shell';
import { fmtDateTime } from '@/components/format';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  TableEmptyRow,
} from '@/components/ui/table';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listCredentials } from '@/server/credentials/service';
import { CredentialDialog } from './credential-forms';

export const dynamic = 'force-dynamic';

export default async function CredentialsPage() {
  await requirePageSession({ role: 'admin', next: '/credentials' });
  const { t, locale } = await getTranslator();
  const { items } = await listCredentials(getDb(), { limit: 500, offset: 0 });
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('credentials.title')}>
        <CredentialDialog />
      </PageHeader>
      <p className="text-sm text-muted-foreground">{t('credentials.writeOnly')}</p>
      <Table data-testid="credentials-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('common.name')}</TableHead>
            <TableHead>{t('credentials.username')}</TableHead>
            <TableHead>{t('credentials.usedBy')}</TableHead>
            <TableHead>{t('common.updatedAt')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.length === 0 && <TableEmptyRow colSpan={5}>{t('common.empty')}</TableEmptyRow>}
          {items.map((c) => {
            const username = typeof c.publicData?.username === 'string' ? c.publicData.username : '';
            return (
              <TableRow key={c.id}>
                <TableCell className="font-medium">{c.name}</TableCell>
                <TableCell>{username || '—'}</TableCell>
                <TableCell>{c.usedBySources}</TableCell>
                <TableCell className="text-xs">{fmtDateTime(c.updatedAt, locale)}</TableCell>
                <TableCell>
                  <div className="flex items-center gap-1">
                    <CredentialDialog credential={{ id: c.id, name: c.name, username }} />
                    <DeleteButton thing="credential" id={c.id} name={c.name} />
                  </div>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
