import { describe, expect, it } from 'vitest';
import { errorFields } from './logger';

describe('errorFields', () => {
  it('a failed query is logged by its cause and the statement’s start, never its parameters', () => {
    const sql = `select id from runs q where q.status = 'queued'\n  and q.not_before <= now() ${'and true '.repeat(40)}`;
    const err = Object.assign(new Error(`Failed query: ${sql}\nparams: s3cr3t-value,42`), {
      cause: Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' }),
    });
    const f = errorFields(err);
    expect(f).toMatchObject({ error: 'Connection terminated unexpectedly', error_code: '57P01' });
    expect(f.query).toMatch(/^select id from runs q where q\.status = 'queued' and q\.not_before/);
    expect(String(f.query).length).toBeLessThanOrEqual(120);
    expect(JSON.stringify(f)).not.toContain('s3cr3t-value');
  });

  it('any other error keeps its message and code', () => {
    expect(errorFields(Object.assign(new Error('boom'), { code: 'EX' }))).toEqual({
      error: 'boom',
      error_code: 'EX',
    });
    expect(errorFields('plain')).toEqual({ error: 'plain' });
  });
});
