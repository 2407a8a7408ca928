/**
 * A card template compiled once into plain functions, for the small part of the Adaptive Card
 * templating language our templates use: `${path}` (a data field, `$root.` for the card's root
 * data), `${!path}`, text with fields in it, `$when` and `$data` (repeat over an array). It gives
 * what adaptivecards-templating's Template.expand gives for those (the cross-check in
 * test/unit/card-templates-compiled.test.ts compares the two on every template), at a fraction of
 * the cost: expand evaluated each expression through adaptive-expressions' memory on every render.
 *
 * Anything else (another function, a missing field, a value of a shape the library would turn into
 * text its own way) is not guessed at: `compileTemplate` returns null for a template it cannot
 * compile, and a compiled render returns NOT_COMPILED for data it cannot bind, so the caller falls
 * back to the library and the card is the same either way.
 */

export const NOT_COMPILED: unique symbol = Symbol('not compiled');

interface Scope {
  readonly root: unknown;
  readonly data: unknown;
}

class Unsupported extends Error {}

type Node = (scope: Scope) => unknown;
/** Expands to zero or more values: what a `$data`/`$when` object becomes inside an array. */
const DROPPED = Symbol('dropped');

/** Template keys the library consumes and never copies into the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);
const PATH = /^(!?)((?:\$root\.)?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
const EXPRESSION = /\$\{([^}]*)\}/g;

function lookup(scope: Scope, path: string): unknown {
  const parts = path.split('.');
  let value: unknown = parts[0] === '$root' ? scope.root : scope.data;
  for (const part of parts[0] === '$root' ? parts.slice(1) : parts) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) throw new Unsupported();
    value = (value as Record<string, unknown>)[part];
  }
  // The library writes "${path}" in place of a missing value: not something a card should say.
  if (value === undefined || value === null) throw new Unsupported();
  return value;
}

/** `path` or `!path`, typed as the data holds it. */
function compileExpression(source: string): Node {
  const match = PATH.exec(source.trim());
  if (!match) throw new Unsupported();
  const [, not, path] = match as unknown as [string, string, string];
  if (!not) return (scope) => lookup(scope, path);
  return (scope) => {
    const value = lookup(scope, path);
    if (typeof value !== 'boolean') throw new Unsupported();
    return !value;
  };
}

function compileString(text: string): Node {
  if (!text.includes('${')) return () => text;
  // The library parses the text as a backquoted string: a backquote or backslash would be read as syntax.
  if (text.includes('`') || text.includes('\\')) throw new Unsupported();
  const parts: (string | Node)[] = [];
  let last = 0;
  for (const match of text.matchAll(EXPRESSION)) {
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push(compileExpression(match[1]!));
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.some((p) => typeof p === 'string' && p.includes('${'))) throw new Unsupported();
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  return (scope) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = part(scope);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new Unsupported();
      out += String(value);
    }
    return out;
  };
}

function compileObject(node: Record<string, unknown>): Node {
  const when = node['$when'];
  const data = node['$data'];
  if (when !== undefined && typeof when !== 'string') throw new Unsupported();
  if (data !== undefined && typeof data !== 'string') throw new Unsupported();
  const whenNode = when === undefined ? undefined : compileWholeExpression(when);
  const dataNode = data === undefined ? undefined : compileWholeExpression(data);
  const fields = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => [key, compileNode(node[key])] as const);
  const one = (scope: Scope): unknown => {
    if (whenNode && lookupWhen(whenNode, scope) !== true) return DROPPED;
    const out: Record<string, unknown> = {};
    for (const [key, field] of fields) {
      const value = field(scope);
      if (value === DROPPED) continue;
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  if (!dataNode) {
    // As the library: an object dropped by $when becomes null (left out of an array).
    return (scope) => {
      const value = one(scope);
      return value === DROPPED ? null : value;
    };
  }
  return (scope) => {
    const bound = dataNode(scope);
    const contexts = Array.isArray(bound) ? bound : [bound];
    const results: unknown[] = [];
    for (const item of contexts) {
      if (item === undefined || item === null) throw new Unsupported();
      const value = one({ root: scope.root, data: item });
      if (value !== DROPPED) results.push(value);
    }
    return results.length === 0 ? null : results.length === 1 ? results[0] : results;
  };
}

/** `$when` is evaluated without the library's stand-in text: a value that is not a boolean is false. */
function lookupWhen(node: Node, scope: Scope): unknown {
  try {
    return node(scope);
  } catch (error) {
    if (error instanceof Unsupported) throw error;
    return false;
  }
}

function compileWholeExpression(text: string): Node {
  const match = /^\$\{([^}]*)\}$/.exec(text);
  if (!match) throw new Unsupported();
  return compileExpression(match[1]!);
}

function compileNode(node: unknown): Node {
  if (typeof node === 'string') return compileString(node);
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    return (scope) => {
      const out: unknown[] = [];
      for (const item of items) {
        const value = item(scope);
        if (value === null) continue;
        if (Array.isArray(value)) out.push(...value);
        else out.push(value);
      }
      return out;
    };
  }
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

export type CompiledTemplate = (data: object) => unknown | typeof NOT_COMPILED;

/** The template as a function of its data, or null if it uses more of the language than compiled here. */
export function compileTemplate(template: unknown): CompiledTemplate | null {
  let root: Node;
  try {
    root = compileNode(template);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  return (data) => {
    try {
      return root({ root: data, data });
    } catch (error) {
      if (error instanceof Unsupported) return NOT_COMPILED;
      throw error;
    }
  };
}
