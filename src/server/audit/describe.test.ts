import { describe, expect, it } from 'vitest';
import { createTranslator, LOCALES, MESSAGES } from '@/i18n';
import { AUDIT_CHANGE_FIELDS, AUDIT_DETAIL_KEYS, auditActionText, auditDetailRows } from './describe';

const has = (tree: unknown, path: string[]) =>
  path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    tree,
  );

describe('audit details in words', () => {
  it.each(LOCALES)('every recorded detail key and changed field has a label in %s', (locale) => {
    for (const k of AUDIT_DETAIL_KEYS)
      expect(has(MESSAGES[locale], ['auditDetail', k]), k).toBeTypeOf('string');
    for (const k of AUDIT_CHANGE_FIELDS)
      expect(has(MESSAGES[locale], ['auditField', k]), k).toBeTypeOf('string');
  });

  it('a source change reads as labelled old → new values, ids as names, no raw keys', () => {
    const details = {
      changed: ['config', 'name'],
      changes: {
        name: { old: 'Lab', new: 'Lab vCenter' },
        tlsMode: { old: 'insecure', new: 'thumbprint' },
        enabled: { old: true, new: false },
      },
    };
    const en = auditDetailRows(createTranslator('en'), details);
    expect(en.map((r) => `${r.label}: ${r.value}`)).toEqual([
      'Name: Lab → Lab vCenter',
      'TLS: Not verified (insecure) → Trust one pinned certificate',
      'Enabled: Yes → No',
    ]);
    const zh = auditDetailRows(createTranslator('zh-CN'), details);
    expect(zh.map((r) => `${r.label}: ${r.value}`)).toEqual([
      '名称: Lab → Lab vCenter',
      'TLS: 不验证（不安全） → 信任一个固定的证书',
      '已启用: 是 → 否',
    ]);
    const run = auditDetailRows(
      createTranslator('zh-CN'),
      { mode: 'collect_vms', source_id: 's1' },
      (type, id) => (type === 'source' && id === 's1' ? 'Lab vCenter' : undefined),
    );
    expect(run.map((r) => `${r.label}: ${r.value}`)).toEqual(['模式: 采集虚拟机', '数据源: Lab vCenter']);
  });

  it('a credential change names the password as changed, never a value', () => {
    const rows = auditDetailRows(createTranslator('en'), {
      changed: ['name', 'data.password'],
      changes: { name: { old: 'a', new: 'b' } },
    });
    expect(rows.map((r) => `${r.label}: ${r.value}`)).toEqual(['Name: a → b', 'Changed: Password']);
  });

  it('actions in both languages', () => {
    expect(auditActionText(createTranslator('en'), 'source.test_connection')).toBe(
      'Source: connection tested',
    );
    expect(auditActionText(createTranslator('zh-CN'), 'source.update')).toBe('数据源：已修改');
  });
});
