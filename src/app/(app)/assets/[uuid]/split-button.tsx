'use client';
// Split a merged link off again, behind a confirmation that says what goes back; then to the asset given
// back, so the person sees it is whole again.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Split } from 'lucide-react';
import { api } from '@/components/api';
import { identityErrorText } from '@/components/identity-error';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';
import { useT } from '@/i18n/client';

export function SplitButton({
  assetUuid,
  linkId,
  otherUuid,
  otherName,
}: {
  assetUuid: string;
  linkId: string;
  otherUuid: string;
  otherName: string;
}) {
  const t = useT();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/assets/${assetUuid}/split`, { body: { linkId } });
      setOpen(false);
      router.push(`/assets/${otherUuid}`);
    } catch (e) {
      setError(identityErrorText(t, e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)} data-testid="split">
        <Split /> {t('identity.split')}
      </Button>
      <DialogContent closeLabel={t('common.close')} data-testid="split-dialog">
        <DialogTitle>{t('identity.splitTitle', { name: otherName })}</DialogTitle>
        <DialogDescription>{t('identity.splitExplain', { name: otherName })}</DialogDescription>
        {error && (
          <p role="alert" className="text-sm text-destructive" data-testid="split-error">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
          <Button onClick={confirm} disabled={busy} data-testid="split-confirm">
            {t('identity.split')}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
