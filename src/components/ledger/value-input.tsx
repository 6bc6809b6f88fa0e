'use client';
// The input for one ledger value, by field type. Values travel as the API takes them (numbers as
// numbers, booleans as booleans, dates as YYYY-MM-DD); an empty input means "clear".
import { Input, Select, Textarea } from '@/components/ui/input';
import { useT } from '@/i18n/client';
import { optionLabel, type LedgerFieldView } from './types';

export function toInputText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The API value of an input's text, or null for empty. Non-numbers stay text: the API names the field. */
export function fromInputText(f: LedgerFieldView, s: string): string | number | boolean | null {
  if (s.trim() === '') return null;
  if (f.type === 'number') return Number.isFinite(Number(s)) ? Number(s) : s;
  if (f.type === 'boolean') return s === 'true';
  return s;
}

export function ValueInput({
  field,
  value,
  onChange,
  id,
  autoFocus,
}: {
  field: LedgerFieldView;
  value: string;
  onChange: (v: string) => void;
  id: string;
  autoFocus?: boolean;
}) {
  const t = useT();
  const common = { id, autoFocus, 'data-testid': `ledger-input-${field.key}` };
  if (field.type === 'enum' || field.type === 'boolean') {
    const options = field.type === 'boolean' ? ['true', 'false'] : field.options;
    return (
      <Select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('ledger.empty')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {field.type === 'boolean'
              ? o === 'true'
                ? t('ledger.yes')
                : t('ledger.no')
              : optionLabel(t, field, o)}
          </option>
        ))}
      </Select>
    );
  }
  if (field.type === 'long_text') {
    return <Textarea {...common} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <Input
      {...common}
      type={field.type === 'date' ? 'date' : field.type === 'number' ? 'number' : 'text'}
      step={field.type === 'number' ? 'any' : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
