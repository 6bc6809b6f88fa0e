import { describe, expect, it } from 'vitest';
import { RUN_STATUSES, RUN_TRIGGERS } from '@/server/runs/types';
import { ASSET_KINDS, ASSET_STATUSES, POWER_STATES } from '@/server/assets/service';
import { RUN_MODES } from '@/server/sources/service';
import { en } from './en';
import { createTranslator, LOCALES, MESSAGES, resolveLocale, type MessageKey } from './index';
import { zhCN } from './zh-CN';

function leaves(o: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [k2, v2] of leaves(v, `${prefix}${k}.`)) out.set(k2, v2);
  }
  return out;
}

describe('messages', () => {
  it('zh-CN has exactly the English keys, none empty, with the same {placeholders}', () => {
    const a = leaves(en);
    const b = leaves(zhCN);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of b) {
      expect(v.trim(), k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(v), k).toEqual(vars(a.get(k)!));
    }
  });

  it('has a label for every value the data can carry (statuses, modes, kinds, power states, triggers)', () => {
    const keys = [
      ...RUN_STATUSES.map((s) => `runStatus.${s}`),
      ...RUN_TRIGGERS.map((s) => `trigger.${s}`),
      ...RUN_MODES.map((s) => `mode.${s}`),
      ...ASSET_KINDS.map((s) => `kind.${s}`),
      ...ASSET_STATUSES.map((s) => `assetStatus.${s}`),
      ...POWER_STATES.map((s) => `power.${s}`),
    ];
    for (const locale of LOCALES) {
      const t = createTranslator(locale);
      for (const k of keys) expect(t(k as MessageKey), `${locale} ${k}`).not.toMatch(/^⟦/);
    }
  });

  it('interpolates and marks a missing key visibly', () => {
    const t = createTranslator('zh-CN');
    expect(t('assets.total', { total: 12 })).toBe('共 12 项资产');
    expect(t('no.such.key' as MessageKey)).toBe('⟦no.such.key⟧');
    expect(MESSAGES.en.nav.assets).toBe('Assets');
  });
});

describe('resolveLocale', () => {
  it('prefers the cookie, then Accept-Language by weight, else English', () => {
    expect(resolveLocale('zh-CN', 'en-US')).toBe('zh-CN');
    expect(resolveLocale('en', 'zh-CN,zh;q=0.9')).toBe('en');
    expect(resolveLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(resolveLocale(undefined, 'zh-TW')).toBe('zh-CN');
    expect(resolveLocale(undefined, 'en;q=0.9,zh;q=0.8')).toBe('en');
    expect(resolveLocale(undefined, 'fr-FR,zh;q=0.5')).toBe('zh-CN');
    expect(resolveLocale('xx', null)).toBe('en');
    expect(resolveLocale(undefined, 'de')).toBe('en');
  });
});
