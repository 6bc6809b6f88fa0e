'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Pencil, Plus } from 'lucide-react';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from './ui/dialog';
import { ApiError } from '@/components/api';
import { useT } from '@/i18n/client';

/**
 * The button that opens a create-or-edit dialog: "Edit" in a row (test id `edit-<thing>`), "Add …" in the
 * page header (`add-<thing>`). The dialog trigger passes its handlers and ref in `props`.
 */
export function EditOrAddButton({
  editing,
  thing,
  addLabel,
  ...props
}: { editing: boolean; thing: string; addLabel: string } & React.ComponentProps<'button'>) {
  const t = useT();
  return editing ? (
    <Button variant="outline" size="sm" data-testid={`edit-${thing}`} {...props}>
      <Pencil /> {t('common.edit')}
    </Button>
  ) : (
    <Button data-testid={`add-${thing}`} {...props}>
      <Plus /> {addLabel}
    </Button>
  );
}

/** A refusal the form already says in words (which source is the same vCenter): shown as it is. */
export class RefusalInWords extends Error {}

/**
 * A dialog around a form: submit calls the API through `onSubmit(formData)`; on success the page data is
 * refreshed and the dialog closes, on failure the API's message is shown in the dialog.
 */
export function FormDialog({
  title,
  description,
  trigger,
  children,
  onSubmit,
  submitLabel,
  testId,
}: {
  title: string;
  description?: string;
  trigger: React.ReactNode;
  children: React.ReactNode;
  onSubmit: (form: FormData) => Promise<unknown>;
  submitLabel?: string;
  testId?: string;
}) {
  const t = useT();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setError(null);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent closeLabel={t('common.close')} data-testid={testId}>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription className={description ? undefined : 'sr-only'}>
          {description ?? title}
        </DialogDescription>
        <form
          className="flex flex-col gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            setBusy(true);
            setError(null);
            try {
              await onSubmit(new FormData(form));
              setOpen(false);
              router.refresh();
            } catch (err) {
              setError(
                err instanceof RefusalInWords
                  ? err.message
                  : t('common.error', { message: markFieldErrors(form, err) ?? (err as Error).message }),
              );
            } finally {
              setBusy(false);
            }
          }}
        >
          {children}
          {error && (
            <p role="alert" className="text-sm text-destructive" data-testid="form-error">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={busy} data-testid="form-submit">
              {busy ? t('common.saving') : (submitLabel ?? t('common.save'))}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function Field({
  label,
  htmlFor,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={htmlFor} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

export const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

/**
 * Shows the API's validation issues at their fields (`body.config.endpoint` → the input named
 * `endpoint`): the browser's own message bubble on the field, aria-invalid until it is edited, and one
 * line naming the fields by their labels instead of API paths. Null when the error names no field.
 */
export function markFieldErrors(form: HTMLFormElement, err: unknown): string | null {
  const issues =
    err instanceof ApiError
      ? (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues
      : undefined;
  if (!issues?.length) return null;
  const words = issues.map((i) => {
    const name = i.path.split('.').pop() ?? '';
    const el = form.elements.namedItem(name);
    if (
      el instanceof HTMLInputElement ||
      el instanceof HTMLSelectElement ||
      el instanceof HTMLTextAreaElement
    ) {
      el.setCustomValidity(i.message);
      el.setAttribute('aria-invalid', 'true');
      el.addEventListener(
        'input',
        () => {
          el.setCustomValidity('');
          el.removeAttribute('aria-invalid');
        },
        { once: true },
      );
      const label = el.id ? form.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
      return `${label || name}: ${i.message}`;
    }
    return `${name}: ${i.message}`;
  });
  form.reportValidity();
  return words.join('; ');
}
