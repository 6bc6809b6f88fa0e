// Typed ledger values read from JSON (API) and text (CSV), and ledger fields as dictionary entries.
import { describe, expect, it } from 'vitest';
import { formatField } from '@/server/fields/dictionary';
import { ledgerFieldDef } from './field-defs';
import type { LedgerField } from './fields';
import { convertStored, parseDate, parseJsonValue, parseTextValue } from './values';

const field = (type: LedgerField['type'], extra: Partial<LedgerField> = {}): LedgerField => ({
  key: 'f',
  label: { en: 'F', 'zh-CN': '字段' },
  type,
  options: [],
  kinds: ['host', 'cluster', 'vm'],
  unique: false,
  builtin: false,
  position: 0,
  archivedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...extra,
});

describe('ledger values', () => {
  it('reads real calendar dates only, in the two spellings spreadsheets write', () => {
    expect(parseDate('2026-2-3')).toBe('2026-02-03');
    expect(parseDate('2026/12/31')).toBe('2026-12-31');
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('31.12.2026')).toBeNull();
  });

  it('text cells: formulas stay text, enums match case-insensitively, booleans in both languages', () => {
    expect(parseTextValue(field('text'), '=SUM(A1:A9)')).toEqual({ ok: true, value: '=SUM(A1:A9)' });
    expect(parseTextValue(field('enum', { options: ['in_use', 'retired'] }), 'RETIRED')).toEqual({
      ok: true,
      value: 'retired',
    });
    expect(parseTextValue(field('enum', { options: ['in_use'] }), 'gone').ok).toBe(false);
    // a built-in field's options by their labels too, as the UI shows them in either language
    const env = field('enum', {
      key: 'environment',
      options: ['production', 'staging', 'test', 'development'],
    });
    expect(parseTextValue(env, '生产')).toEqual({ ok: true, value: 'production' });
    expect(parseTextValue(env, ' 预发布 ')).toEqual({ ok: true, value: 'staging' });
    const life = field('enum', { key: 'lifecycle', options: ['in_use', 'retired'] });
    expect(parseTextValue(life, '使用中')).toEqual({ ok: true, value: 'in_use' });
    expect(parseTextValue(life, 'in use')).toEqual({ ok: true, value: 'in_use' });
    expect(parseTextValue(env, '生产环境')).toEqual({
      ok: false,
      reason:
        "'生产环境' is not one of: production (生产), staging (预发布), test (测试), development (开发)",
    });
    expect(parseTextValue(field('boolean'), '是')).toEqual({ ok: true, value: true });
    expect(parseTextValue(field('number'), '1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseTextValue(field('number'), '12abc').ok).toBe(false);
    expect(parseTextValue(field('text'), '  ')).toEqual({ ok: true, value: null });
    expect(parseTextValue(field('text'), 'a\nb').ok).toBe(false);
    expect(parseTextValue(field('long_text'), 'a\nb')).toEqual({ ok: true, value: 'a\nb' });
  });

  it('JSON values must have the field’s JSON type', () => {
    expect(parseJsonValue(field('number'), '12').ok).toBe(false);
    expect(parseJsonValue(field('number'), 1e300).ok).toBe(false);
    expect(parseJsonValue(field('boolean'), false)).toEqual({ ok: true, value: false });
    expect(parseJsonValue(field('text'), null)).toEqual({ ok: true, value: null });
  });

  it('converts stored values through their text form when a type changes', () => {
    expect(convertStored(field('number'), '12')).toEqual({ ok: true, value: 12 });
    expect(convertStored(field('number'), 'C-7').ok).toBe(false);
    expect(convertStored(field('text'), 12)).toEqual({ ok: true, value: '12' });
  });

  it('a ledger field is a dictionary entry with translated option labels', () => {
    const def = ledgerFieldDef(field('enum', { key: 'lifecycle', options: ['in_use', 'retired'] }));
    expect(def).toMatchObject({
      key: 'ledger.lifecycle',
      origin: 'ledger',
      sortable: true,
      exportable: true,
    });
    expect(formatField(def, 'retired', 'zh-CN')).toBe('已退役');
    expect(formatField(def, 'retired', 'en')).toBe('Retired');
  });
});
