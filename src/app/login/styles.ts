import type { CSSProperties } from 'react';

export const box: CSSProperties = {
  maxWidth: 360,
  margin: '80px auto',
  padding: 24,
  background: '#fff',
  border: '1px solid #ddd',
  borderRadius: 8,
};
export const field: CSSProperties = {
  display: 'block',
  width: '100%',
  padding: 8,
  margin: '4px 0 12px',
  boxSizing: 'border-box',
};
export const button: CSSProperties = { padding: '8px 16px', cursor: 'pointer' };
export const errorText: CSSProperties = { color: '#b00020' };

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
