'use client';
// One "Run" menu per source instead of a row of buttons: each mode with a one-line explanation of what
// it does, so "Detect" and "Health check" are not a guess.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { ChevronDown, Play, Square } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { api } from '@/components/api';
import { Button } from '@/components/ui/button';
import { useT } from '@/i18n/client';

export const RUN_MENU_MODES = ['collect_vms', 'collect_hosts', 'collect', 'detect', 'healthcheck'] as const;
export type RunMenuMode = (typeof RUN_MENU_MODES)[number];

export function RunMenu({ sourceId, label }: { sourceId: string; label?: string }) {
  const t = useT();
  const router = useRouter();
  const [message, setMessage] = useState<{ text: string; error?: boolean; runId?: string } | null>(null);
  async function run(mode: RunMenuMode) {
    setMessage(null);
    try {
      const r = await api<{ suppressed?: boolean; run?: { id: string } }>(
        `/api/v1/sources/${sourceId}/runs`,
        {
          body: { mode },
        },
      );
      const m = t(`mode.${mode}`);
      setMessage({
        text: r?.suppressed ? t('sources.suppressed', { mode: m }) : t('sources.queued', { mode: m }),
        runId: r?.run?.id,
      });
      router.refresh();
    } catch (e) {
      setMessage({ text: t('common.error', { message: (e as Error).message }), error: true });
    }
  }
  return (
    <div className="flex flex-col gap-1">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button variant="outline" size="sm" data-testid="run-menu">
            <Play /> {label ?? t('sources.run')} <ChevronDown />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="start"
            sideOffset={4}
            className="z-50 w-80 rounded-lg border bg-card p-1 shadow-md"
          >
            {RUN_MENU_MODES.map((m) => (
              <DropdownMenu.Item
                key={m}
                onSelect={() => void run(m)}
                data-testid={`run-${m}`}
                className="flex cursor-pointer flex-col items-start rounded-md px-3 py-2 outline-none data-[highlighted]:bg-accent"
              >
                <span className="text-sm font-medium">{t(`mode.${m}`)}</span>
                <span className="text-xs text-muted-foreground">{t(`modeHelp.${m}`)}</span>
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {message && (
        <p
          role="status"
          className={message.error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
          data-testid="run-message"
        >
          {message.runId ? (
            <a href={`/runs/${message.runId}`} className="hover:underline">
              {message.text}
            </a>
          ) : (
            message.text
          )}
        </p>
      )}
    </div>
  );
}

/**
 * A button that calls the API once, shows its error under it, and stays disabled while the call runs
 * (`busyAfter`: also after success, until the page it refreshes replaces it).
 */
function ActionButton({
  testId,
  variant,
  busyAfter = false,
  action,
  children,
}: {
  testId: string;
  variant: 'outline' | 'destructive';
  busyAfter?: boolean;
  action: () => Promise<void>;
  children: (busy: boolean) => React.ReactNode;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        variant={variant}
        disabled={busy}
        data-testid={testId}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await action();
            if (!busyAfter) setBusy(false);
          } catch (e) {
            setError(t('common.error', { message: (e as Error).message }));
            setBusy(false);
          }
        }}
      >
        {children(busy)}
      </Button>
      {error && <span className="text-xs text-destructive">{error}</span>}
    </span>
  );
}

/** "Run again": the same mode of the same source, then to the new run's page. */
export function RunAgainButton({ sourceId, mode }: { sourceId: string; mode: string }) {
  const t = useT();
  const router = useRouter();
  return (
    <ActionButton
      testId="run-again"
      variant="outline"
      action={async () => {
        const r = await api<{ run: { id: string } }>(`/api/v1/sources/${sourceId}/runs`, { body: { mode } });
        router.push(`/runs/${r.run.id}`);
      }}
    >
      {() => (
        <>
          <Play /> {t('run.runAgain')}
        </>
      )}
    </ActionButton>
  );
}

/** Cancels a queued or running run (the worker kills the plugin; nothing is ingested). */
export function CancelRunButton({ runId }: { runId: string }) {
  const t = useT();
  const router = useRouter();
  return (
    <ActionButton
      testId="cancel-run"
      variant="destructive"
      busyAfter
      action={async () => {
        await api(`/api/v1/runs/${runId}/cancel`, { method: 'POST' });
        router.refresh();
      }}
    >
      {(busy) => (
        <>
          <Square /> {busy ? t('run.cancelling') : t('run.cancel')}
        </>
      )}
    </ActionButton>
  );
}
