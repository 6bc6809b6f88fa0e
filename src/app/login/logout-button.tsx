'use client';

export function LogoutButton() {
  return (
    <button
      type="button"
      onClick={async () => {
        await fetch('/api/v1/auth/logout', { method: 'POST' }).catch(() => {});
        window.location.assign('/login');
      }}
    >
      Sign out
    </button>
  );
}
