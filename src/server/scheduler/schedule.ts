// When a schedule group is due. croner does the calendar and time-zone work (DST gaps move the instant
// to the next valid local time, repeated hours fire once), so no date arithmetic is hand-made here.
import { Cron } from 'croner';
import { AppError } from '@/lib/errors';

export interface ScheduleSpec {
  timezone: string;
  timeOfDay: string; // HH:mm, daily
  cron?: string | null; // used instead of timeOfDay when set
}

export function cronPattern(spec: ScheduleSpec): string {
  if (spec.cron && spec.cron.trim()) return spec.cron.trim();
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.timeOfDay);
  if (!m) throw new AppError('VALIDATION_FAILED', `time of day must be HH:mm, got "${spec.timeOfDay}"`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

function cronOf(spec: ScheduleSpec): Cron {
  try {
    return new Cron(cronPattern(spec), { timezone: spec.timezone, paused: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `invalid schedule: ${(err as Error).message}`, { cause: err });
  }
}

/** Throws VALIDATION_FAILED when the zone or pattern is unusable (for the API to call on write). */
export function validateSchedule(spec: ScheduleSpec): void {
  cronOf(spec).nextRun(new Date());
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timezone });
  } catch {
    throw new AppError('VALIDATION_FAILED', `unknown time zone "${spec.timezone}"`);
  }
}

/** The latest scheduled instant at or before `now`. */
export function previousInstant(spec: ScheduleSpec, now: Date): Date | null {
  // previousRuns looks strictly before the reference; an instant equal to now counts as due.
  const [prev] = cronOf(spec).previousRuns(1, new Date(now.getTime() + 1));
  return prev ?? null;
}

export function nextInstant(spec: ScheduleSpec, now: Date): Date | null {
  return cronOf(spec).nextRun(now);
}

export type Decision =
  | { action: 'fire'; instant: Date; lateMs: number }
  | { action: 'missed'; instant: Date; lateMs: number }
  | { action: 'none' };

/**
 * What to do for a group at `now`: fire the latest instant not yet fired if it is within the grace,
 * record it as missed if it is older (so it never fires later), or nothing.
 */
export function decide(spec: ScheduleSpec, lastFiredFor: Date | null, now: Date, graceMs: number): Decision {
  const prev = previousInstant(spec, now);
  if (!prev) return { action: 'none' };
  if (lastFiredFor && prev.getTime() <= lastFiredFor.getTime()) return { action: 'none' };
  const lateMs = now.getTime() - prev.getTime();
  return lateMs <= graceMs
    ? { action: 'fire', instant: prev, lateMs }
    : { action: 'missed', instant: prev, lateMs };
}
