'use client';
// Copies a one-time secret (generated password, API token) to the clipboard and says so.
import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useT } from '@/i18n/client';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      size="sm"
      variant="outline"
      className="self-start"
      data-testid="copy-secret"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
        } catch {
          // No clipboard (http, old browser): select the text so Ctrl+C works.
          const el = document.querySelector<HTMLElement>('[data-secret]');
          if (el) window.getSelection()?.selectAllChildren(el);
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check /> : <Copy />} {copied ? t('common.copied') : label}
    </Button>
  );
}
