// Scheduler with an injected clock: due / not due / catch-up within the grace / missed / never twice /
// two schedulers / DST gaps and repeats; and what a firing enqueues.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, closeDb } from '@/db/client';
import { decide, nextInstant, previousInstant } from '@/server/scheduler/schedule';
import { tick } from '@/server/scheduler/scheduler';
import { startScheduler } from '@/bin/scheduler';
import { createTestDatabase, type TestDatabase } from './db';
import { createGroup, createSource, rows } from './pipeline-helpers';

const H = 3600_000;
const at = (iso: string) => new Date(iso);

describe('schedule arithmetic (croner, IANA zones)', () => {
  const berlin = { timezone: 'Europe/Berlin', timeOfDay: '02:30' };
  it('daily HH:mm in a zone', () => {
    expect(previousInstant(berlin, at('2026-06-10T12:00:00Z'))).toEqual(at('2026-06-10T00:30:00Z'));
    expect(nextInstant(berlin, at('2026-06-10T12:00:00Z'))).toEqual(at('2026-06-11T00:30:00Z'));
    // exactly at the instant counts as due
    expect(previousInstant(berlin, at('2026-06-10T00:30:00Z'))).toEqual(at('2026-06-10T00:30:00Z'));
  });
  it('DST gap (02:30 does not exist on 29 March in Berlin): the day still fires, once', () => {
    const days = [];
    let now = at('2026-03-27T12:00:00Z');
    for (let i = 0; i < 4; i++) {
      const n = nextInstant(berlin, now)!;
      days.push(n.toISOString());
      now = n;
    }
    expect(days).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: moved forward, not dropped
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });
  it('DST repeat (02:30 happens twice on 25 October in Berlin): fires once', () => {
    const days = [];
    let now = at('2026-10-24T12:00:00Z');
    for (let i = 0; i < 3; i++) {
      const n = nextInstant(berlin, now)!;
      days.push(n.toISOString());
      now = n;
    }
    expect(days).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });
  it('decide: fire within the grace, missed beyond it, nothing when already fired', () => {
    const spec = { timezone: 'UTC', timeOfDay: '02:00' };
    const inst = at('2026-06-10T02:00:00Z');
    expect(decide(spec, null, at('2026-06-10T02:00:10Z'), H)).toMatchObject({
      action: 'fire',
      instant: inst,
    });
    expect(decide(spec, null, at('2026-06-10T02:59:00Z'), H)).toMatchObject({
      action: 'fire',
      instant: inst,
    });
    expect(decide(spec, null, at('2026-06-10T03:01:00Z'), H)).toMatchObject({
      action: 'missed',
      instant: inst,
    });
    expect(decide(spec, inst, at('2026-06-10T02:30:00Z'), H)).toEqual({ action: 'none' });
    expect(decide({ ...spec, cron: '*/15 * * * *' }, null, at('2026-06-10T02:16:00Z'), H)).toMatchObject({
      action: 'fire',
      instant: at('2026-06-10T02:15:00Z'),
    });
  });
});

describe('scheduler tick against the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });
  const runsOf = (group: string) =>
    rows<{ mode: string; source_id: string; trigger: string }>(
      t.db,
      sql`select mode::text, source_id, trigger::text from runs where schedule_group_id = ${group} order by created_at`,
    );
  const cancelAll = () => t.db.execute(sql`update runs set status = 'cancelled' where status = 'queued'`);

  it('fires a due group once: vCenter sources get collect_hosts before collect_vms; disabled, deleted and credential-less sources are skipped', async () => {
    const g = await createGroup(t.db, { timezone: 'Europe/Berlin', timeOfDay: '03:00' });
    const a = await createSource(t.db, { scheduleGroupId: g });
    const b = await createSource(t.db, { scheduleGroupId: g });
    await createSource(t.db, { scheduleGroupId: g, credential: null });
    await createSource(t.db, { scheduleGroupId: g, enabled: false });
    const del = await createSource(t.db, { scheduleGroupId: g });
    await t.db.execute(sql`update sources set deleted_at = now() where id = ${del.id}`);

    // 02:59 local: not due (yesterday's 03:00 is recorded as the starting point, nothing fires)
    const before = await tick(t.db, at('2026-06-10T00:59:00Z'), { graceMinutes: 60 });
    expect(before.filter((o) => o.action === 'fired')).toEqual([]);
    expect(await runsOf(g)).toHaveLength(0);
    const out = await tick(t.db, at('2026-06-10T01:00:05Z'), { graceMinutes: 60 });
    expect(out).toEqual([
      expect.objectContaining({
        action: 'fired',
        result: expect.objectContaining({ queued: 4, suppressed: 0, skippedMissingCredential: 1 }),
      }),
    ]);
    const runs = await runsOf(g);
    expect(runs.map((r) => [r.source_id, r.mode])).toEqual([
      [a.id, 'collect_hosts'],
      [a.id, 'collect_vms'],
      [b.id, 'collect_hosts'],
      [b.id, 'collect_vms'],
    ]);
    expect(runs.every((r) => r.trigger === 'schedule')).toBe(true);
    // The same instant never fires again, even after the runs finished.
    await cancelAll();
    expect(await tick(t.db, at('2026-06-10T01:20:00Z'), { graceMinutes: 60 })).toEqual([]);
    expect(await runsOf(g)).toHaveLength(4);
    // Next day fires again; active runs are suppressed per (source, mode).
    await t.db.execute(
      sql`update runs set status = 'queued' where source_id = ${a.id} and status = 'cancelled' and mode = 'collect_vms'`,
    );
    const next = await tick(t.db, at('2026-06-11T01:00:00Z'), { graceMinutes: 60 });
    expect(next[0]!.result).toMatchObject({ queued: 3, suppressed: 1 });
    await cancelAll();
  });

  it('catch-up after downtime: within the grace fires once; beyond it is recorded as missed and never fires', async () => {
    const g1 = await createGroup(t.db, { timeOfDay: '02:00', lastFiredFor: at('2026-06-09T02:00:00Z') });
    await createSource(t.db, { scheduleGroupId: g1 });
    const g2 = await createGroup(t.db, { timeOfDay: '04:00', lastFiredFor: at('2026-06-09T04:00:00Z') });
    await createSource(t.db, { scheduleGroupId: g2 });
    // Scheduler starts at 02:45 (45 min late for g1) and 04:00 of today is still ahead for g2.
    const out = await tick(t.db, at('2026-06-10T02:45:00Z'), { graceMinutes: 60 });
    expect(out.map((o) => [o.group_id, o.action])).toEqual([[g1, 'fired']]);
    expect(await tick(t.db, at('2026-06-10T02:46:00Z'), { graceMinutes: 60 })).toEqual([]);
    // Down from 03:50 until 05:30: g2's 04:00 is 90 min late → missed, recorded, not fired later.
    const late = await tick(t.db, at('2026-06-10T05:30:00Z'), { graceMinutes: 60 });
    expect(late.map((o) => [o.group_id, o.action])).toEqual([[g2, 'missed']]);
    expect(await runsOf(g2)).toHaveLength(0);
    expect(await tick(t.db, at('2026-06-10T05:31:00Z'), { graceMinutes: 60 })).toEqual([]);
    const [row] = await rows<{ last_fired_for: Date }>(
      t.db,
      sql`select last_fired_for from schedule_groups where id = ${g2}`,
    );
    expect(new Date(row!.last_fired_for)).toEqual(at('2026-06-10T04:00:00Z'));
    await cancelAll();
    await t.db.execute(sql`update schedule_groups set enabled = false`);
  });

  it('two schedulers ticking at once fire an instant once', async () => {
    const g = await createGroup(t.db, { timeOfDay: '06:00' });
    await createSource(t.db, { scheduleGroupId: g });
    const other = createDb(t.url, { max: 2 });
    try {
      const now = at('2026-06-10T06:00:30Z');
      const [x, y] = await Promise.all([
        tick(t.db, now, { graceMinutes: 60 }),
        tick(other, now, { graceMinutes: 60 }),
      ]);
      const fired = [...x, ...y].filter((o) => o.action === 'fired');
      expect(fired).toHaveLength(1);
      expect(await runsOf(g)).toHaveLength(2);
    } finally {
      await closeDb(other);
    }
    await cancelAll();
    await t.db.execute(sql`update schedule_groups set enabled = false`);
  });

  it('across a DST gap and a repeat, each local day fires exactly once (ticks every 10 minutes)', async () => {
    const gap = await createGroup(t.db, { timezone: 'Europe/Berlin', timeOfDay: '02:30' });
    const rep = await createGroup(t.db, { timezone: 'America/New_York', timeOfDay: '01:30' });
    await createSource(t.db, { scheduleGroupId: gap });
    await createSource(t.db, { scheduleGroupId: rep });
    const fires = new Map<string, string[]>([
      [gap, []],
      [rep, []],
    ]);
    const walk = async (fromIso: string, hours: number) => {
      for (let ms = at(fromIso).getTime(); ms < at(fromIso).getTime() + hours * H; ms += 10 * 60_000) {
        for (const o of await tick(t.db, new Date(ms), { graceMinutes: 60 })) {
          if (o.action === 'fired') fires.get(o.group_id)!.push(o.instant.toISOString());
        }
        await cancelAll();
      }
    };
    await walk('2026-03-28T00:00:00Z', 72); // spring forward: Berlin 29 March (and New York already on EDT)
    await walk('2026-10-24T12:00:00Z', 48); // fall back: Berlin 25 October
    await walk('2026-10-31T12:00:00Z', 48); // fall back: New York 1 November
    // At the start of each walk the previous instant is hours old: recorded as missed, not fired.
    expect(fires.get(gap)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2026-03-30T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 happens twice: the first (CEST) only
      '2026-10-26T01:30:00.000Z',
      '2026-11-01T01:30:00.000Z',
      '2026-11-02T01:30:00.000Z',
    ]);
    expect(fires.get(rep)).toEqual([
      '2026-03-28T05:30:00.000Z',
      '2026-03-29T05:30:00.000Z',
      '2026-03-30T05:30:00.000Z',
      '2026-10-25T05:30:00.000Z',
      '2026-10-26T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 happens twice: the first (EDT) only
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('startScheduler runs a catch-up tick on start and stops cleanly', async () => {
    await t.db.execute(sql`update schedule_groups set enabled = false`);
    const g = await createGroup(t.db, { timeOfDay: '08:00' });
    await createSource(t.db, { scheduleGroupId: g });
    const s = startScheduler({
      db: t.db,
      clock: () => at('2026-06-12T08:30:00Z'),
      tickSeconds: 3600,
      graceMinutes: 60,
    });
    await s.tickNow();
    await s.stop();
    expect(await runsOf(g)).toHaveLength(2);
  });
});
