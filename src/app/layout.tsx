import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'Asset Ledger',
  description: 'IT asset ledger for VMware estates',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: 0, color: '#111', background: '#fafafa' }}>
        {children}
      </body>
    </html>
  );
}
