import { describe, expect, it } from 'vitest';
import { fmtAge, fmtDuration } from './format';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms).toISOString();

describe('fmtDuration', () => {
  it('shows tenths under ten seconds, whole seconds, minutes and hours above', () => {
    const cases: [number, string][] = [
      [0, '< 0.1 s'],
      [99, '< 0.1 s'],
      [400, '0.4 s'],
      [3_249, '3.2 s'],
      [9_949, '9.9 s'],
      [9_950, '10 s'],
      [59_499, '59 s'],
      [61_000, '1 min 1 s'],
      [3_600_000 + 120_000, '1 h 2 min'],
    ];
    for (const [ms, text] of cases) expect(fmtDuration(at(0), at(ms)), `${ms} ms`).toBe(text);
  });

  it("speaks the reader's language", () => {
    expect(fmtDuration(at(0), at(400), 'zh-CN')).toBe('0.4 秒');
    expect(fmtDuration(at(0), at(79_000), 'zh-CN')).toBe('1 分 19 秒');
    expect(fmtDuration(at(0), at(3_720_000), 'zh-CN')).toBe('1 小时 2 分');
    expect(fmtDuration(at(0), at(79_000), 'en')).toBe('1 min 19 s');
  });

  it('is a dash without a start, and never negative', () => {
    expect(fmtDuration(null, at(5))).toBe('—');
    expect(fmtDuration(at(5_000), at(0))).toBe('< 0.1 s');
  });
});

describe('fmtAge', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  it("says how long ago in whole units, in the reader's language", () => {
    expect(fmtAge(ago(300))).toBe('< 1 s');
    expect(fmtAge(ago(9_400))).toBe('9 s');
    expect(fmtAge(ago(79_400))).toBe('1 min 19 s');
    expect(fmtAge(ago(79_400), 'zh-CN')).toBe('1 分 19 秒');
    expect(fmtAge(ago(3_720_000), 'zh-CN')).toBe('1 小时 2 分');
  });

  it('is a dash without a time, and never negative', () => {
    expect(fmtAge(null)).toBe('—');
    expect(fmtAge(new Date(Date.now() + 60_000))).toBe('< 1 s');
  });
});
