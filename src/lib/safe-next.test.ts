// ?next= after sign-in: same-origin paths only, judged as a browser reads them (issue 11 item 1).
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps same-origin paths with their query and fragment (deep links survive sign-in)', () => {
    expect(safeNext('/assets?kind=vm')).toBe('/assets?kind=vm');
    expect(safeNext('/assets?kind=vm&sort=-name&q=web%2001')).toBe('/assets?kind=vm&sort=-name&q=web%2001');
    expect(safeNext('/runs/0b6f6f3e-8a51-4c8b-9d0a-6f2f5d1f3b21#errors')).toBe(
      '/runs/0b6f6f3e-8a51-4c8b-9d0a-6f2f5d1f3b21#errors',
    );
    expect(safeNext('/')).toBe('/');
    expect(safeNext('/资产?名=虚拟机')).toBe('/%E8%B5%84%E4%BA%A7?%E5%90%8D=%E8%99%9A%E6%8B%9F%E6%9C%BA');
  });

  it.each([
    ['the probe: tab between slashes', '/\t/evil.example/'],
    ['newline between slashes', '/\n/evil.example'],
    ['CR between slashes (was a 500: invalid header character)', '/\r/x'],
    ['CR LF header injection', '/x\r\nSet-Cookie: a=b'],
    ['NUL', '/\u0000/evil.example'],
    ['DEL', '/\u007f'],
    ['protocol-relative', '//evil.example/'],
    ['backslash', '/\\evil.example'],
    ['backslash first', '\\\\evil.example'],
    ['encoded slashes', '/%2F%2Fevil.example'],
    ['encoded slash after one slash', '/%2Fevil.example'],
    ['encoded backslash', '/%5C%5Cevil.example'],
    ['encoded control character', '/%0D%0ASet-Cookie:x'],
    ['absolute URL', 'https://evil.example/'],
    ['scheme-relative with spaces', ' //evil.example'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['relative path', 'assets'],
    ['empty', ''],
    ['bad percent-encoding', '/%E0%A4%A'],
    ['overlong', `/${'a'.repeat(3000)}`],
  ])('refuses %s', (_name, next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('refuses what is not a string', () => {
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('never returns something a browser would resolve to another origin', () => {
    for (const next of ['/\t/evil.example/', '/\\/evil.example', '/./\\evil.example', '/..//evil.example']) {
      const out = safeNext(next);
      expect(new URL(out, 'https://ledger.example').origin, next).toBe('https://ledger.example');
    }
  });
});
