// The canonical view of an asset several sources see (issue 16 item 5): per field each source's value with
// where it came from, the winning value and a flag where the sources disagree.
import Link from 'next/link';
import { AlertTriangle } from 'lucide-react';
import { FieldValue } from '@/components/field-value';
import { fmtDateTime, fmtValue } from '@/components/format';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { Locale, Translate } from '@/i18n';
import { fieldByPath, fieldLabel } from '@/server/fields/dictionary';
import type { CanonicalAcrossSources } from '@/server/identity/asset-identity';

function Value({ path, value, locale }: { path: string; value: unknown; locale: Locale }) {
  const def = fieldByPath(path);
  return def ? <FieldValue def={def} value={value} locale={locale} /> : <>{fmtValue(value)}</>;
}

export function AcrossSources({
  view,
  sourceNames,
  t,
  locale,
}: {
  view: CanonicalAcrossSources;
  sourceNames: Record<string, string>;
  t: Translate;
  locale: Locale;
}) {
  const name = (id: string) => sourceNames[id] ?? id;
  const conflicts = view.fields.filter((f) => f.conflict).length;
  return (
    <section className="flex flex-col gap-2" data-testid="across-sources">
      <h3 className="text-sm font-semibold">{t('identity.acrossSources')}</h3>
      <p className="text-xs text-muted-foreground">
        {t('identity.winningRule')}{' '}
        {conflicts > 0 && (
          <span className="text-[oklch(0.45_0.12_75)]">{t('identity.conflictCount', { n: conflicts })}</span>
        )}
      </p>
      <Table className="text-xs">
        <TableHeader>
          <TableRow>
            <TableHead className="w-44">{t('identity.field')}</TableHead>
            <TableHead>{t('identity.winning')}</TableHead>
            {view.sources.map((s, i) => (
              <TableHead key={s.sourceId} className="max-w-56">
                <span className="block truncate" title={name(s.sourceId)}>
                  {name(s.sourceId)}
                  {i === 0 && <span className="ml-1 font-normal">({t('identity.latestWins')})</span>}
                </span>
                <Link href={`/runs/${s.runId}`} className="font-normal text-primary hover:underline">
                  {fmtDateTime(s.collectedAt, locale)}
                </Link>
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.fields.map((f) => (
            <TableRow
              key={f.path}
              data-path={f.path}
              data-conflict={f.conflict ? 'true' : undefined}
              className={f.conflict ? 'bg-warning/10' : undefined}
            >
              <TableCell title={f.path}>
                {fieldLabel(f.path, locale)}
                {f.conflict && (
                  <span className="mt-0.5 flex items-center gap-1 text-[oklch(0.45_0.12_75)]">
                    <AlertTriangle className="size-3" /> {t('identity.conflict')}
                  </span>
                )}
              </TableCell>
              <TableCell className="max-w-72 font-medium">
                <div className="overflow-x-auto">
                  <Value path={f.path} value={f.values.find((v) => v.winning)?.value} locale={locale} />
                </div>
                {/* Named only where it is not the most recent source (which wins nearly every field). */}
                {f.sourceId !== view.sources[0]?.sourceId && (
                  <span className="block truncate font-normal text-muted-foreground" title={name(f.sourceId)}>
                    {name(f.sourceId)}
                  </span>
                )}
              </TableCell>
              {f.values.map((v) => (
                <TableCell
                  key={v.sourceId}
                  className={v.sourceId === f.sourceId ? 'max-w-72' : 'max-w-72 text-muted-foreground'}
                >
                  {!v.reported ? (
                    <span className="italic">{t('identity.notReported')}</span>
                  ) : f.conflict ? (
                    <div className="overflow-x-auto">
                      <Value path={f.path} value={v.value} locale={locale} />
                    </div>
                  ) : (
                    // The same value as the winner: said once, not repeated per source.
                    <span className="text-muted-foreground">{t('identity.same')}</span>
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
