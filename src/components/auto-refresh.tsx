'use client';
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { RefreshCw } from 'lucide-react';
import { useT } from '@/i18n/client';

/** Re-renders the server page every few seconds while something is still running. */
export function AutoRefresh({ active, intervalMs = 3000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  const t = useT();
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(id);
  }, [active, intervalMs, router]);
  if (!active) return null;
  return (
    <span className="flex items-center gap-1 text-xs text-muted-foreground" data-testid="auto-refresh">
      <RefreshCw className="size-3 animate-spin" /> {t('runs.autoRefresh')}
    </span>
  );
}
