'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Pencil, Plus } from 'lucide-react';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from './ui/dialog';
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
            setBusy(true);
            setError(null);
            try {
              await onSubmit(new FormData(e.currentTarget));
              setOpen(false);
              router.refresh();
            } catch (err) {
              setError((err as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          {children}
          {error && (
            <p role="alert" className="text-sm text-destructive" data-testid="form-error">
              {t('common.error', { message: error })}
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
