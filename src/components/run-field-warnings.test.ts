import { describe, expect, it } from 'vitest';
import { invalidFieldLabel, isFieldInvalid } from './run-field-warnings';

describe('FIELD_INVALID warnings on the run page', () => {
  it('names fields in words in both languages, table columns as "table › column"', () => {
    expect(invalidFieldLabel('hardware.memory_bytes', 'en')).toBe('Memory');
    expect(invalidFieldLabel('hardware.memory_bytes', 'zh-CN')).toBe('内存');
    expect(invalidFieldLabel('storage.datastores[].free_bytes', 'en')).toMatch(/^Datastores › Free/);
    expect(invalidFieldLabel('storage.datastores[].free_bytes', 'zh-CN')).toMatch(/^数据存储 › /);
    expect(invalidFieldLabel('hardware.disks[].size_bytes', 'en')).toMatch(/^Disks › /);
    expect(invalidFieldLabel('no.such.field', 'en')).toBe('no.such.field');
  });

  it('tells grouped FIELD_INVALID warnings from the others', () => {
    expect(isFieldInvalid({ code: 'FIELD_INVALID', field: 'x', count: 1, examples: [] })).toBe(true);
    expect(isFieldInvalid({ code: 'VCENTER_RELOGIN', message: 'x' })).toBe(false);
    expect(isFieldInvalid('text')).toBe(false);
  });
});
