import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getLocale } from '@/i18n/server';
import './globals.css';

export const metadata: Metadata = {
  title: 'Asset Ledger',
  description: 'IT asset ledger for VMware estates',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>{children}</body>
    </html>
  );
}
