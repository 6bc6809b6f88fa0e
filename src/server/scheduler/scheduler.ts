// The scheduler loop: each tick, fire every due schedule group at most once per scheduled instant.
// The claim is a conditional UPDATE of last_fired_for in the same transaction as the enqueue, so two
// schedulers (or a restart) can never fire one instant twice, and a crash between them loses nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { getConfig } from '@/lib/config';
import { createLogger, errorFields, type Logger } from '@/lib/logger';
import { triggerGroup, type TriggerGroupResult } from '@/server/runs/trigger';
import { decide } from './schedule';

export type Clock = () => Date;

export interface TickOutcome {
  group_id: string;
  action: 'fired' | 'missed' | 'lost_claim';
  instant: Date;
  result?: TriggerGroupResult;
}

type GroupRow = {
  id: string;
  name: string;
  timezone: string;
  time_of_day: string;
  cron: string | null;
  // RFC 3339 text, as raw rows carry timestamps (src/db/timestamps.ts)
  last_fired_for: string | null;
};

export async function tick(
  db: Db,
  now: Date,
  options: { log?: Logger; graceMinutes?: number } = {},
): Promise<TickOutcome[]> {
  const log = options.log ?? createLogger('scheduler');
  const graceMs = (options.graceMinutes ?? getConfig().SCHEDULER_GRACE_MINUTES) * 60_000;
  const groups = await db.execute<GroupRow>(
    sql`select id, name, timezone, time_of_day, cron, last_fired_for from schedule_groups where enabled`,
  );
  const out: TickOutcome[] = [];
  for (const g of groups.rows) {
    let d;
    try {
      d = decide(
        { timezone: g.timezone, timeOfDay: g.time_of_day, cron: g.cron },
        g.last_fired_for === null ? null : new Date(g.last_fired_for),
        now,
        graceMs,
      );
    } catch (err) {
      log.warn('schedule.invalid', { schedule_group_id: g.id, ...errorFields(err) });
      continue;
    }
    if (d.action === 'none') continue;
    const instant = d.instant;
    const fired = await db.transaction(async (tx) => {
      const claim = await tx.execute(sql`
        update schedule_groups set last_fired_for = ${instant.toISOString()}::timestamptz
        where id = ${g.id} and (last_fired_for is null or last_fired_for < ${instant.toISOString()}::timestamptz)
        returning id`);
      if (!claim.rows[0]) return { action: 'lost_claim' as const };
      if (d.action === 'missed') return { action: 'missed' as const };
      const result = await triggerGroup(tx, g.id, 'schedule', { log });
      return { action: 'fired' as const, result };
    });
    if (fired.action === 'missed' && g.last_fired_for !== null) {
      log.warn('schedule.missed', {
        schedule_group_id: g.id,
        instant: instant.toISOString(),
        late_seconds: Math.round(d.lateMs / 1000),
        grace_minutes: graceMs / 60_000,
      });
    } else if (fired.action === 'fired') {
      log.info('schedule.fired', {
        schedule_group_id: g.id,
        instant: instant.toISOString(),
        late_seconds: Math.round(d.lateMs / 1000),
        queued: fired.result!.queued,
        suppressed: fired.result!.suppressed,
      });
    }
    out.push({
      group_id: g.id,
      action: fired.action,
      instant,
      result: fired.action === 'fired' ? fired.result : undefined,
    });
  }
  return out;
}
