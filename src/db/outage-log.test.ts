import { describe, expect, it } from 'vitest';
import type { Fields, Logger } from '@/lib/logger';
import { createOutageLog } from './outage-log';

function recorder() {
  const lines: [string, string, Fields | undefined][] = [];
  const at = (level: string) => (e: string, f?: Fields) => void lines.push([level, e, f]);
  const log: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return { log, lines };
}

const refused = () =>
  Object.assign(new Error('Failed query: select 1\nparams: '), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  });

describe('createOutageLog', () => {
  it('an outage is one line when it starts, one a minute while it lasts and one when it ends', () => {
    const { log, lines } = recorder();
    let t = 0;
    const o = createOutageLog(log, 'worker', 'worker.poll_failed', () => t);
    for (; t <= 150_000; t += 1000) o.failed(refused()); // a poll a second for 150 s
    o.ok();
    o.ok();
    expect(lines.map(([level, e, f]) => [level, e, f?.down_ms])).toEqual([
      ['warn', 'worker.database_unavailable', 0],
      ['warn', 'worker.database_unavailable', 60_000],
      ['warn', 'worker.database_unavailable', 120_000],
      ['info', 'worker.database_available', 151_000],
    ]);
    expect(lines[0]![2]).toMatchObject({
      error: 'connect ECONNREFUSED 127.0.0.1:5432',
      error_code: 'ECONNREFUSED',
    });
  });

  it('any other error is logged every time, as the loop’s own event', () => {
    const { log, lines } = recorder();
    const o = createOutageLog(log, 'scheduler', 'scheduler.tick_failed');
    o.failed(new Error('relation "schedule_groups" does not exist'));
    o.failed(new Error('relation "schedule_groups" does not exist'));
    expect(lines.map(([level, e]) => [level, e])).toEqual([
      ['error', 'scheduler.tick_failed'],
      ['error', 'scheduler.tick_failed'],
    ]);
  });
});
