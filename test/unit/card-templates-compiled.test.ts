/**
 * Issue 13, item 6: cards are rendered from templates compiled once to plain functions
 * (bot/cards/compiled-template.ts) instead of adaptivecards-templating evaluating every expression
 * on every render. The compiled form must give exactly the card the library gives: for every
 * template, with data made up from the fields the template uses (empty, single and longer lists,
 * both values of every condition, text that looks like an expression), the two are compared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTemplate, NOT_COMPILED } from '../../bot/cards/compiled-template.js';
import { CARD_TEMPLATES, renderCard, renderCardWithLibrary, type CardTemplateName } from '../../bot/cards/render.js';
import { mulberry32 } from '../support/seeded-random.js';

/** What a template reads from one data scope: booleans, texts, nested objects and repeated lists. */
interface Shape {
  readonly fields: Map<string, 'boolean' | 'text' | Shape | { readonly list: Shape }>;
}
const newShape = (): Shape => ({ fields: new Map() });

function templateOf(name: CardTemplateName): unknown {
  return JSON.parse(readFileSync(new URL(`../../bot/cards/templates/${name}.json`, import.meta.url), 'utf8'));
}

function note(root: Shape, scope: Shape, path: string, kind: 'boolean' | 'text' | { readonly list: Shape }): void {
  const parts = path.split('.');
  let shape = scope;
  if (parts[0] === '$root') {
    shape = root;
    parts.shift();
  }
  for (const part of parts.slice(0, -1)) {
    let next = shape.fields.get(part);
    if (typeof next !== 'object' || 'list' in next) shape.fields.set(part, (next = newShape()));
    shape = next as Shape;
  }
  const last = parts.at(-1)!;
  if (!shape.fields.has(last) || kind !== 'text') shape.fields.set(last, kind);
}

function shapeOf(template: unknown): Shape {
  const root = newShape();
  const walk = (node: unknown, scope: Shape): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(/\$\{(!?)([^}]*)\}/g)) note(root, scope, match[2]!.trim(), match[1] ? 'boolean' : 'text');
      return;
    }
    if (Array.isArray(node)) return node.forEach((item) => walk(item, scope));
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    let inner = scope;
    if (typeof object['$data'] === 'string') {
      inner = newShape();
      note(root, scope, /^\$\{(.*)\}$/.exec(object['$data'])![1]!, { list: inner });
    }
    if (typeof object['$when'] === 'string') note(root, inner, /^\$\{!?(.*)\}$/.exec(object['$when'])![1]!, 'boolean');
    for (const [key, value] of Object.entries(object)) if (key !== '$data' && key !== '$when') walk(value, inner);
  };
  walk(template, root);
  return root;
}

const TEXTS = ['Action 3.1', 'TN to enquire what "safeguarding" means — it’s 100% ${notAnExpression}', '', '28 July 2020', 'Line one\nline two'];

function dataFor(shape: Shape, random: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of shape.fields) {
    if (kind === 'boolean') out[name] = random() < 0.5;
    else if (kind === 'text') out[name] = TEXTS[Math.floor(random() * TEXTS.length)];
    else if ('list' in kind) out[name] = Array.from({ length: Math.floor(random() * 4) }, () => dataFor(kind.list, random));
    else out[name] = dataFor(kind, random);
  }
  return out;
}

describe('cards from compiled templates', () => {
  it.each(CARD_TEMPLATES)('%s compiles and renders exactly what adaptivecards-templating renders', (name) => {
    const template = templateOf(name);
    const compiled = compileTemplate(template);
    expect(compiled).not.toBeNull();
    const shape = shapeOf(template);
    const random = mulberry32(name.length * 7919);
    for (let run = 0; run < 60; run++) {
      const data = dataFor(shape, random);
      const fast = compiled!(data);
      expect(fast).not.toBe(NOT_COMPILED);
      expect(fast).toEqual(renderCardWithLibrary(name, data));
      expect(renderCard(name, data)).toEqual(fast);
    }
  });

  it('leaves data it cannot bind (a missing field) to the library, so the card is the same', () => {
    const compiled = compileTemplate(templateOf('notice'))!;
    expect(compiled({})).toBe(NOT_COMPILED);
    expect(renderCard('notice', {})).toEqual(renderCardWithLibrary('notice', {}));
  });

  it('does not compile what it does not know, and a compiled card follows its data', () => {
    expect(compileTemplate({ type: 'TextBlock', text: "${if(a, 'x', 'y')}" })).toBeNull();
    const card = compileTemplate({ body: [{ $data: '${items}', type: 'TextBlock', text: 'Item ${name} of ${$root.total}', isVisible: '${!hidden}' }] })!;
    expect(card({ total: 2, items: [{ name: 'one', hidden: false }, { name: 'two', hidden: true }] })).toEqual({
      body: [
        { type: 'TextBlock', text: 'Item one of 2', isVisible: true },
        { type: 'TextBlock', text: 'Item two of 2', isVisible: false },
      ],
    });
  });
});
