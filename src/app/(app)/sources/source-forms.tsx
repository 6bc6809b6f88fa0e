'use client';
import { useState } from 'react';
import { api, ApiError } from '@/components/api';
import { EditOrAddButton, Field, FormDialog, str } from '@/components/form-dialog';
import { Checkbox, Input, Select, Textarea } from '@/components/ui/input';
import { useT } from '@/i18n/client';

export type SourceItem = {
  id: string;
  name: string;
  enabled: boolean;
  credentialId: string | null;
  scheduleGroupId: string | null;
  config: { endpoint?: string; ca_pem?: string; thumbprint_sha256?: string; insecure?: boolean };
};
type Option = { id: string; name: string };
type TlsMode = 'verify' | 'ca' | 'thumbprint' | 'insecure';

function tlsModeOf(c: SourceItem['config'] | undefined): TlsMode {
  if (c?.insecure) return 'insecure';
  if (c?.thumbprint_sha256) return 'thumbprint';
  if (c?.ca_pem) return 'ca';
  return 'verify';
}

export function SourceDialog({
  source,
  credentials,
  groups,
}: {
  source?: SourceItem;
  credentials: Option[];
  groups: Option[];
}) {
  const t = useT();
  const editing = Boolean(source);
  const [tls, setTls] = useState<TlsMode>(tlsModeOf(source?.config));
  const p = source ? `src-${source.id.slice(0, 8)}` : 'src-new';
  return (
    <FormDialog
      title={editing ? t('sources.editTitle') : t('sources.createTitle')}
      testId="source-dialog"
      trigger={<EditOrAddButton editing={editing} thing="source" addLabel={t('sources.add')} />}
      onSubmit={async (f) => {
        const config: Record<string, unknown> = { endpoint: str(f, 'endpoint') };
        if (tls === 'ca') config.ca_pem = String(f.get('ca_pem') ?? '');
        if (tls === 'thumbprint') config.thumbprint_sha256 = str(f, 'thumbprint_sha256');
        if (tls === 'insecure') config.insecure = true;
        const body = {
          name: str(f, 'name'),
          config,
          credentialId: str(f, 'credentialId') || null,
          scheduleGroupId: str(f, 'scheduleGroupId') || null,
          enabled: f.get('enabled') === 'on',
        };
        try {
          if (editing) await api(`/api/v1/sources/${source!.id}`, { method: 'PATCH', body });
          else await api('/api/v1/sources', { body: { ...body, type: 'vcenter' } });
        } catch (err) {
          // The same vCenter twice: say which source already is it, in the reader's language.
          const dup = err instanceof ApiError && err.code === 'SOURCE_DUPLICATE' ? err.details : null;
          const name = (dup as { duplicateOf?: { name?: string } } | null)?.duplicateOf?.name;
          throw name ? new Error(t('identity.sourceDuplicate', { name })) : err;
        }
      }}
    >
      <Field label={t('common.name')} htmlFor={`${p}-name`}>
        <Input id={`${p}-name`} name="name" required defaultValue={source?.name} />
      </Field>
      <Field label={t('sources.endpoint')} htmlFor={`${p}-endpoint`}>
        <Input
          id={`${p}-endpoint`}
          name="endpoint"
          type="url"
          required
          placeholder={t('sources.endpointHint')}
          defaultValue={source?.config.endpoint}
        />
      </Field>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label={t('sources.credential')} htmlFor={`${p}-cred`}>
          <Select id={`${p}-cred`} name="credentialId" defaultValue={source?.credentialId ?? ''}>
            <option value="">{t('sources.noCredential')}</option>
            {credentials.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('sources.group')} htmlFor={`${p}-group`}>
          <Select id={`${p}-group`} name="scheduleGroupId" defaultValue={source?.scheduleGroupId ?? ''}>
            <option value="">{t('sources.noGroup')}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <fieldset className="flex flex-col gap-2 rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">{t('sources.tls')}</legend>
        {(
          [
            ['verify', t('sources.tlsVerify')],
            ['ca', t('sources.caPem')],
            ['thumbprint', t('sources.thumbprint')],
            ['insecure', t('sources.insecure')],
          ] as const
        ).map(([mode, label]) => (
          <label key={mode} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="tls"
              value={mode}
              checked={tls === mode}
              onChange={() => setTls(mode)}
              className="accent-primary"
              data-testid={`tls-${mode}`}
            />
            {label}
          </label>
        ))}
        {tls === 'ca' && (
          <Textarea
            name="ca_pem"
            aria-label={t('sources.caPem')}
            required
            rows={6}
            defaultValue={source?.config.ca_pem}
            placeholder="-----BEGIN CERTIFICATE-----"
          />
        )}
        {tls === 'thumbprint' && (
          <Input
            name="thumbprint_sha256"
            aria-label={t('sources.thumbprint')}
            required
            className="font-mono text-xs"
            defaultValue={source?.config.thumbprint_sha256}
            placeholder="AB:CD:…"
          />
        )}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="enabled" defaultChecked={source?.enabled ?? true} />
        {t('common.enabled')}
      </label>
    </FormDialog>
  );
}
