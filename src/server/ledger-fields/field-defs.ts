// Ledger fields as field-dictionary entries (STYLE P4, src/server/fields/dictionary.ts): made from their
// database definitions, so the column chooser, list cells, exports and history label and format them like
// observed fields. Key and path are `ledger.<key>`: the list's sort and filter syntax.
import { en } from '@/i18n/en';
import { zhCN } from '@/i18n/zh-CN';
import type { FieldDef, FieldType, Label } from '@/server/fields/dictionary';
import type { LedgerField, LedgerFieldType } from './fields';

const TYPE: Record<LedgerFieldType, FieldType> = {
  text: 'text',
  long_text: 'longText',
  number: 'number',
  date: 'date',
  boolean: 'boolean',
  enum: 'enum',
};

type OptionLabels = Record<string, Record<string, string>>;

/** Labels of an enum's options: the built-in fields' are translated, admin-defined ones read as written. */
export function optionLabels(f: LedgerField): Record<string, Label> | undefined {
  if (f.type === 'boolean') {
    return {
      true: { en: en.ledger.yes, 'zh-CN': zhCN.ledger.yes },
      false: { en: en.ledger.no, 'zh-CN': zhCN.ledger.no },
    };
  }
  if (f.type !== 'enum') return undefined;
  const enL = (en.ledger.values as OptionLabels)[f.key] ?? {};
  const zhL = (zhCN.ledger.values as OptionLabels)[f.key] ?? {};
  return Object.fromEntries(f.options.map((o) => [o, { en: enL[o] ?? o, 'zh-CN': zhL[o] ?? o }]));
}

export function ledgerFieldDef(f: LedgerField): FieldDef {
  return {
    key: `ledger.${f.key}`,
    path: `ledger.${f.key}`,
    kinds: f.kinds,
    label: f.label,
    type: TYPE[f.type],
    values: optionLabels(f),
    sortable: true,
    filterable: true,
    exportable: true,
    listable: true,
    origin: 'ledger',
  };
}

export const ledgerFieldDefs = (fields: LedgerField[]): FieldDef[] => fields.map(ledgerFieldDef);
