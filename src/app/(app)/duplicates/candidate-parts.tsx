import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { translateOr, type Translate } from '@/i18n';

export type CandidateAsset = {
  uuid: string;
  name: string | null;
  status: string;
  sources: { id: string; name: string; presence: string }[];
};
export type CandidateView = {
  id: string;
  kind: string;
  score: number;
  status: 'open' | 'ignored' | 'merged';
  evidence: { rule: string; score: number; values: string[] }[];
  createdAt: Date;
  resolvedAt: Date | null;
  assetA: CandidateAsset;
  assetB: CandidateAsset;
};

export function ScoreBadge({ score }: { score: number }) {
  return (
    <Badge variant={score >= 100 ? 'destructive' : score >= 90 ? 'warning' : 'secondary'} data-score={score}>
      {score}
    </Badge>
  );
}

/** An asset of a pair: its name (a tombstone unlinked: its address leads to the survivor) and its sources. */
export function CandidateAssetCell({ asset, t }: { asset: CandidateAsset; t: Translate }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <Link
        href={`/assets/${asset.uuid}`}
        className="truncate font-medium text-primary hover:underline"
        title={asset.name ?? asset.uuid}
      >
        {asset.name ?? asset.uuid}
      </Link>
      <span className="flex flex-wrap gap-x-2 text-muted-foreground">
        {asset.sources.map((s) => (
          <span key={s.id} className="truncate" title={s.name}>
            {s.name}
            {s.presence !== 'present' && ` (${t('asset.missing')})`}
          </span>
        ))}
        {asset.status === 'merged' && <span>({translateOr(t, 'identity.statusMerged', 'merged')})</span>}
      </span>
    </div>
  );
}

/** "Same BIOS UUID" for `vm.bios_uuid` (message keys cannot hold the rule's dot). */
export function ruleLabel(t: Translate, rule: string): string {
  return translateOr(t, `identity.rule.${rule.replace('.', '_')}`, rule);
}
