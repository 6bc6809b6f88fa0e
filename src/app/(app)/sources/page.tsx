import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { AutoRefresh } from '@/components/auto-refresh';
import { fmtDateTime } from '@/components/format';
import { RunStatusBadge } from '@/components/status-badge';
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
import { listCredentials } from '@/server/credentials/service';
import { listGroups } from '@/server/schedule-groups/service';
import { listSources } from '@/server/sources/service';
import { DeleteButton } from '@/components/delete-button';
import { RunMenu } from '@/components/run-menu';
import { SourceDialog, type SourceItem } from './source-forms';

export const dynamic = 'force-dynamic';

const SHOWN_MODES = ['collect_hosts', 'collect_vms', 'collect', 'detect', 'healthcheck'] as const;

export default async function SourcesPage() {
  await requirePageSession({ role: 'admin', next: '/sources' });
  const { t, locale } = await getTranslator();
  const db = getDb();
  const [sources, creds, groups] = await Promise.all([
    listSources(db, { limit: 500, offset: 0 }),
    listCredentials(db, { limit: 500, offset: 0 }),
    listGroups(db, { limit: 500, offset: 0 }),
  ]);
  const credOptions = creds.items.map((c) => ({ id: c.id, name: c.name }));
  const groupOptions = groups.items.map((g) => ({ id: g.id, name: g.name }));
  const active = sources.items.some((s) =>
    Object.values(s.latestRuns).some((r) => r && (r.status === 'queued' || r.status === 'running')),
  );
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('sources.title')}>
        <AutoRefresh active={active} />
        <SourceDialog credentials={credOptions} groups={groupOptions} />
      </PageHeader>
      <Table data-testid="sources-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('common.name')}</TableHead>
            <TableHead>{t('sources.credential')}</TableHead>
            <TableHead>{t('sources.latest')}</TableHead>
            <TableHead>{t('common.actions')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sources.items.length === 0 && <TableEmptyRow colSpan={4}>{t('common.empty')}</TableEmptyRow>}
          {sources.items.map((s) => {
            const item: SourceItem = {
              id: s.id,
              name: s.name,
              enabled: s.enabled,
              credentialId: s.credentialId,
              scheduleGroupId: s.scheduleGroupId,
              config: s.config as SourceItem['config'],
            };
            return (
              <TableRow key={s.id} id={`source-${s.id}`} data-testid="source-row" data-name={s.name}>
                <TableCell className="max-w-64 align-top">
                  <Link
                    href={`/sources/${s.id}`}
                    className="font-medium text-primary hover:underline"
                    data-testid="source-link"
                  >
                    {s.name}
                  </Link>
                  <div className="break-all text-xs text-muted-foreground">
                    {String(s.config.endpoint ?? '')}
                  </div>
                  <div className="mt-1 flex flex-wrap gap-1">
                    {!s.enabled && <Badge variant="warning">{t('common.disabled')}</Badge>}
                    <Badge variant="outline">{s.scheduleGroupName ?? t('sources.noGroup')}</Badge>
                  </div>
                </TableCell>
                <TableCell className="align-top">
                  {s.credentialName ?? (
                    <Badge
                      variant="warning"
                      data-testid="no-credential"
                      title={t('sources.noCredentialWarning')}
                    >
                      {t('sources.noCredential')}
                    </Badge>
                  )}
                </TableCell>
                <TableCell className="align-top">
                  <ul className="flex flex-col gap-1 text-xs">
                    {SHOWN_MODES.map((m) => {
                      const r = s.latestRuns[m];
                      if (!r && (m === 'collect' || m === 'detect' || m === 'healthcheck')) return null;
                      return (
                        <li key={m} className="flex flex-wrap items-center gap-2" data-mode={m}>
                          <span className="w-24 shrink-0 text-muted-foreground">{t(`mode.${m}`)}</span>
                          {r ? (
                            <Link href={`/runs/${r.id}`} className="flex items-center gap-2 hover:underline">
                              <RunStatusBadge status={r.status} t={t} />
                              <span>{fmtDateTime(r.finishedAt ?? r.createdAt, locale)}</span>
                            </Link>
                          ) : (
                            <span className="text-muted-foreground">{t('sources.notRun')}</span>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </TableCell>
                <TableCell className="align-top">
                  <div className="flex flex-wrap items-start gap-1">
                    <RunMenu sourceId={s.id} />
                    <SourceDialog source={item} credentials={credOptions} groups={groupOptions} />
                    <DeleteButton thing="source" id={s.id} name={s.name} />
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
