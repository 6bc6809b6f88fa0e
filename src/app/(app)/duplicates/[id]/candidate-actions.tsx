'use client';
// Merge (the person chooses which asset survives) and Ignore, each behind a confirmation that says what
// happens; a refusal is said in words in the dialog.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { EyeOff, GitMerge } from 'lucide-react';
import { api } from '@/components/api';
import { identityErrorText } from '@/components/identity-error';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';
import { useT } from '@/i18n/client';

type Side = { uuid: string; name: string; sources: string };

export function CandidateActions({ candidateId, assets }: { candidateId: string; assets: Side[] }) {
  const t = useT();
  const router = useRouter();
  const [dialog, setDialog] = useState<'merge' | 'ignore' | null>(null);
  const [keep, setKeep] = useState(assets[0]!.uuid);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = (d: 'merge' | 'ignore' | null) => {
    setDialog(d);
    setError(null);
  };
  async function act() {
    setBusy(true);
    setError(null);
    try {
      if (dialog === 'merge') {
        const other = assets.find((a) => a.uuid !== keep)!.uuid;
        await api(`/api/v1/assets/${keep}/merge`, { body: { otherId: other } });
        router.push(`/assets/${keep}`);
      } else {
        await api(`/api/v1/duplicate-candidates/${candidateId}/ignore`, { method: 'POST' });
        setDialog(null);
        router.refresh();
      }
    } catch (e) {
      setError(identityErrorText(t, e));
    } finally {
      setBusy(false);
    }
  }
  const kept = assets.find((a) => a.uuid === keep)!;
  // Two assets of one machine often share a name: the button names the kept one's sources too.
  const keptName = kept.sources ? `${kept.name} (${kept.sources})` : kept.name;
  return (
    <>
      <Button onClick={() => open('merge')} data-testid="merge">
        <GitMerge /> {t('identity.merge')}
      </Button>
      <Button variant="outline" onClick={() => open('ignore')} data-testid="ignore">
        <EyeOff /> {t('identity.ignore')}
      </Button>
      <Dialog open={dialog !== null} onOpenChange={(o) => !o && open(null)}>
        <DialogContent closeLabel={t('common.close')} data-testid={`${dialog ?? 'merge'}-dialog`}>
          <DialogTitle>
            {dialog === 'merge' ? t('identity.mergeTitle') : t('identity.ignoreTitle')}
          </DialogTitle>
          <DialogDescription>
            {dialog === 'merge' ? t('identity.mergeExplain') : t('identity.ignoreExplain')}
          </DialogDescription>
          {dialog === 'merge' && (
            <fieldset className="flex flex-col gap-2" data-testid="survivor-choice">
              <legend className="sr-only">{t('identity.keepThis')}</legend>
              {assets.map((a, i) => (
                <label
                  key={a.uuid}
                  className="flex cursor-pointer items-start gap-2 rounded-md border p-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-accent"
                >
                  <input
                    type="radio"
                    name="survivor"
                    value={a.uuid}
                    checked={keep === a.uuid}
                    onChange={() => setKeep(a.uuid)}
                    data-testid={`survivor-${i}`}
                    className="mt-1"
                  />
                  <span className="min-w-0">
                    <span className="block font-medium break-words">{a.name}</span>
                    <span className="block text-xs break-words text-muted-foreground">{a.sources}</span>
                    <code className="block text-xs text-muted-foreground">{a.uuid}</code>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {error && (
            <p role="alert" className="text-sm text-destructive" data-testid="action-error">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => open(null)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={act} disabled={busy} data-testid="confirm">
              {dialog === 'merge' ? t('identity.mergeKeep', { name: keptName }) : t('identity.ignore')}
            </Button>
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
