import { PageHeader } from '@/components/app-shell';
import { fmtInZone } from '@/components/format';
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
import { listGroups } from '@/server/schedule-groups/service';
import { listSources } from '@/server/sources/service';
import { DeleteButton } from '@/components/delete-button';
import { GroupDialog, RunGroupNow } from './group-forms';

export const dynamic = 'force-dynamic';

export default async function ScheduleGroupsPage() {
  await requirePageSession({ role: 'admin', next: '/schedule-groups' });
  const { t, locale } = await getTranslator();
  const db = getDb();
  const [groups, sources] = await Promise.all([
    listGroups(db, { limit: 500, offset: 0 }),
    listSources(db, { limit: 1000, offset: 0 }),
  ]);
  const options = sources.items.map((s) => ({ id: s.id, name: s.name, groupName: s.scheduleGroupName }));
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('groups.title')}>
        <GroupDialog sources={options} />
      </PageHeader>
      <Table data-testid="groups-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('common.name')}</TableHead>
            <TableHead>{t('groups.time')}</TableHead>
            <TableHead>{t('groups.nextFire')}</TableHead>
            <TableHead>{t('groups.members')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {groups.items.length === 0 && <TableEmptyRow colSpan={5}>{t('common.empty')}</TableEmptyRow>}
          {groups.items.map((g) => (
            <TableRow key={g.id} data-testid="group-row" data-name={g.name}>
              <TableCell className="max-w-56 align-top font-medium">
                {g.name}
                {!g.enabled && (
                  <Badge variant="warning" className="ml-2">
                    {t('common.disabled')}
                  </Badge>
                )}
              </TableCell>
              <TableCell className="align-top whitespace-nowrap">
                {g.cron ? <code className="text-xs">{g.cron}</code> : g.timeOfDay}
                <div className="text-xs text-muted-foreground">{g.timezone}</div>
              </TableCell>
              <TableCell className="align-top text-sm" data-testid="next-fire">
                {g.nextFireAt ? fmtInZone(g.nextFireAt, g.timezone, locale) : t('common.never')}
              </TableCell>
              <TableCell className="max-w-64 align-top text-sm">
                {g.sources.length ? g.sources.map((s) => s.name).join(', ') : '—'}
              </TableCell>
              <TableCell className="align-top">
                <div className="flex flex-col items-start gap-2">
                  <GroupDialog
                    sources={options}
                    group={{
                      id: g.id,
                      name: g.name,
                      enabled: g.enabled,
                      timezone: g.timezone,
                      timeOfDay: g.timeOfDay,
                      sourceIds: g.sources.map((s) => s.id),
                    }}
                  />
                  <RunGroupNow groupId={g.id} sources={g.sources} />
                  <DeleteButton thing="group" id={g.id} name={g.name} />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
