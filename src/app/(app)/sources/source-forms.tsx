'use client';
import { useState } from 'react';
import { PlugZap } from 'lucide-react';
import { api, ApiError } from '@/components/api';
import {
  EditOrAddButton,
  Field,
  FormDialog,
  markFieldErrors,
  RefusalInWords,
  str,
} from '@/components/form-dialog';
import { errorHelpKey, helpNext, helpWhat, thumbprintOf } from '@/components/run-error';
import { Button } from '@/components/ui/button';
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

/** The API body of what the form holds: the source create/update body, and the test-connection body. */
function sourceBody(f: FormData, tls: TlsMode) {
  const config: Record<string, unknown> = { endpoint: str(f, 'endpoint') };
  if (tls === 'ca') config.ca_pem = String(f.get('ca_pem') ?? '');
  if (tls === 'thumbprint') config.thumbprint_sha256 = str(f, 'thumbprint_sha256');
  if (tls === 'insecure') config.insecure = true;
  return {
    name: str(f, 'name'),
    config,
    credentialId: str(f, 'credentialId') || null,
    scheduleGroupId: str(f, 'scheduleGroupId') || null,
    enabled: f.get('enabled') === 'on',
  };
}

type ConnectionTest = {
  ok: boolean;
  durationMs: number;
  server?: { version?: string; serverTime?: string };
  error?: { code: string; message: string; context?: Record<string, unknown> };
};

/**
 * Runs the plugin's healthcheck on what the form holds (POST /api/v1/sources/test-connection) and says
 * how it went in words: the same explanations as a failed run, and for an unverified certificate the
 * server's thumbprint with a button that pins it in the form.
 */
function TestConnection({
  tls,
  sourceId,
  onPin,
}: {
  tls: TlsMode;
  sourceId?: string;
  onPin: (thumbprint: string) => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConnectionTest | { fault: string } | null>(null);
  const test = async (button: HTMLButtonElement) => {
    const form = button.form;
    if (!form) return;
    setBusy(true);
    setResult(null);
    try {
      const { name, config, credentialId } = sourceBody(new FormData(form), tls);
      const body = { type: 'vcenter', config, credentialId, ...(name ? { name } : {}), sourceId };
      setResult(await api<ConnectionTest>('/api/v1/sources/test-connection', { body }));
    } catch (err) {
      setResult({ fault: markFieldErrors(form, err) ?? (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const error = result && 'ok' in result && !result.ok ? result.error : undefined;
  const k = error ? errorHelpKey(error.code) : null;
  const thumb = error
    ? thumbprintOf({ code: error.code, message: error.message, context: error.context })
    : null;
  return (
    <div className="flex flex-col gap-2 rounded-md border border-dashed p-3">
      <div className="flex items-center gap-3">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={busy}
          data-testid="test-connection"
          onClick={(e) => void test(e.currentTarget)}
        >
          <PlugZap /> {busy ? t('sources.testing') : t('sources.testConnection')}
        </Button>
        <span className="text-xs text-muted-foreground">{t('sources.testHint')}</span>
      </div>
      {result && (
        <div
          role="status"
          data-testid="test-connection-result"
          data-ok={'ok' in result ? String(result.ok) : 'false'}
          data-code={error?.code ?? ''}
          className="flex flex-col gap-1 text-sm"
        >
          {'fault' in result ? (
            <p className="text-destructive">{t('common.error', { message: result.fault })}</p>
          ) : result.ok ? (
            <p className="text-success">
              {t('sources.testOk', {
                version: result.server?.version ?? '?',
                ms: result.durationMs,
                time: result.server?.serverTime ?? '—',
              })}
            </p>
          ) : (
            <>
              <p className="font-medium text-destructive">
                {t('sources.testFailed')} · <code className="text-xs">{error?.code}</code>
              </p>
              {k && <p>{t(helpWhat(k))}</p>}
              {k && <p className="text-muted-foreground">{t(helpNext(k))}</p>}
              <p className="break-words text-xs text-muted-foreground">{error?.message}</p>
              {thumb && (
                <p className="flex flex-wrap items-center gap-2 text-xs">
                  <code className="break-all" data-testid="test-thumbprint">
                    {thumb}
                  </code>
                  <Button
                    type="button"
                    size="sm"
                    variant="outline"
                    data-testid="use-thumbprint"
                    onClick={() => {
                      onPin(thumb);
                      setResult(null);
                    }}
                  >
                    {t('sources.useThumbprint')}
                  </Button>
                </p>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
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
  // A thumbprint pinned from a connection test replaces the field's value (the key re-mounts it).
  const [pinned, setPinned] = useState<string | null>(null);
  const p = source ? `src-${source.id.slice(0, 8)}` : 'src-new';
  return (
    <FormDialog
      title={editing ? t('sources.editTitle') : t('sources.createTitle')}
      testId="source-dialog"
      trigger={<EditOrAddButton editing={editing} thing="source" addLabel={t('sources.add')} />}
      onSubmit={async (f) => {
        const body = sourceBody(f, tls);
        try {
          if (editing) await api(`/api/v1/sources/${source!.id}`, { method: 'PATCH', body });
          else await api('/api/v1/sources', { body: { ...body, type: 'vcenter' } });
        } catch (err) {
          // The same vCenter twice: say which source already is it, in the reader's language.
          const dup = err instanceof ApiError && err.code === 'SOURCE_DUPLICATE' ? err.details : null;
          const name = (dup as { duplicateOf?: { name?: string } } | null)?.duplicateOf?.name;
          throw name ? new RefusalInWords(t('identity.sourceDuplicate', { name })) : err;
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
            key={pinned ?? 'stored'}
            name="thumbprint_sha256"
            aria-label={t('sources.thumbprint')}
            required
            className="font-mono text-xs"
            defaultValue={pinned ?? source?.config.thumbprint_sha256}
            placeholder="AB:CD:…"
          />
        )}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="enabled" defaultChecked={source?.enabled ?? true} />
        {t('common.enabled')}
      </label>
      <TestConnection
        tls={tls}
        sourceId={source?.id}
        onPin={(thumb) => {
          setPinned(thumb);
          setTls('thumbprint');
        }}
      />
    </FormDialog>
  );
}
