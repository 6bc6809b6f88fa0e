// The dictionary must label every normalized-v1 field and every enum value in both languages: the test
// walks the JSON schema itself, so a field added to the contract without a label fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '@/i18n';
import {
  fieldByKey,
  fieldByPath,
  formatChange,
  formatField,
  OBSERVED_FIELDS,
  readField,
  type FieldDef,
} from './dictionary';

type Schema = {
  type?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
};

const schema = JSON.parse(
  readFileSync(new URL('../../collector/normalized-v1.schema.json', import.meta.url), 'utf8'),
) as Schema;

/** Every leaf of the schema: [path, its schema]. Arrays of objects are leaves (shown as tables). */
function leaves(s: Schema, prefix = ''): [string, Schema][] {
  return Object.entries(s.properties ?? {}).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return v.type === 'object' ? leaves(v, path) : [[path, v] as [string, Schema]];
  });
}

function expectLabelled(where: string, label: FieldDef['label'] | undefined) {
  for (const locale of LOCALES) {
    expect(label?.[locale]?.trim(), `${where}: no ${locale} label`).toBeTruthy();
  }
}

function expectValuesLabelled(where: string, def: FieldDef, s: Schema) {
  const values = s.enum ?? (s.type === 'boolean' ? ['true', 'false'] : []);
  for (const v of values) expectLabelled(`${where} = ${v}`, def.values?.[v]);
}

describe('field dictionary', () => {
  const all = leaves(schema);

  it('walks the whole schema (the walk itself is not empty)', () => {
    expect(all.length).toBeGreaterThan(35);
    expect(all.map(([p]) => p)).toContain('hardware.memory_bytes');
  });

  it.each(all)('labels %s and each of its values in every language', (path, s) => {
    const def = fieldByPath(path);
    expect(def, `normalized-v1 field ${path} has no FieldDef`).toBeDefined();
    expectLabelled(path, def!.label);
    expectValuesLabelled(path, def!, s);
    if (s.type === 'array' && s.items?.type === 'object') {
      expect(def!.type).toBe('table');
      for (const [prop, ps] of Object.entries(s.items.properties ?? {})) {
        const c = def!.columns?.find((x) => x.path === prop);
        expect(c, `${path}[].${prop} has no column`).toBeDefined();
        expectLabelled(`${path}[].${prop}`, c!.label);
        expectValuesLabelled(`${path}[].${prop}`, c!, ps);
      }
    }
  });

  it('every field (also the asset’s own and derived ones) has both labels and a unique key', () => {
    const keys = new Set<string>();
    for (const f of OBSERVED_FIELDS) {
      expectLabelled(f.key, f.label);
      for (const [v, l] of Object.entries(f.values ?? {})) expectLabelled(`${f.key} = ${v}`, l);
      expect(keys.has(f.key), `duplicate key ${f.key}`).toBe(false);
      keys.add(f.key);
    }
  });

  it('formats memory in GiB and CPU as count × speed, in both languages', () => {
    expect(formatChange('hardware.memory_bytes', 2147483648, 17179869184, 'en')).toBe(
      'Memory 2 GiB → 16 GiB',
    );
    expect(formatChange('hardware.memory_bytes', 2147483648, 17179869184, 'zh-CN')).toBe(
      '内存 2 GiB → 16 GiB',
    );
    const cpu = fieldByKey('cpu')!;
    const n = { hardware: { cpu_count: 2, cpu_mhz: 2300 } };
    expect(formatField(cpu, readField(cpu, n), 'en')).toBe('2 × 2.3 GHz');
    expect(formatField(fieldByKey('memoryBytes')!, 1610612736, 'en')).toBe('1.5 GiB');
  });

  it('translates enum and boolean values, keeps unknown ones as they came', () => {
    const power = fieldByKey('powerState')!;
    expect(formatField(power, 'poweredOn', 'zh-CN')).toBe('已开机');
    expect(formatField(fieldByKey('toolsStatus')!, 'toolsOk', 'zh-CN')).toBe('正常');
    expect(formatField(fieldByKey('connectionState')!, 'connected', 'zh-CN')).toBe('已连接');
    expect(formatField(fieldByKey('template')!, false, 'en')).toBe('No');
    expect(formatField(power, 'somethingNew', 'en')).toBe('somethingNew');
    expect(formatField(power, null, 'en')).toBe('—');
  });

  it('derives provisioned disk and networks from the tables', () => {
    const n = {
      hardware: {
        disks: [
          { name: 'a', size_bytes: 1073741824 },
          { name: 'b', size_bytes: 3221225472 },
        ],
        nics: [{ name: 'n1', network: 'VM Network' }, { name: 'n2', network: 'VM Network' }, { name: 'n3' }],
      },
    };
    expect(
      formatField(fieldByKey('provisionedBytes')!, readField(fieldByKey('provisionedBytes')!, n), 'en'),
    ).toBe('4 GiB');
    expect(readField(fieldByKey('networks')!, n)).toEqual(['VM Network']);
    expect(formatField(fieldByKey('disks')!, n.hardware.disks, 'zh-CN')).toBe('2 块磁盘');
  });
});
