import { PageHeader } from '@/components/app-shell';
import { fmtDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
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
import { listTokens } from '@/server/tokens/service';
import { CreateToken, RevokeToken } from './token-forms';

export const dynamic = 'force-dynamic';

// Every user's tokens, so an admin can revoke any; new tokens are created for the signed-in admin.
export default async function TokensPage() {
  await requirePageSession({ role: 'admin', next: '/tokens' });
  const { t, locale } = await getTranslator();
  const { items } = await listTokens(getDb(), null, { limit: 500, offset: 0 });
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('tokens.title')}>
        <CreateToken />
      </PageHeader>
      <Table data-testid="tokens-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('common.name')}</TableHead>
            <TableHead>{t('tokens.owner')}</TableHead>
            <TableHead>{t('tokens.prefix')}</TableHead>
            <TableHead>{t('common.createdAt')}</TableHead>
            <TableHead>{t('tokens.lastUsed')}</TableHead>
            <TableHead>{t('tokens.expires')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.length === 0 && <TableEmptyRow colSpan={7}>{t('common.empty')}</TableEmptyRow>}
          {items.map((k) => (
            <TableRow key={k.id}>
              <TableCell className="font-medium">{k.name}</TableCell>
              <TableCell>{k.username}</TableCell>
              <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
              <TableCell className="text-xs">{fmtDateTime(k.createdAt, locale)}</TableCell>
              <TableCell className="text-xs">
                {k.lastUsedAt ? fmtDateTime(k.lastUsedAt, locale) : t('common.never')}
              </TableCell>
              <TableCell className="text-xs">
                {k.expiresAt ? fmtDateTime(k.expiresAt, locale) : t('common.never')}
              </TableCell>
              <TableCell>
                {k.revokedAt ? (
                  <Badge variant="secondary">{t('tokens.revoked')}</Badge>
                ) : (
                  <RevokeToken id={k.id} />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
