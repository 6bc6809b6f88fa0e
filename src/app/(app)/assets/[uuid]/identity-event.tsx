// The timeline line of a moved, merged or split event (src/server/history/events.ts), in the reader's
// language, naming the sources and assets instead of their ids.
import Link from 'next/link';
import { fmtValue } from '@/components/format';
import { getDb } from '@/db/client';
import type { Locale, Translate } from '@/i18n';
import { parseEvent } from '@/server/history/events';
import { listLedgerFields } from '@/server/ledger-fields/fields';

export const IDENTITY_EVENT_TYPES = new Set(['moved', 'merged', 'split']);
/** Detail keys of these events that hold asset uuids (the page looks their names up). */
export const IDENTITY_EVENT_ASSET_KEYS = ['other_uuid', 'merged_into', 'split_from'];
export const IDENTITY_EVENT_SOURCE_KEYS = ['from_source_id', 'to_source_id'];

function fill(template: string, parts: Record<string, React.ReactNode>) {
  return template.split(/(\{\w+\})/).map((p, i) => {
    const m = /^\{(\w+)\}$/.exec(p);
    return <span key={i}>{m ? (parts[m[1]!] ?? p) : p}</span>;
  });
}

const OVERRIDE_LABEL = {
  name_override: 'ledger.override.name',
  primary_ip_override: 'ledger.override.primaryIp',
  os_override: 'ledger.override.os',
} as const;

/** The other asset's asserted values a merge did not keep, by their field labels. */
async function KeptValues({
  conflicts,
  t,
  locale,
}: {
  conflicts: { field: string; kept: unknown; dropped: unknown }[];
  t: Translate;
  locale: Locale;
}) {
  const fields = await listLedgerFields(getDb(), { includeArchived: true });
  const label = (k: string) =>
    k in OVERRIDE_LABEL
      ? t(OVERRIDE_LABEL[k as keyof typeof OVERRIDE_LABEL])
      : (fields.find((f) => f.key === k)?.label[locale] ?? k);
  return (
    <p className="text-xs text-muted-foreground" data-testid="merge-kept-values">
      {t('identity.keptValues', {
        list: conflicts
          .map((c) => `${label(c.field)}: ${fmtValue(c.dropped)} (→ ${fmtValue(c.kept)})`)
          .join('; '),
      })}
    </p>
  );
}

export function IdentityEvent({
  type,
  details,
  assetNames,
  sourceNames,
  t,
  locale,
}: {
  type: string;
  details: unknown;
  assetNames: Record<string, string>;
  sourceNames: Record<string, string>;
  t: Translate;
  locale: Locale;
}) {
  const e = parseEvent({ type, details });
  if (!e) return null;
  const asset = (u: string | undefined) =>
    u ? (
      <Link href={`/assets/${u}`} className="text-primary hover:underline">
        {assetNames[u] ?? u}
      </Link>
    ) : (
      '—'
    );
  const source = (id: string | null | undefined) =>
    id ? (sourceNames[id] ?? id) : t('identity.unknownSource');
  let line: React.ReactNode = null;
  let extra: React.ReactNode = null;
  if (e.type === 'moved') {
    line = fill(t('identity.event.moved'), {
      from: <strong>{source(e.details.from_source_id)}</strong>,
      to: <strong>{source(e.details.to_source_id)}</strong>,
    });
  } else if (e.type === 'merged') {
    line = e.details.merged_into
      ? fill(t('identity.event.mergedAway'), { other: asset(e.details.merged_into) })
      : fill(t('identity.event.merged'), { other: asset(e.details.other_uuid) });
    const kept = e.details.ledger_conflicts ?? [];
    if (kept.length) extra = <KeptValues conflicts={kept} t={t} locale={locale} />;
  } else if (e.type === 'split') {
    line = e.details.split_from
      ? fill(t('identity.event.splitBack'), { other: asset(e.details.split_from) })
      : fill(t('identity.event.split'), { other: asset(e.details.other_uuid) });
  } else return null;
  return (
    <div data-testid={`identity-event-${e.type}`}>
      <p className="text-sm">{line}</p>
      {extra}
    </div>
  );
}
