'use client';

import { useState, type FormEvent } from 'react';
import { box, button, errorText, field, safeNext } from '../styles';

export function PasswordForm({ next, required }: { next: string | null; required: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get('newPassword') !== form.get('confirm')) {
      setError('The new passwords do not match.');
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
        setError(body?.error?.message ?? `Change failed (${res.status})`);
        return;
      }
      window.location.assign(safeNext(next));
    } catch {
      setError('The server did not answer. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} style={box} aria-label="Change password">
      <h1 style={{ marginTop: 0 }}>Change password</h1>
      {required ? <p>Choose your own password before you continue.</p> : null}
      <label htmlFor="currentPassword">Current password</label>
      <input
        id="currentPassword"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        style={field}
      />
      <label htmlFor="newPassword">New password (at least 8 characters)</label>
      <input
        id="newPassword"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        style={field}
      />
      <label htmlFor="confirm">New password again</label>
      <input
        id="confirm"
        name="confirm"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        style={field}
      />
      {error ? (
        <p role="alert" style={errorText}>
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy} style={button}>
        {busy ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
