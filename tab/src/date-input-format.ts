/**
 * How a person writes a date in their locale: the order of day, month and year and the separator
 * between them, read from the platform's own formatting (en-GB: 29/01/2027; en-US: 01/29/2027;
 * de-DE: 29.01.2027). Plain functions, no DOM: the unit tests run them in Node.
 */
export type DatePart = 'day' | 'month' | 'year';

export interface DatePattern {
  readonly order: readonly DatePart[];
  readonly separator: string;
}

const FALLBACK: DatePattern = { order: ['day', 'month', 'year'], separator: '/' };

export function datePattern(locale: string): DatePattern {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2027, 0, 29)));
  } catch {
    return FALLBACK;
  }
  const order = parts.filter((p): p is Intl.DateTimeFormatPart & { type: DatePart } => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type);
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
  return order.length === 3 ? { order, separator } : FALLBACK;
}

/** "dd/mm/yyyy" for en-GB: the hint shown with the field. */
export function datePlaceholder(locale: string): string {
  const { order, separator } = datePattern(locale);
  return order.map((p) => (p === 'year' ? 'yyyy' : p === 'month' ? 'mm' : 'dd')).join(separator);
}

/** An ISO date ("2027-01-29") as the person writes it ("29/01/2027" in en-GB); anything else as it is. */
export function formatDateForInput(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const values: Record<DatePart, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  const { order, separator } = datePattern(locale);
  return order.map((p) => values[p]).join(separator);
}

function isoIfReal(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * What the person typed as an ISO date, or null when it is not a real date. The locale's order
 * decides which number is the day; a date written year first (2027-01-29) is read as ISO in
 * every locale. Any separator is accepted (29/1/2027, 29.01.2027, 29-01-2027, 29 01 2027);
 * a two-digit year means 20yy.
 */
export function parseDateInput(text: string, locale: string): string | null {
  const numbers = text.trim().split(/[^0-9]+/).filter(Boolean);
  if (numbers.length !== 3) return null;
  if (numbers[0]!.length === 4) return isoIfReal(Number(numbers[0]), Number(numbers[1]), Number(numbers[2]));
  const { order } = datePattern(locale);
  const value = (part: DatePart) => numbers[order.indexOf(part)]!;
  const yearText = value('year');
  if (yearText.length !== 2 && yearText.length !== 4) return null;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return isoIfReal(year, Number(value('month')), Number(value('day')));
}
