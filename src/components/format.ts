// Formatting shared by server and client components. Times are shown in UTC with the zone named, so
// every reader (and every screenshot) sees the same instant the same way.
import { MESSAGES, type Locale } from '@/i18n';

/** `2026-11-25 23:50:01 UTC` in every language: unambiguous for auditors, no 12/24-hour or day/month order. */
export function fmtDateTime(value: Date | string | null | undefined, _locale?: Locale): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A time in a given IANA zone, e.g. a schedule group's next fire time: `2026-11-27 02:30 GMT+8`. */
export function fmtInZone(value: Date | string | null | undefined, zone: string, locale: Locale): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  try {
    const parts = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: zone,
      timeZoneName: 'short',
    }).formatToParts(d);
    const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')}`;
  } catch {
    return fmtDateTime(d, locale);
  }
}

export function fmtBytes(n: unknown): string {
  const v = typeof n === 'string' ? Number(n) : n;
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let x = v;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x >= 100 || i === 0 ? Math.round(x) : x.toFixed(1)} ${units[i]}`;
}

/** How long from `from` to `to` (or now), in the reader's language: `0.4 s`, `1 min 19 s`, `1 分 19 秒`. */
export function fmtDuration(
  from: Date | string | null | undefined,
  to: Date | string | null | undefined,
  locale: Locale = 'en',
): string {
  if (!from) return '—';
  const u = unitsOf(locale);
  const a = new Date(from).getTime();
  const b = to ? new Date(to).getTime() : Date.now();
  const ms = Math.max(0, b - a);
  // a run of a small estate takes under a second: "0 s" read as if it had done nothing
  if (ms < 100) return `< 0.1 ${u.s}`;
  if (ms < 9950) return `${(ms / 1000).toFixed(1)} ${u.s}`;
  return wholeUnits(Math.round(ms / 1000), u);
}

/** How long ago `at` was, in whole units (an age needs no tenths): `< 1 s`, `9 s`, `1 min 19 s`. */
export function fmtAge(at: Date | string | null | undefined, locale: Locale = 'en'): string {
  if (!at) return '—';
  const u = unitsOf(locale);
  const s = Math.floor(Math.max(0, Date.now() - new Date(at).getTime()) / 1000);
  return s < 1 ? `< 1 ${u.s}` : wholeUnits(s, u);
}

type Units = { s: string; min: string; h: string };
const unitsOf = (locale: Locale): Units => (MESSAGES[locale] ?? MESSAGES.en).common.durationUnits;

function wholeUnits(s: number, u: Units): string {
  if (s < 60) return `${s} ${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${u.min} ${s % 60} ${u.s}`;
  return `${Math.floor(m / 60)} ${u.h} ${m % 60} ${u.min}`;
}

/** Any value as display text: arrays joined, objects as compact JSON. */
export function fmtValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v))
    return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
