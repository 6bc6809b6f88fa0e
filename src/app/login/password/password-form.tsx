'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { useT } from '@/i18n/client';
import { safeNext } from '@/lib/safe-next';

export function PasswordForm({ next, required }: { next: string | null; required: boolean }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get('newPassword') !== form.get('confirm')) {
      setError(t('login.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/v1/auth/password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          currentPassword: form.get('currentPassword'),
          newPassword: form.get('newPassword'),
        }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setError(t('common.error', { message: body?.error?.message ?? String(res.status) }));
        return;
      }
      window.location.assign(safeNext(next));
    } catch {
      setError(t('common.error', { message: 'network' }));
    } finally {
      setBusy(false);
    }
  }

  const field = (id: string, label: string, autoComplete: string, minLength?: number) => (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={id} type="password" autoComplete={autoComplete} minLength={minLength} required />
    </div>
  );
  return (
    <form onSubmit={onSubmit} aria-label={t('login.changeTitle')} className="flex flex-col gap-3">
      {required ? (
        <p
          className="rounded-md border border-warning/50 bg-warning/10 p-2 text-sm"
          data-testid="must-change"
        >
          {t('login.changeHint')}
        </p>
      ) : null}
      {field('currentPassword', t('login.currentPassword'), 'current-password')}
      {field('newPassword', t('login.newPassword'), 'new-password', 8)}
      {field('confirm', t('login.confirmPassword'), 'new-password', 8)}
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t('common.saving') : t('login.changeSubmit')}
      </Button>
    </form>
  );
}
