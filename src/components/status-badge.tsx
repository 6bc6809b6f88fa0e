import { Badge } from './ui/badge';
import type { Translate } from '@/i18n';
import { translateOr } from '@/i18n';

const RUN_VARIANT = {
  queued: 'outline',
  running: 'default',
  succeeded: 'success',
  failed: 'destructive',
  cancelled: 'secondary',
} as const;

export function RunStatusBadge({ status, t }: { status: string; t: Translate }) {
  const variant = RUN_VARIANT[status as keyof typeof RUN_VARIANT] ?? 'secondary';
  return (
    <Badge variant={variant} data-status={status}>
      {translateOr(t, `runStatus.${status}`, status)}
    </Badge>
  );
}

export function AssetStatusBadge({ status, t }: { status: string; t: Translate }) {
  return (
    <Badge variant={status === 'active' ? 'success' : 'warning'}>
      {translateOr(t, `assetStatus.${status}`, status)}
    </Badge>
  );
}
