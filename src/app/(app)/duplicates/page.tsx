import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { FilterChips } from '@/components/filter-chips';
import { fmtDateTime } from '@/components/format';
import { LinkTabs } from '@/components/link-tabs';
import { ListFilters, type FilterDef } from '@/components/list-filters';
import { clampOffset, Pager } from '@/components/pager';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { listDuplicateCandidates } from '@/server/identity/list-duplicate-candidates';
import { CANDIDATE_STATUSES } from '@/server/identity/schemas';
import { CandidateAssetCell, ruleLabel, ScoreBadge, type CandidateView } from './candidate-parts';

export const dynamic = 'force-dynamic';

const PAGE = 50;
const KINDS = ['vm', 'host'] as const;
// The scores the rules give (DESIGN §8b): 100 same UUID or serial, 90 MAC overlap, 70 name + IP or mgmt IP.
const MIN_SCORES = ['100', '90', '70'];
type Status = (typeof CANDIDATE_STATUSES)[number];
const STATUS_LABEL = { open: 'statusOpen', ignored: 'statusIgnored', merged: 'statusMerged' } as const;

export default async function DuplicatesPage({
  searchParams,
}: {
  searchParams: Promise<{ kind?: string; minScore?: string; status?: string; offset?: string }>;
}) {
  const [{ t, locale }, sp] = await Promise.all([getTranslator(), searchParams]);
  await requirePageSession({ next: '/duplicates' });
  const kind = (KINDS as readonly string[]).includes(sp.kind ?? '') ? sp.kind : undefined;
  const minScore = MIN_SCORES.includes(sp.minScore ?? '') ? sp.minScore : undefined;
  const status: Status = (CANDIDATE_STATUSES as readonly string[]).includes(sp.status ?? '')
    ? (sp.status as Status)
    : 'open';
  const requested = Math.max(0, Number(sp.offset) || 0);
  const page = await listDuplicateCandidates(getDb(), {
    kind,
    minScore: minScore ? Number(minScore) : undefined,
    status,
    limit: PAGE,
    offset: requested,
  });
  const offset = clampOffset(requested, PAGE, page.total);
  const query = { kind, minScore, status: status === 'open' ? undefined : status };
  const qs = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams(
      Object.entries({ ...query, ...extra }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return p.size ? `/duplicates?${p}` : '/duplicates';
  };
  const filters: FilterDef[] = [
    {
      name: 'kind',
      label: t('identity.kind'),
      options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
    },
    {
      name: 'minScore',
      // "Score: ≥ 90" — the long label does not fit the filter's width.
      label: t('identity.score'),
      options: MIN_SCORES.map((s) => ({ value: s, label: `≥ ${s}` })),
    },
  ];
  const chips = filters.flatMap((f) => {
    const v = query[f.name as 'kind' | 'minScore'];
    return v
      ? [{ name: f.name, label: f.label, value: f.options.find((o) => o.value === v)?.label ?? v }]
      : [];
  });
  const items = page.items as unknown as CandidateView[];
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('identity.duplicatesTitle')} />
      <p className="-mt-3 max-w-3xl text-sm text-muted-foreground">{t('identity.duplicatesIntro')}</p>
      <div className="flex flex-wrap items-center gap-3">
        <LinkTabs
          active={status}
          hrefFor={(id) => qs({ status: id === 'open' ? undefined : id, offset: undefined })}
          tabs={CANDIDATE_STATUSES.map((s) => ({ id: s, label: t(`identity.${STATUS_LABEL[s]}`) }))}
        />
        <ListFilters
          basePath="/duplicates"
          filters={filters}
          values={query}
          keep={{ status: query.status }}
          key={JSON.stringify(query)}
        />
        <span className="text-xs text-muted-foreground" data-testid="candidate-total">
          {t('identity.candidates', { n: page.total })}
        </span>
      </div>
      <FilterChips basePath="/duplicates" query={query} chips={chips} t={t} />
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="no-candidates">
          {t('identity.noCandidates')}
        </p>
      ) : (
        <Table data-testid="candidates" className="text-xs">
          <TableHeader>
            <TableRow>
              <TableHead className="w-16">{t('identity.score')}</TableHead>
              <TableHead className="w-24">{t('identity.kind')}</TableHead>
              <TableHead>{t('identity.assetA')}</TableHead>
              <TableHead>{t('identity.assetB')}</TableHead>
              <TableHead>{t('identity.evidence')}</TableHead>
              <TableHead className="w-36">
                {status === 'open' ? t('identity.detectedAt') : t('identity.decidedAt')}
              </TableHead>
              <TableHead className="w-20" />
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((c) => (
              <TableRow key={c.id} data-testid="candidate-row" data-candidate={c.id}>
                <TableCell>
                  <ScoreBadge score={c.score} />
                </TableCell>
                <TableCell>{translateOr(t, `kind.${c.kind}`, c.kind)}</TableCell>
                <TableCell>
                  <CandidateAssetCell asset={c.assetA} t={t} />
                </TableCell>
                <TableCell>
                  <CandidateAssetCell asset={c.assetB} t={t} />
                </TableCell>
                <TableCell>
                  <ul className="flex flex-wrap gap-1">
                    {c.evidence.map((e) => (
                      <li key={e.rule}>
                        <Badge variant="outline" data-rule={e.rule}>
                          {ruleLabel(t, e.rule)} · {e.score}
                        </Badge>
                      </li>
                    ))}
                  </ul>
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  {fmtDateTime(status === 'open' ? c.createdAt : c.resolvedAt, locale)}
                </TableCell>
                <TableCell>
                  <Link
                    href={`/duplicates/${c.id}`}
                    className="text-primary hover:underline"
                    data-testid="candidate-open"
                  >
                    {t('identity.compare')}
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {page.total > 0 && (
        <Pager basePath="/duplicates" query={query} total={page.total} offset={offset} limit={PAGE} t={t} />
      )}
    </div>
  );
}
