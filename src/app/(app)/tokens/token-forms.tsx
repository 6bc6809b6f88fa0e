'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Plus, Trash2 } from 'lucide-react';
import { api } from '@/components/api';
import { Field, FormDialog, str } from '@/components/form-dialog';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { CopyButton } from '@/components/copy-button';
import { useT } from '@/i18n/client';

export function CreateToken() {
  const t = useT();
  const [token, setToken] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-2">
      <FormDialog
        title={t('tokens.createTitle')}
        trigger={
          <Button data-testid="add-token">
            <Plus /> {t('tokens.add')}
          </Button>
        }
        onSubmit={async (f) => {
          const days = Number(str(f, 'days'));
          const r = await api<{ token: string }>('/api/v1/tokens', {
            body: { name: str(f, 'name'), ...(days > 0 ? { expiresInDays: days } : {}) },
          });
          setToken(r.token);
        }}
      >
        <Field label={t('common.name')} htmlFor="tok-name">
          <Input id="tok-name" name="name" required />
        </Field>
        <Field label={t('tokens.expiresDays')} htmlFor="tok-days">
          <Input id="tok-days" name="days" type="number" min={1} max={3650} />
        </Field>
      </FormDialog>
      {token && (
        <Alert variant="warning" className="flex max-w-xl flex-col gap-2" data-testid="new-token">
          <span>{t('tokens.shownOnce')}</span>
          <code className="select-all break-all rounded bg-card p-2 text-xs" data-secret>
            {token}
          </code>
          <CopyButton value={token} label={t('tokens.copyToken')} />
        </Alert>
      )}
    </div>
  );
}

export function RevokeToken({ id }: { id: string }) {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2">
      <Button
        variant="outline"
        size="sm"
        onClick={async () => {
          try {
            await api(`/api/v1/tokens/${id}`, { method: 'DELETE' });
            router.refresh();
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        <Trash2 /> {t('tokens.revoke')}
      </Button>
      {error && <span className="text-xs text-destructive">{error}</span>}
    </span>
  );
}
