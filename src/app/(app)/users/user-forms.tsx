'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { KeyRound } from 'lucide-react';
import { api } from '@/components/api';
import { EditOrAddButton, Field, FormDialog, str } from '@/components/form-dialog';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox, Input, Select } from '@/components/ui/input';
import { CopyButton } from '@/components/copy-button';
import { useT } from '@/i18n/client';

export type UserItem = {
  id: string;
  username: string;
  displayName: string | null;
  role: 'admin' | 'editor' | 'user';
  enabled: boolean;
};

/** A password the server generated: shown once, to hand over to the user. */
function OneTimeSecret({ value, onDone }: { value: string; onDone: () => void }) {
  const t = useT();
  return (
    <Alert variant="warning" className="flex flex-col gap-2" data-testid="generated-secret">
      <span>{t('users.passwordShownOnce')}</span>
      <code className="select-all break-all rounded bg-card p-2 text-xs" data-secret>
        {value}
      </code>
      <div className="flex gap-2">
        <CopyButton value={value} label={t('users.copyPassword')} />
        <Button size="sm" variant="outline" className="self-start" onClick={onDone}>
          {t('common.close')}
        </Button>
      </div>
    </Alert>
  );
}

export function UserDialog({ user }: { user?: UserItem }) {
  const t = useT();
  const router = useRouter();
  const editing = Boolean(user);
  const [secret, setSecret] = useState<string | null>(null);
  const p = user ? `usr-${user.id.slice(0, 8)}` : 'usr-new';
  return (
    <>
      {secret && (
        <OneTimeSecret
          value={secret}
          onDone={() => {
            setSecret(null);
            router.refresh();
          }}
        />
      )}
      <FormDialog
        title={editing ? t('users.editTitle') : t('users.createTitle')}
        testId="user-dialog"
        trigger={<EditOrAddButton editing={editing} thing="user" addLabel={t('users.add')} />}
        onSubmit={async (f) => {
          const displayName = str(f, 'displayName') || null;
          const role = str(f, 'role') as 'admin' | 'editor' | 'user';
          if (editing) {
            await api(`/api/v1/users/${user!.id}`, {
              method: 'PATCH',
              body: { displayName, role, enabled: f.get('enabled') === 'on' },
            });
          } else {
            const password = String(f.get('password') ?? '');
            const r = await api<{ generatedPassword?: string }>('/api/v1/users', {
              body: { username: str(f, 'username'), displayName, role, ...(password ? { password } : {}) },
            });
            if (r.generatedPassword) setSecret(r.generatedPassword);
          }
        }}
      >
        {!editing && (
          <Field label={t('users.username')} htmlFor={`${p}-username`}>
            <Input id={`${p}-username`} name="username" required autoComplete="off" />
          </Field>
        )}
        <Field label={t('users.displayName')} htmlFor={`${p}-display`}>
          <Input id={`${p}-display`} name="displayName" defaultValue={user?.displayName ?? ''} />
        </Field>
        <Field label={t('users.role')} htmlFor={`${p}-role`}>
          <Select id={`${p}-role`} name="role" defaultValue={user?.role ?? 'user'}>
            <option value="user">{t('users.roles.user')}</option>
            <option value="editor">{t('users.roles.editor')}</option>
            <option value="admin">{t('users.roles.admin')}</option>
          </Select>
        </Field>
        {!editing && (
          <Field label={t('users.password')} htmlFor={`${p}-password`}>
            <Input id={`${p}-password`} name="password" type="password" autoComplete="new-password" />
          </Field>
        )}
        {editing && (
          <label className="flex items-center gap-2 text-sm">
            <Checkbox name="enabled" defaultChecked={user?.enabled ?? true} />
            {t('common.enabled')}
          </label>
        )}
      </FormDialog>
    </>
  );
}

export function ResetPassword({ userId }: { userId: string }) {
  const t = useT();
  const [secret, setSecret] = useState<string | null>(null);
  const p = `rst-${userId.slice(0, 8)}`;
  return (
    <>
      {secret && <OneTimeSecret value={secret} onDone={() => setSecret(null)} />}
      <FormDialog
        title={t('users.password')}
        trigger={
          <Button variant="outline" size="sm">
            <KeyRound /> {t('users.password')}
          </Button>
        }
        onSubmit={async (f) => {
          const password = String(f.get('password') ?? '');
          const r = await api<{ generatedPassword?: string }>(`/api/v1/users/${userId}/password`, {
            body: password ? { password } : {},
          });
          if (r?.generatedPassword) setSecret(r.generatedPassword);
        }}
      >
        <Field label={t('users.password')} htmlFor={`${p}-pw`}>
          <Input id={`${p}-pw`} name="password" type="password" autoComplete="new-password" />
        </Field>
      </FormDialog>
    </>
  );
}
