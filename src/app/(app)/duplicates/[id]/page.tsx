import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { fmtDateTime } from '@/components/format';
import { AssetStatusBadge } from '@/components/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDb } from '@/db/client';
import { translateOr } from '@/i18n';
import { getTranslator } from '@/i18n/server';
import { isAppError } from '@/lib/errors';
import { roleAllows } from '@/server/auth/session';
import { requirePageSession } from '@/server/auth/page';
import { normalizedOf } from '@/server/assets/canonical-view';
import { fieldByKey, formatField, readField } from '@/server/fields/dictionary';
import { ledgerFieldDefs } from '@/server/ledger-fields/field-defs';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { getDuplicateCandidate } from '@/server/identity/list-duplicate-candidates';
import { ruleLabel, ScoreBadge, type CandidateView } from '../candidate-parts';
import { CandidateActions } from './candidate-actions';

export const dynamic = 'force-dynamic';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The facts that tell two machines apart, by dictionary key, per kind.
const FACTS: Record<string, string[]> = {
  vm: [
    'hostname',
    'ipAddresses',
    'macAddresses',
    'osName',
    'cpu',
    'memoryBytes',
    'powerState',
    'datacenter',
    'clusterName',
  ],
  host: ['serialNumber', 'vendor', 'model', 'managementIp', 'osVersion', 'cpu', 'memoryBytes', 'datacenter'],
  cluster: ['datacenter', 'cpuCount', 'memoryBytes'],
};

type Detail = {
  uuid: string;
  name: string | null;
  status: string;
  hostName: string | null;
  clusterName: string | null;
  ipAddresses: string[];
  macAddresses: string[];
  serialNumber: string | null;
  hostname: string | null;
  lastSeenAt: Date | null;
  canonical: Record<string, unknown>;
  ledger: Record<string, unknown>;
  links: {
    id: string;
    sourceId: string;
    sourceName: string;
    externalKind: string;
    externalId: string;
    presence: string;
    firstSeenAt: Date;
    lastSeenAt: Date;
  }[];
};

export default async function DuplicateDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requirePageSession({ next: `/duplicates/${id}` });
  const { t, locale } = await getTranslator();
  if (!UUID_RE.test(id)) notFound();
  const db = getDb();
  let cand: CandidateView & { assets: Detail[] };
  try {
    cand = (await getDuplicateCandidate(db, id)) as unknown as CandidateView & { assets: Detail[] };
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const ledgerDefs = ledgerFieldDefs(await listLedgerFields(db));
  const [a, b] = cand.assets as [Detail, Detail];
  const canEdit = roleAllows(session.user.role, 'editor');
  const own = (d: Detail, key: string): unknown =>
    key === 'hostname'
      ? d.hostname
      : key === 'ipAddresses'
        ? d.ipAddresses
        : key === 'macAddresses'
          ? d.macAddresses
          : key === 'serialNumber'
            ? d.serialNumber
            : key === 'clusterName'
              ? d.clusterName
              : readField(fieldByKey(key)!, normalizedOf(d.canonical));
  const rows = [
    ...(FACTS[cand.kind] ?? []).map((key) => {
      const def = fieldByKey(key)!;
      return {
        key,
        label: def.label[locale],
        values: [a, b].map((d) => formatField(def, own(d, key), locale)),
      };
    }),
    ...(cand.kind === 'vm'
      ? [{ key: 'hostName', label: t('asset.s.runsOn'), values: [a.hostName ?? '—', b.hostName ?? '—'] }]
      : []),
    ...ledgerDefs
      .filter((d) => a.ledger[d.key.slice(7)] !== undefined || b.ledger[d.key.slice(7)] !== undefined)
      .map((d) => ({
        key: d.key,
        label: `${t('ledger.card')} · ${d.label[locale]}`,
        values: [a, b].map((x) => formatField(d, x.ledger[d.key.slice(7)] ?? null, locale)),
      })),
    {
      key: 'lastSeenAt',
      label: t('identity.lastSeen'),
      values: [fmtDateTime(a.lastSeenAt, locale), fmtDateTime(b.lastSeenAt, locale)],
    },
  ];
  const statusLabel = {
    open: 'identity.statusOpen',
    ignored: 'identity.statusIgnored',
    merged: 'identity.statusMerged',
  } as const;
  const title = `${a.name ?? a.uuid} ⇄ ${b.name ?? b.uuid}`;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Breadcrumbs
          items={[{ label: t('identity.duplicatesTitle'), href: '/duplicates' }, { label: title }]}
        />
        <PageHeader
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="candidate-title">{title}</span>
              <Badge variant="outline">{translateOr(t, `kind.${cand.kind}`, cand.kind)}</Badge>
              <ScoreBadge score={cand.score} />
              <Badge
                variant={cand.status === 'open' ? 'default' : 'secondary'}
                data-testid="candidate-status"
              >
                {t(statusLabel[cand.status])}
              </Badge>
            </span>
          }
        >
          {canEdit && cand.status === 'open' && (
            <CandidateActions
              candidateId={cand.id}
              assets={[a, b].map((x) => ({
                uuid: x.uuid,
                name: x.name ?? x.uuid,
                sources: x.links.map((l) => l.sourceName).join(', '),
              }))}
            />
          )}
        </PageHeader>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{t('identity.evidence')}</CardTitle>
        </CardHeader>
        <CardContent>
          <Table className="text-xs" data-testid="evidence">
            <TableHeader>
              <TableRow>
                <TableHead>{t('identity.evidence')}</TableHead>
                <TableHead className="w-20">{t('identity.score')}</TableHead>
                <TableHead>{t('identity.values')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {cand.evidence.map((e) => (
                <TableRow key={e.rule} data-rule={e.rule}>
                  <TableCell className="font-medium">{ruleLabel(t, e.rule)}</TableCell>
                  <TableCell>
                    <ScoreBadge score={e.score} />
                  </TableCell>
                  <TableCell className="break-all font-mono">{e.values.join(', ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2" data-testid="side-by-side">
        {[a, b].map((d, i) => (
          <Card key={d.uuid} data-testid={`candidate-asset-${i}`}>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                <span className="text-xs font-normal text-muted-foreground">
                  {i === 0 ? t('identity.assetA') : t('identity.assetB')}
                </span>
                <Link href={`/assets/${d.uuid}`} className="text-primary hover:underline">
                  {d.name ?? d.uuid}
                </Link>
                <AssetStatusBadge status={d.status} t={t} />
              </CardTitle>
              <code className="text-xs text-muted-foreground">{d.uuid}</code>
            </CardHeader>
            <CardContent>
              <h3 className="mb-1 text-xs font-semibold text-muted-foreground">{t('identity.links')}</h3>
              <ul className="flex flex-col gap-1 text-xs">
                {d.links.map((l) => (
                  <li key={l.id} className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/sources/${l.sourceId}`}
                      className="font-medium text-primary hover:underline"
                    >
                      {l.sourceName}
                    </Link>
                    <code className="text-muted-foreground">{l.externalId}</code>
                    <Badge variant={l.presence === 'present' ? 'success' : 'warning'}>
                      {l.presence === 'present' ? t('asset.present') : t('asset.missing')}
                    </Badge>
                    <span className="text-muted-foreground">
                      {fmtDateTime(l.firstSeenAt, locale)} – {fmtDateTime(l.lastSeenAt, locale)}
                    </span>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        ))}
      </div>

      <Table className="text-xs" data-testid="compare">
        <TableHeader>
          <TableRow>
            <TableHead className="w-48">{t('identity.field')}</TableHead>
            {[a, b].map((d, i) => (
              <TableHead key={d.uuid} className="max-w-md truncate">
                {i === 0 ? t('identity.assetA') : t('identity.assetB')} · {d.name ?? d.uuid}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => {
            // Last seen always differs a little: marking it would hide the differences that matter.
            const differ = r.key !== 'lastSeenAt' && r.values[0] !== r.values[1];
            return (
              <TableRow
                key={r.key}
                data-field={r.key}
                data-differ={differ ? 'true' : undefined}
                className={differ ? 'bg-warning/10' : undefined}
              >
                <TableCell className="font-medium">{r.label}</TableCell>
                {r.values.map((v, i) => (
                  <TableCell key={i} className="max-w-md break-words">
                    {v}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
