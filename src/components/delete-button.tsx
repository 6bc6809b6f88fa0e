'use client';
// Delete with a confirmation, for sources, credentials and schedule groups. When the API refuses (409),
// the reason is said in words — which sources still use the credential, which run is still active —
// not in API wording.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Trash2 } from 'lucide-react';
import { api, ApiError } from '@/components/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';
import { useT } from '@/i18n/client';

export type DeletableThing = 'source' | 'credential' | 'group';

const PATHS: Record<DeletableThing, string> = {
  source: '/api/v1/sources',
  credential: '/api/v1/credentials',
  group: '/api/v1/schedule-groups',
};

function names(details: unknown, key: string): string {
  const list = (details as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(list)
    ? list
        .map((x) => (x && typeof x === 'object' ? String((x as Record<string, unknown>).name ?? '') : ''))
        .filter(Boolean)
        .join(', ')
    : '';
}

export function DeleteButton({
  thing,
  id,
  name,
  afterDelete,
}: {
  thing: DeletableThing;
  id: string;
  name: string;
  /** Where to go once deleted (default: stay and refresh). */
  afterDelete?: string;
}) {
  const t = useT();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reason = (e: unknown): string => {
    if (e instanceof ApiError && e.status === 409) {
      if (thing === 'credential')
        return t('delete.credentialInUse', { sources: names(e.details, 'sources') });
      if (thing === 'group') return t('delete.groupHasSources', { sources: names(e.details, 'sources') });
      if (thing === 'source') return t('delete.sourceRunning');
    }
    return t('common.error', { message: (e as Error).message });
  };
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api(`${PATHS[thing]}/${id}`, { method: 'DELETE' });
      setOpen(false);
      if (afterDelete) router.push(afterDelete);
      router.refresh();
    } catch (e) {
      setError(reason(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
      <Button
        variant="ghost"
        size="sm"
        onClick={() => setOpen(true)}
        data-testid={`delete-${thing}`}
        aria-label={t('delete.title', { name })}
        className="text-destructive"
      >
        <Trash2 /> {t('common.delete')}
      </Button>
      <DialogContent data-testid="delete-dialog" closeLabel={t('common.close')}>
        <DialogTitle>{t('delete.title', { name })}</DialogTitle>
        <DialogDescription>{t(`delete.explain.${thing}`)}</DialogDescription>
        {error && (
          <p role="alert" className="text-sm text-destructive" data-testid="delete-error">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
          <Button variant="destructive" onClick={confirm} disabled={busy} data-testid="delete-confirm">
            {t('common.delete')}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
