'use client';
import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { Play } from 'lucide-react';
import { api } from '@/components/api';
import { EditOrAddButton, Field, FormDialog, str } from '@/components/form-dialog';
import { Button } from '@/components/ui/button';
import { Checkbox, Input } from '@/components/ui/input';
import { translateOr } from '@/i18n';
import { useT } from '@/i18n/client';

export type GroupItem = {
  id: string;
  name: string;
  enabled: boolean;
  timezone: string;
  timeOfDay: string;
  sourceIds: string[];
};
type Option = { id: string; name: string; groupName: string | null };

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Asia/Shanghai', 'Europe/Berlin', 'America/New_York'];
  }
}

export function GroupDialog({ group, sources }: { group?: GroupItem; sources: Option[] }) {
  const t = useT();
  const editing = Boolean(group);
  const allZones = useMemo(zones, []);
  const p = group ? `grp-${group.id.slice(0, 8)}` : 'grp-new';
  return (
    <FormDialog
      title={editing ? t('groups.editTitle') : t('groups.createTitle')}
      testId="group-dialog"
      trigger={<EditOrAddButton editing={editing} thing="group" addLabel={t('groups.add')} />}
      onSubmit={async (f) => {
        const body = {
          name: str(f, 'name'),
          enabled: f.get('enabled') === 'on',
          timezone: str(f, 'timezone'),
          timeOfDay: str(f, 'timeOfDay'),
          sourceIds: f.getAll('sourceIds').map(String),
        };
        if (editing) await api(`/api/v1/schedule-groups/${group!.id}`, { method: 'PATCH', body });
        else await api('/api/v1/schedule-groups', { body });
      }}
    >
      <Field label={t('common.name')} htmlFor={`${p}-name`}>
        <Input id={`${p}-name`} name="name" required defaultValue={group?.name} />
      </Field>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label={t('groups.timezone')} htmlFor={`${p}-tz`}>
          {/* Searchable: typing "shang" offers Asia/Shanghai (a native datalist, keyboard friendly). */}
          <Input
            id={`${p}-tz`}
            name="timezone"
            list={`${p}-tz-list`}
            required
            autoComplete="off"
            defaultValue={group?.timezone ?? 'UTC'}
            placeholder={t('groups.timezoneSearch')}
            data-testid="group-timezone"
          />
          <datalist id={`${p}-tz-list`}>
            {(allZones.includes('UTC') ? allZones : ['UTC', ...allZones]).map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label={t('groups.time')} htmlFor={`${p}-time`}>
          <Input
            id={`${p}-time`}
            name="timeOfDay"
            type="time"
            required
            defaultValue={group?.timeOfDay ?? '02:00'}
          />
        </Field>
      </div>
      <fieldset className="flex max-h-56 flex-col gap-1 overflow-y-auto rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">{t('groups.members')}</legend>
        {sources.length === 0 && <p className="text-sm text-muted-foreground">{t('common.empty')}</p>}
        {sources.map((s) => (
          <label key={s.id} className="flex items-center gap-2 text-sm">
            <Checkbox name="sourceIds" value={s.id} defaultChecked={group?.sourceIds.includes(s.id)} />
            <span className="min-w-0 break-words">{s.name}</span>
            {s.groupName && s.groupName !== group?.name && (
              <span className="text-xs text-muted-foreground">({s.groupName})</span>
            )}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="enabled" defaultChecked={group?.enabled ?? true} />
        {t('common.enabled')}
      </label>
    </FormDialog>
  );
}

type GroupRunResult = {
  queued: number;
  suppressed: number;
  skippedMissingCredential: number;
  runs: { sourceId: string; mode: string; runId: string; suppressed: boolean }[];
};

/** "Queued 2 runs: Lab — Collect hosts, Collect VMs. Already active: …": what "Run now" did, in words. */
function describeGroupRun(
  t: ReturnType<typeof useT>,
  r: GroupRunResult,
  names: Record<string, string>,
): string {
  const bySource = (suppressed: boolean) => {
    const m = new Map<string, string[]>();
    for (const x of r.runs.filter((x) => x.suppressed === suppressed)) {
      m.set(x.sourceId, [...(m.get(x.sourceId) ?? []), translateOr(t, `mode.${x.mode}`, x.mode)]);
    }
    return [...m].map(([id, modes]) => `${names[id] ?? id} — ${modes.join(', ')}`).join('; ');
  };
  const parts = [t('groups.resultQueued', { n: r.queued, list: bySource(false) || '—' })];
  if (r.suppressed) parts.push(t('groups.resultActive', { n: r.suppressed, list: bySource(true) }));
  if (r.skippedMissingCredential) parts.push(t('groups.resultSkipped', { n: r.skippedMissingCredential }));
  if (r.queued + r.suppressed + r.skippedMissingCredential === 0) return t('groups.resultNone');
  return parts.join(' ');
}

export function RunGroupNow({
  groupId,
  sources,
}: {
  groupId: string;
  sources: { id: string; name: string }[];
}) {
  const t = useT();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        disabled={busy}
        data-testid="run-group-now"
        onClick={async () => {
          setBusy(true);
          setMessage(null);
          try {
            const r = await api<GroupRunResult>(`/api/v1/schedule-groups/${groupId}/runs`, {
              method: 'POST',
            });
            setMessage({
              text: describeGroupRun(t, r, Object.fromEntries(sources.map((x) => [x.id, x.name]))),
            });
            router.refresh();
          } catch (e) {
            setMessage({ text: t('common.error', { message: (e as Error).message }), error: true });
          } finally {
            setBusy(false);
          }
        }}
      >
        <Play /> {t('groups.runNow')}
      </Button>
      {message && (
        <p
          role="status"
          data-testid="group-run-result"
          className={message.error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
