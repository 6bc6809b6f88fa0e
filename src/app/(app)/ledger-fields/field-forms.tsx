'use client';
import { useRouter } from 'next/navigation';
import { Archive, ArchiveRestore } from 'lucide-react';
import { api } from '@/components/api';
import { EditOrAddButton, Field, FormDialog, str } from '@/components/form-dialog';
import type { LedgerFieldView } from '@/components/ledger/types';
import { Button } from '@/components/ui/button';
import { Checkbox, Input, Select, Textarea } from '@/components/ui/input';
import { useT } from '@/i18n/client';

const TYPES = ['text', 'long_text', 'number', 'date', 'boolean', 'enum'] as const;
const KINDS = ['host', 'cluster', 'vm'] as const;

export function FieldDialog({ field }: { field?: LedgerFieldView }) {
  const t = useT();
  const editing = Boolean(field);
  const p = field ? `lf-${field.key}` : 'lf-new';
  return (
    <FormDialog
      title={editing ? t('ledger.editDefinition') : t('ledger.addDefinition')}
      testId="ledger-field-dialog"
      trigger={
        <EditOrAddButton editing={editing} thing="ledger-field" addLabel={t('ledger.addDefinition')} />
      }
      onSubmit={async (f) => {
        const options = str(f, 'options')
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean);
        const body = {
          label: { en: str(f, 'labelEn'), zhCN: str(f, 'labelZh') },
          type: str(f, 'type'),
          options,
          kinds: KINDS.filter((k) => f.get(`kind-${k}`) === 'on'),
          unique: f.get('unique') === 'on',
        };
        if (editing) await api(`/api/v1/ledger-fields/${field!.key}`, { method: 'PATCH', body });
        else await api('/api/v1/ledger-fields', { method: 'POST', body: { key: str(f, 'key'), ...body } });
      }}
    >
      <Field label={t('ledger.key')} htmlFor={`${p}-key`}>
        <Input
          id={`${p}-key`}
          name="key"
          required
          pattern="[a-z][a-z0-9_]{0,39}"
          defaultValue={field?.key}
          disabled={editing}
          data-testid="ledger-field-key"
        />
      </Field>
      <Field label={t('ledger.labelEn')} htmlFor={`${p}-en`}>
        <Input
          id={`${p}-en`}
          name="labelEn"
          required
          defaultValue={field?.label.en}
          data-testid="ledger-field-en"
        />
      </Field>
      <Field label={t('ledger.labelZh')} htmlFor={`${p}-zh`}>
        <Input
          id={`${p}-zh`}
          name="labelZh"
          required
          defaultValue={field?.label.zhCN}
          data-testid="ledger-field-zh"
        />
      </Field>
      <Field label={t('ledger.type')} htmlFor={`${p}-type`}>
        <Select
          id={`${p}-type`}
          name="type"
          defaultValue={field?.type ?? 'text'}
          disabled={field?.builtin}
          data-testid="ledger-field-type"
        >
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`ledger.types.${ty}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('ledger.options')} htmlFor={`${p}-options`}>
        <Textarea id={`${p}-options`} name="options" rows={3} defaultValue={field?.options.join('\n')} />
      </Field>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-sm font-medium">{t('ledger.kinds')}</legend>
        {KINDS.map((k) => (
          <label key={k} className="flex items-center gap-2">
            <Checkbox name={`kind-${k}`} defaultChecked={field ? field.kinds.includes(k) : true} />
            {t(`kind.${k}`)}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="unique" defaultChecked={field?.unique ?? false} />
        {t('ledger.unique')}
      </label>
    </FormDialog>
  );
}

export function ArchiveFieldButton({ field }: { field: LedgerFieldView }) {
  const t = useT();
  const router = useRouter();
  return (
    <Button
      variant="outline"
      size="sm"
      data-testid={`archive-${field.key}`}
      onClick={async () => {
        await api(`/api/v1/ledger-fields/${field.key}`, {
          method: 'PATCH',
          body: { archived: !field.archived },
        });
        router.refresh();
      }}
    >
      {field.archived ? <ArchiveRestore /> : <Archive />}
      {field.archived ? t('ledger.unarchive') : t('ledger.archive')}
    </Button>
  );
}
