// What the ledger UI components receive from their server pages (plain JSON, no Dates).
import type { Locale, Translate } from '@/i18n';
import { translateOr } from '@/i18n';

export type LedgerFieldView = {
  key: string;
  label: { en: string; zhCN: string };
  type: 'text' | 'long_text' | 'number' | 'date' | 'boolean' | 'enum';
  options: string[];
  kinds: ('host' | 'cluster' | 'vm')[];
  unique: boolean;
  builtin: boolean;
  archived: boolean;
};

export type Overrides = { name: string | null; primaryIp: string | null; os: string | null };

export type AssetLedgerView = {
  assetUuid: string;
  kind: 'host' | 'cluster' | 'vm';
  version: number;
  values: Record<string, unknown>;
  overrides: Overrides;
  observed: Overrides;
  updatedAt: string | null;
  updatedBy: string | null;
};

export const fieldLabel = (f: LedgerFieldView, locale: Locale) =>
  locale === 'zh-CN' ? f.label.zhCN : f.label.en;

/** An enum option's label: the built-in ones are translated, admin-defined ones are shown as written. */
export const optionLabel = (t: Translate, f: LedgerFieldView, option: string) =>
  translateOr(t, `ledger.values.${f.key}.${option}`, option);

export function showValue(t: Translate, f: LedgerFieldView, v: unknown): string {
  if (v === null || v === undefined || v === '') return t('ledger.empty');
  if (f.type === 'boolean') return v ? t('ledger.yes') : t('ledger.no');
  if (f.type === 'enum') return optionLabel(t, f, String(v));
  return String(v);
}
