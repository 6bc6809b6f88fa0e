import { PageHeader } from '@/components/app-shell';
import { fmtDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listUsers } from '@/server/users/service';
import { ResetPassword, UserDialog } from './user-forms';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  await requirePageSession({ role: 'admin', next: '/users' });
  const { t, locale } = await getTranslator();
  const { items } = await listUsers(getDb(), { limit: 500, offset: 0 });
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('users.title')}>
        <UserDialog />
      </PageHeader>
      <Table data-testid="users-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('users.username')}</TableHead>
            <TableHead>{t('users.displayName')}</TableHead>
            <TableHead>{t('users.role')}</TableHead>
            <TableHead>{t('users.lastLogin')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((u) => (
            <TableRow key={u.id}>
              <TableCell className="font-medium">
                {u.username}
                {!u.enabled && (
                  <Badge variant="warning" className="ml-2">
                    {t('common.disabled')}
                  </Badge>
                )}
              </TableCell>
              <TableCell>{u.displayName ?? '—'}</TableCell>
              <TableCell>
                <Badge variant={u.role === 'admin' ? 'default' : 'secondary'}>
                  {t(`users.roles.${u.role}`)}
                </Badge>
              </TableCell>
              <TableCell className="text-xs">
                {u.lastLoginAt ? fmtDateTime(u.lastLoginAt, locale) : t('common.never')}
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-2">
                  <UserDialog
                    user={{
                      id: u.id,
                      username: u.username,
                      displayName: u.displayName,
                      role: u.role,
                      enabled: u.enabled,
                    }}
                  />
                  <ResetPassword userId={u.id} />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
