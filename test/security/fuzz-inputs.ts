/**
 * The raw material of the fuzz suite: strings and values that have broken parsers, renderers
 * and queries elsewhere, and ways to put them into an otherwise well-formed request.
 * Everything is drawn from a seeded Random, so a seed names one exact set of inputs.
 */
import type { Random } from '../support/seeded-random.js';

export const ONE_MB = 1024 * 1024;

export const CONTROL_TEXTS = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003\u0007\u0008\u001b[31mred\u001b[0m',
  '\u001f\u007f\u0080\u009f',
  'line\r\nbreak\rcarriage\nfeed',
  'tab\there\vvertical\fform',
  'next\u0085line\u2028separator\u2029paragraph',
];

export const UNICODE_TEXTS = [
  '\u202eevil\u202c reversed \u202d',
  '\ufeffbyte order mark',
  'zero\u200bwidth\u200cjoiner\u200d\u2060',
  'e\u0301\u0301\u0301\u0301\u0301 stacked accents',
  '🙂👍🏽👨‍👩‍👧‍👦🏳️‍🌈',
  'Ω≈ç√∫˜µ≤≥÷ åß∂ƒ©˙∆˚¬',
  'ＡＢＣ fullwidth ＊＊bold＊＊ ＜b＞',
  '𝕿𝖊𝖘𝖙 mathematical letters',
  'العربية עברית mixed direction',
  'İıŞşǅǈ case folding',
  '\ud83d\ude00 surrogate pair',
  '\uffff\ufffe\ufffd noncharacters',
];

/** Lone surrogates cannot be stored as UTF-8: they belong in inputs the app must refuse or leave alone. */
export const BROKEN_UNICODE_TEXTS = ['\ud800 lone high surrogate', 'lone low \udc00', '\udbff\udbff'];

/** Text that changes an Adaptive Card if it is read as markdown, HTML, a template or a date function. */
export const MARKUP_TEXTS = [
  '**bold** and __bold__',
  '_italic_ and *italic*',
  '[link](http://evil.example/steal?c=1)',
  '<http://evil.example/autolink>',
  '![image](http://evil.example/pixel.png)',
  '<b>bold</b><i>it</i>',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '${heading}',
  '${$root.verbs.markDone}',
  "${if(true, 'yes', 'no')}",
  '${json($root)}',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  '{{TIME(2017-02-14T06:08:39Z)}}',
  '{{name}} {{{triple}}}',
  'Done.\n\n# A heading',
  'Done.\n\n## Sub heading\n\n---',
  '- bullet\n- bullet',
  '1. first\n2. second',
  '> quoted',
  '`code` and ```fenced```',
  '~~struck~~',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '&lt;b&gt;entity&lt;/b&gt; &amp; &#42;&#42;',
  'back\\slash \\*escaped\\* \\',
];

/** Query, path and injection text: OData, SQL, traversal, percent-encoding, prototype keys. */
export const QUERY_TEXTS = [
  "' or 1 eq 1",
  "' or '1'='1",
  "x' or status eq 'open",
  '$filter=id eq 1',
  "$filter=startswith(title,'a')",
  '$top=100000&$skip=1',
  '$expand=fields',
  '%27',
  '%27%20or%201%20eq%201',
  '%',
  '%zz',
  '%00',
  "'; DROP TABLE actions; --",
  '" OR ""="',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/passwd%00.json',
  'file:///etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '*',
];

export const HOSTILE_TEXTS = [...CONTROL_TEXTS, ...UNICODE_TEXTS, ...BROKEN_UNICODE_TEXTS, ...MARKUP_TEXTS, ...QUERY_TEXTS];

/** Raw JSON text spliced into a serialised body: nesting too deep to build as objects here. */
export class RawJson {
  constructor(readonly text: string) {}
}

export const deepArrays = (levels: number) => new RawJson('['.repeat(levels) + ']'.repeat(levels));
export const deepObjects = (levels: number) => new RawJson('{"a":'.repeat(levels) + '0' + '}'.repeat(levels));

/** JSON.stringify that writes RawJson values as their raw text. */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@raw-json-${raws.length - 1}@@`;
    }
    return v;
  });
  return (json ?? 'null').replace(/"@@raw-json-(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}

export function hostileText(random: Random): string {
  const parts = Array.from({ length: random.int(1, 3) }, () => random.pick(HOSTILE_TEXTS));
  return parts.join(random.pick([' ', '', '\n', '\n\n']));
}

/** A long string; `bytes` over the server's 256 KB body limit makes the whole request a 413. */
export function longText(random: Random, bytes: number): string {
  const unit = random.pick(['x', 'é', '🙂', '*_[', '\u0000', '${x}']);
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))).slice(0, bytes);
}

/** A value of a type the field does not take (never a plain short string). */
export function wrongTypedValue(random: Random): unknown {
  switch (random.int(0, 13)) {
    case 0:
      return null;
    case 1:
      return random.pick([true, false]);
    case 2:
      return random.pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 3.14]);
    case 3:
      return [];
    case 4:
      return [random.pick(HOSTILE_TEXTS), 1, null, {}];
    case 5:
      return {};
    case 6:
      return { [random.pick(QUERY_TEXTS)]: random.pick(HOSTILE_TEXTS) };
    case 7:
      return { $ne: null, $gt: '' };
    case 8:
      return deepArrays(random.pick([100, 1000, 10_000]));
    case 9:
      return deepObjects(random.pick([100, 1000, 10_000]));
    case 10:
      return Array.from({ length: 2000 }, (_, i) => i);
    case 11:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    case 12:
      return { toString: 'x', valueOf: 1 };
    default:
      return [[[[[[]]]]]];
  }
}

/** Any value: a wrong type, a hostile string, a long string, or (rarely) a string over the body limit. */
export function anyValue(random: Random): unknown {
  const roll = random.next();
  if (roll < 0.45) return wrongTypedValue(random);
  if (roll < 0.85) return hostileText(random);
  if (roll < 0.98) return longText(random, random.pick([300, 5_000, 30_000, 120_000]));
  return longText(random, ONE_MB);
}

/** Bodies that are not JSON at all, or JSON that is not an object. */
export const NOT_JSON_BODIES = [
  '',
  ' ',
  '\n',
  '{',
  '}',
  '{"type":',
  '{"type":"message",}',
  "{'type':'message'}",
  '{type:"message"}',
  '{"type":"message"} trailing',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":1 /* comment */}',
  '\ufeff{"type":"message"}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"unterminated}',
  '[1,2,',
  'null',
  'true',
  '0',
  '-1',
  '"a string"',
  '[]',
  '[{}]',
  '{"a":1}{"b":2}',
  '\u0000',
];

export interface ContentHeaders {
  readonly 'content-type'?: string;
  readonly 'content-encoding'?: string;
}

/** How a JSON body can be mislabelled on the way in. */
export const WRONG_CONTENT_HEADERS: readonly ContentHeaders[] = [
  {},
  { 'content-type': 'text/plain' },
  { 'content-type': 'text/html' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'multipart/form-data; boundary=xyz' },
  { 'content-type': 'application/octet-stream' },
  { 'content-type': 'application/xml' },
  { 'content-type': 'application/jsonx' },
  { 'content-type': 'json' },
  { 'content-type': ';;;' },
  { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  { 'content-type': 'application/json', 'content-encoding': 'deflate' },
  { 'content-type': 'application/json', 'content-encoding': 'br' },
];

/** Labels that are still JSON: the body must be read as JSON under each. */
export const JSON_CONTENT_HEADERS: readonly ContentHeaders[] = [
  { 'content-type': 'application/json' },
  { 'content-type': 'application/json; charset=utf-8' },
  { 'content-type': 'APPLICATION/JSON' },
  { 'content-type': 'application/json; charset=utf-16' },
  { 'content-type': 'application/vnd.api+json' },
];

/** Sets (or deletes, with `undefined`) a dotted path in a plain JSON object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

export const clone = <T>(value: T): T => structuredClone(value);
