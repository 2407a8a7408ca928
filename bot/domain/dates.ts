/**
 * Calendar dates as 'YYYY-MM-DD' strings. The partnership works in Europe/London,
 * so "today" is always the London date of an instant, whatever the server's zone.
 * Uses only ECMAScript's Intl and Date: the domain must not import Node built-ins.
 */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const PARTNERSHIP_TIME_ZONE = 'Europe/London';

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARTNERSHIP_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

export interface LondonClock {
  readonly date: LocalDate;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday ... 6 = Saturday */
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// One request asks for the London clock of its `now` several times, and formatToParts is among
// the dearest calls of a card press: the last answer is kept for the same instant.
let lastClock: { readonly at: number; readonly clock: LondonClock } | undefined;

export function londonClock(now: Date): LondonClock {
  const at = now.getTime();
  if (lastClock?.at === at) return lastClock.clock;
  const parts: Record<string, string> = {};
  for (const part of londonParts.formatToParts(now)) parts[part.type] = part.value;
  const clock: LondonClock = {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
  lastClock = { at, clock };
  return clock;
}

export function londonDate(now: Date): LocalDate {
  return londonClock(now).date;
}

function toUtcMidnight(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(toUtcMidnight(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / 86_400_000);
}

/** 0 = Sunday ... 6 = Saturday, for a calendar date. */
export function weekdayOf(date: LocalDate): number {
  return new Date(toUtcMidnight(date)).getUTCDay();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "28 July 2020": how a British reader writes a date, for text people read (papers, exports). */
export function formatLongDate(date: LocalDate): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
