'use client';
import { api } from '@/components/api';
import { EditOrAddButton, Field, FormDialog, str } from '@/components/form-dialog';
import { Input } from '@/components/ui/input';
import { useT } from '@/i18n/client';

export type CredentialItem = { id: string; name: string; username: string };

export function CredentialDialog({ credential }: { credential?: CredentialItem }) {
  const t = useT();
  const editing = Boolean(credential);
  return (
    <FormDialog
      title={editing ? t('credentials.editTitle') : t('credentials.createTitle')}
      description={t('credentials.writeOnly')}
      testId="credential-dialog"
      trigger={<EditOrAddButton editing={editing} thing="credential" addLabel={t('credentials.add')} />}
      onSubmit={async (f) => {
        const password = String(f.get('password') ?? '');
        if (editing) {
          // A blank password keeps the stored secret: only send what changed.
          const data: Record<string, string> = { username: str(f, 'username') };
          if (password) data.password = password;
          await api(`/api/v1/credentials/${credential!.id}`, {
            method: 'PATCH',
            body: { name: str(f, 'name'), data },
          });
        } else {
          await api('/api/v1/credentials', {
            body: { name: str(f, 'name'), type: 'vcenter', data: { username: str(f, 'username'), password } },
          });
        }
      }}
    >
      <Field label={t('common.name')} htmlFor="cred-name">
        <Input id="cred-name" name="name" required defaultValue={credential?.name} />
      </Field>
      <Field label={t('credentials.username')} htmlFor="cred-username">
        <Input
          id="cred-username"
          name="username"
          required
          autoComplete="off"
          defaultValue={credential?.username}
        />
      </Field>
      <Field
        label={t('credentials.password')}
        htmlFor="cred-password"
        hint={editing ? t('credentials.passwordKeep') : undefined}
      >
        <Input
          id="cred-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required={!editing}
        />
      </Field>
    </FormDialog>
  );
}
