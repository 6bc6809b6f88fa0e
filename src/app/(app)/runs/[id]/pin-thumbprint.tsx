'use client';
import { useState } from 'react';
import { Pin } from 'lucide-react';
import { api } from '@/components/api';
import { Button } from '@/components/ui/button';
import { useT } from '@/i18n/client';

/** Admins can trust the certificate the server presented: the source's config gets this thumbprint. */
export function PinThumbprint({
  sourceId,
  config,
  thumbprint,
}: {
  sourceId: string;
  config: Record<string, unknown>;
  thumbprint: string;
}) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'busy' | 'done' | string>('idle');
  if (state === 'done') return <span className="text-xs text-success">{t('common.saved')}</span>;
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="outline"
        disabled={state === 'busy'}
        data-testid="pin-thumbprint"
        onClick={async () => {
          setState('busy');
          try {
            const { insecure: _i, ca_pem: _c, ...rest } = config;
            await api(`/api/v1/sources/${sourceId}`, {
              method: 'PATCH',
              body: { config: { ...rest, thumbprint_sha256: thumbprint } },
            });
            setState('done');
          } catch (e) {
            setState((e as Error).message);
          }
        }}
      >
        <Pin /> {t('run.pinThumbprint')}
      </Button>
      {state !== 'idle' && state !== 'busy' && <span className="text-xs text-destructive">{state}</span>}
    </span>
  );
}
