/**
 * Finds contents in captured process output: names, action and report text, emails, tokens.
 * A leak is described by where it is (stream and line number), the line's log event and
 * the kind of thing found, never by the text itself, so a failing test does not repeat the
 * leak in CI's output.
 */

/** One line a process wrote, as captured. */
export interface CapturedLine {
  /** Which process and stream, e.g. "app:stdout". */
  readonly source: string;
  /** 1-based, within its source. */
  readonly lineNumber: number;
  readonly text: string;
}

/** Something that must not appear in any log line; `kind` says what it is without saying it. */
export interface Needle {
  readonly kind: string;
  readonly value: string;
}

export interface Leak {
  readonly source: string;
  readonly lineNumber: number;
  /** The log line's event name, or a description of a line that is not a log line. */
  readonly event: string;
  readonly kind: string;
}

/**
 * Shorter values (initials, RAG words, "n/a") occur by chance in ids and codes: searching for
 * them would only make noise. Names, emails and texts are all longer.
 */
export const MIN_NEEDLE_LENGTH = 6;

/**
 * The logger cuts string fields at 200 characters, so a long text can leak as a prefix only:
 * long values are also searched by their opening and closing stretches.
 */
const FRAGMENT_LENGTH = 32;

/** Secrets recognised by shape rather than by value. */
export const SECRET_SHAPES: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'a "Bearer " credential', pattern: /bearer /i },
  { kind: 'a JWT-shaped string', pattern: /eyJ[\w-]+\.[\w-]+\./ },
];

/** Needles of one kind from raw values: trimmed, de-duplicated, too-short ones left out. */
export function needles(kind: string, values: Iterable<string | null | undefined>): Needle[] {
  const seen = new Set<string>();
  const out: Needle[] = [];
  for (const raw of values) {
    const value = (raw ?? '').trim();
    if (value.length < MIN_NEEDLE_LENGTH || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    out.push({ kind, value });
  }
  return out;
}

/** The event a line belongs to, for reporting: never its other contents. */
export function eventOf(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { event?: unknown }).event === 'string') return (parsed as { event: string }).event;
    return '(JSON line without an event)';
  } catch {
    return '(not a JSON log line)';
  }
}

/** What to search for one needle: the value as written, as JSON-escaped, and its ends when long. */
function formsOf(value: string): string[] {
  const lower = value.toLowerCase();
  const forms = new Set([lower, JSON.stringify(lower).slice(1, -1)]);
  if (lower.length > FRAGMENT_LENGTH * 2) {
    forms.add(lower.slice(0, FRAGMENT_LENGTH));
    forms.add(lower.slice(-FRAGMENT_LENGTH));
  }
  return [...forms].filter((f) => f.length >= MIN_NEEDLE_LENGTH);
}

/** Every line that contains a needle (case-insensitive) or a secret's shape. */
export function findLeaks(lines: readonly CapturedLine[], search: readonly Needle[]): Leak[] {
  const prepared = search.map((n) => ({ kind: n.kind, forms: formsOf(n.value) }));
  const leaks: Leak[] = [];
  for (const line of lines) {
    const lower = line.text.toLowerCase();
    const kinds = new Set<string>();
    for (const needle of prepared) if (needle.forms.some((f) => lower.includes(f))) kinds.add(needle.kind);
    for (const shape of SECRET_SHAPES) if (shape.pattern.test(line.text)) kinds.add(shape.kind);
    for (const kind of kinds) leaks.push({ source: line.source, lineNumber: line.lineNumber, event: eventOf(line.text), kind });
  }
  return leaks;
}

/** One line per leak, safe to print: where, which event, what kind of content. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.source} line ${l.lineNumber}, event ${l.event}: contains ${l.kind}`).join('\n');
}
