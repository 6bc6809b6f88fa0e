// The asset page's identity across sources (issue 16): every source link (source, external id, presence,
// first/last seen) and the assets merged into this one, with a Split per merged link for editors.
import Link from 'next/link';
import { GitMerge } from 'lucide-react';
import { fmtDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { Locale, Translate } from '@/i18n';
import type { MergedFrom } from '@/server/identity/asset-identity';
import { SplitButton } from './split-button';

export type LinkView = {
  id: string;
  sourceId: string;
  sourceName: string;
  externalKind: string;
  externalId: string;
  presence: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  missingSince: Date | null;
};

export function IdentitySection({
  assetUuid,
  links,
  mergedFrom,
  canEdit,
  t,
  locale,
}: {
  assetUuid: string;
  links: LinkView[];
  mergedFrom: MergedFrom[];
  canEdit: boolean;
  t: Translate;
  locale: Locale;
}) {
  const mergeOf = new Map(mergedFrom.flatMap((m) => m.linkIds.map((id) => [id, m] as const)));
  return (
    <Card data-testid="identity-section">
      <CardHeader>
        <CardTitle>{t('identity.links')}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <Table className="text-xs" data-testid="links">
          <TableHeader>
            <TableRow>
              <TableHead>{t('identity.source')}</TableHead>
              <TableHead>{t('identity.externalId')}</TableHead>
              <TableHead>{t('identity.presence')}</TableHead>
              <TableHead>{t('identity.firstSeen')}</TableHead>
              <TableHead>{t('identity.lastSeen')}</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {links.map((l) => {
              const m = mergeOf.get(l.id);
              return (
                <TableRow key={l.id} data-testid="link-row" data-link={l.id} data-presence={l.presence}>
                  <TableCell className="max-w-56">
                    <Link
                      href={`/sources/${l.sourceId}`}
                      className="block truncate font-medium text-primary hover:underline"
                      title={l.sourceName}
                    >
                      {l.sourceName}
                    </Link>
                    {m && (
                      <span className="block truncate text-muted-foreground" data-testid="link-from-merge">
                        {t('identity.fromMerge', { name: m.mergedName ?? m.mergedUuid })}
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="font-mono" title={`${l.externalKind}/${l.externalId}`}>
                    {l.externalId}
                  </TableCell>
                  <TableCell>
                    {l.presence === 'present' ? (
                      <Badge variant="success">{t('asset.present')}</Badge>
                    ) : (
                      <Badge variant="warning">
                        {l.missingSince
                          ? t('asset.missingSince', { date: fmtDateTime(l.missingSince, locale) })
                          : t('asset.missing')}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{fmtDateTime(l.firstSeenAt, locale)}</TableCell>
                  <TableCell className="whitespace-nowrap">{fmtDateTime(l.lastSeenAt, locale)}</TableCell>
                  <TableCell className="text-right">
                    {m && canEdit && (
                      <SplitButton
                        assetUuid={assetUuid}
                        linkId={l.id}
                        otherUuid={m.mergedUuid}
                        otherName={m.mergedName ?? m.mergedUuid}
                      />
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        {mergedFrom.length > 0 && (
          <section data-testid="merged-from">
            <h3 className="flex items-center gap-1 text-sm font-semibold">
              <GitMerge className="size-4" /> {t('identity.mergedFrom')}
            </h3>
            <p className="mb-1 text-xs text-muted-foreground">{t('identity.mergedFromHint')}</p>
            <ul className="flex flex-col gap-1 text-sm">
              {mergedFrom.map((m) => (
                <li
                  key={m.mergeId}
                  className="flex flex-wrap items-baseline gap-x-2"
                  data-merged={m.mergedUuid}
                >
                  <span className="font-medium">{m.mergedName ?? m.mergedUuid}</span>
                  <code className="text-xs text-muted-foreground">{m.mergedUuid}</code>
                  <span className="text-xs text-muted-foreground">
                    {t('identity.mergedAtBy', {
                      date: fmtDateTime(m.mergedAt, locale),
                      user: m.mergedBy ?? '—',
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </CardContent>
    </Card>
  );
}
