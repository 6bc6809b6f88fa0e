'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { useT } from '@/i18n/client';
import { safeNext } from '@/lib/safe-next';

export function LoginForm({ next }: { next: string | null }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    try {
      const res = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setError(t('login.failed', { message: body?.error?.message ?? String(res.status) }));
        return;
      }
      const target = safeNext(next);
      window.location.assign(
        body.user.mustChangePassword ? `/login/password?next=${encodeURIComponent(target)}` : target,
      );
    } catch {
      setError(t('login.failed', { message: 'network' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label={t('login.title')} className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="username">{t('login.username')}</Label>
        <Input id="username" name="username" autoComplete="username" required autoFocus />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="password">{t('login.password')}</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t('common.loading') : t('login.submit')}
      </Button>
    </form>
  );
}
