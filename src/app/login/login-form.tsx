'use client';

import { useState, type FormEvent } from 'react';
import { box, button, errorText, field, safeNext } from './styles';

export function LoginForm({ next }: { next: string | null }) {
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
        setError(body?.error?.message ?? `Sign-in failed (${res.status})`);
        return;
      }
      const target = safeNext(next);
      window.location.assign(
        body.user.mustChangePassword ? `/login/password?next=${encodeURIComponent(target)}` : target,
      );
    } catch {
      setError('The server did not answer. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} style={box} aria-label="Sign in">
      <h1 style={{ marginTop: 0 }}>Asset Ledger</h1>
      <label htmlFor="username">User name</label>
      <input id="username" name="username" autoComplete="username" required autoFocus style={field} />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        style={field}
      />
      {error ? (
        <p role="alert" style={errorText}>
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy} style={button}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
