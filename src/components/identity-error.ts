// Merge, ignore and split refusals in words: by the API's stable code and `details.reason`, not by its
// message (which is for scripts and may change).
import type { Translate } from '@/i18n';
import { ApiError } from './api';

export function identityErrorText(t: Translate, e: unknown): string {
  if (e instanceof ApiError) {
    const reason = (e.details as { reason?: string } | undefined)?.reason;
    if (e.code === 'SPLIT_NOT_MERGED') return t('identity.errNotMerged');
    if (e.code === 'AUTH_FORBIDDEN') return t('identity.errForbidden');
    if (e.code === 'NOT_FOUND') return t('identity.errGone');
    if (reason === 'kind_mismatch') return t('identity.errKinds');
    if (reason === 'asset_merged') return t('identity.errMergedAlready');
    if (reason === 'decided') return t('identity.errDecided');
  }
  return t('common.error', { message: (e as Error).message });
}
