import { addDays, weekdayOf, type LocalDate } from './dates.js';

/**
 * England and Wales bank holidays, computed by the rules in the Banking and Financial
 * Dealings Act 1971 and the proclamations that move them, so the schedule keeps working
 * beyond any list we could ship. One-off changes are listed as the government announced them.
 */
const ONE_OFF_ADDED: readonly LocalDate[] = [
  '2011-04-29', // Royal wedding
  '2012-06-05', // Diamond Jubilee
  '2022-06-03', // Platinum Jubilee
  '2022-09-19', // State funeral of Queen Elizabeth II
  '2023-05-08', // Coronation of King Charles III
];
/** Years in which a regular holiday was moved: the rule date is removed and the announced date added. */
const MOVED: Readonly<Record<LocalDate, LocalDate>> = {
  '1995-05-01': '1995-05-08', // VE Day 50th anniversary
  '2002-05-27': '2002-06-04', // Golden Jubilee
  '2012-05-28': '2012-06-04', // Diamond Jubilee
  '2020-05-04': '2020-05-08', // VE Day 75th anniversary
  '2022-05-30': '2022-06-02', // Platinum Jubilee
};

function isoDate(year: number, month: number, day: number): LocalDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function firstMonday(year: number, month: number): LocalDate {
  let date = isoDate(year, month, 1);
  while (weekdayOf(date) !== 1) date = addDays(date, 1);
  return date;
}

function lastMonday(year: number, month: number): LocalDate {
  const nextMonthFirst = month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1);
  let date = addDays(nextMonthFirst, -1);
  while (weekdayOf(date) !== 1) date = addDays(date, -1);
  return date;
}

/** A holiday on a weekend is "substituted" by the next weekday not already a holiday. */
function substitute(date: LocalDate, taken: Set<LocalDate>): LocalDate {
  let day = date;
  while (weekdayOf(day) === 0 || weekdayOf(day) === 6 || taken.has(day)) day = addDays(day, 1);
  return day;
}

export function bankHolidaysEnglandAndWales(year: number): LocalDate[] {
  const easter = easterSunday(year);
  const taken = new Set<LocalDate>();
  const add = (d: LocalDate) => taken.add(d);
  add(substitute(isoDate(year, 1, 1), taken));
  add(addDays(easter, -2));
  add(addDays(easter, 1));
  for (const regular of [firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8)]) add(MOVED[regular] ?? regular);
  add(substitute(isoDate(year, 12, 25), taken));
  add(substitute(isoDate(year, 12, 26), taken));
  for (const extra of ONE_OFF_ADDED) if (extra.startsWith(`${year}-`)) add(extra);
  return [...taken].sort();
}

const cache = new Map<number, Set<LocalDate>>();

export function isBankHoliday(date: LocalDate): boolean {
  const year = Number(date.slice(0, 4));
  let set = cache.get(year);
  if (!set) {
    set = new Set(bankHolidaysEnglandAndWales(year));
    cache.set(year, set);
  }
  return set.has(date);
}

export function isWorkingDay(date: LocalDate): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date);
}
