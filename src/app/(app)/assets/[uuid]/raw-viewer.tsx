'use client';
import { useState } from 'react';
import { FileJson } from 'lucide-react';
import { api } from '@/components/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { useT } from '@/i18n/client';

/** Admin only (the page renders it for admins; the API checks again and audits the view). */
export function RawViewer({ assetUuid, recordId }: { assetUuid: string; recordId: string }) {
  const t = useT();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load() {
    setError(null);
    try {
      const r = await api<{ raw: unknown }>(`/api/v1/assets/${assetUuid}/records/${recordId}/raw`);
      setText(JSON.stringify(r.raw, null, 2));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <Dialog onOpenChange={(open) => open && text === null && void load()}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" data-testid="view-raw">
          <FileJson /> {t('asset.viewRaw')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="w-[min(60rem,calc(100vw-2rem))]">
        <DialogTitle>{t('asset.rawTitle', { id: recordId })}</DialogTitle>
        <DialogDescription className="sr-only">{t('asset.rawTitle', { id: recordId })}</DialogDescription>
        {error && <p className="text-sm text-destructive">{t('common.error', { message: error })}</p>}
        <pre className="max-h-[70vh] overflow-auto rounded-md bg-muted p-3 text-xs" data-testid="raw-json">
          {text ?? t('common.loading')}
        </pre>
      </DialogContent>
    </Dialog>
  );
}
