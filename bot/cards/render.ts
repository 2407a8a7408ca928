import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileTemplate, NOT_COMPILED, type CompiledTemplate } from './compiled-template.js';

/**
 * adaptivecards-templating's type declarations import the `adaptivecards` package's .ts
 * sources, which do not compile under this project's settings; it is loaded untyped, with
 * the one shape used here.
 */
interface TemplatingModule {
  Template: new (payload: unknown) => { expand(context: { $root: unknown }): unknown };
}
const ACData = createRequire(import.meta.url)('adaptivecards-templating') as TemplatingModule;

export const CARD_TEMPLATES = [
  'action-reminder',
  'my-actions',
  'report-prompt',
  'round-progress',
  'digest',
  'digest-channel',
  'help',
  'notice',
  'welcome',
  'channel-due',
  'channel-due-retired',
] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

/** A rendered Adaptive Card: plain JSON, ready to go in an attachment or an invoke response. */
export type AdaptiveCardJson = Readonly<Record<string, unknown>> & { readonly type: 'AdaptiveCard'; readonly version: string };

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

interface PreparedTemplate {
  /** The library's Template, its expressions parsed once (its constructor parses every `${...}`). */
  readonly library: InstanceType<TemplatingModule['Template']>;
  /** The same template compiled to plain functions (compiled-template.ts), or null where it uses more of the language. */
  readonly compiled: CompiledTemplate | null;
}

/** Each template read, parsed and compiled once per process, on first use. */
const prepared = new Map<CardTemplateName, PreparedTemplate>();

function template(name: CardTemplateName): PreparedTemplate {
  let found = prepared.get(name);
  if (found === undefined) {
    const json: unknown = JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8'));
    found = { library: new ACData.Template(json), compiled: compileTemplate(json) };
    prepared.set(name, found);
  }
  return found;
}

/** Binds typed data to a template, with adaptivecards-templating itself: what the compiled form must equal. */
export function renderCardWithLibrary<T extends object>(name: CardTemplateName, data: T): AdaptiveCardJson {
  return template(name).library.expand({ $root: data }) as AdaptiveCardJson;
}

/** Binds typed data to a template. Data values are never parsed as template expressions. */
export function renderCard<T extends object>(name: CardTemplateName, data: T): AdaptiveCardJson {
  const compiled = template(name).compiled?.(data);
  if (compiled !== undefined && compiled !== NOT_COMPILED) return compiled as AdaptiveCardJson;
  return renderCardWithLibrary(name, data);
}

export function cardAttachment(card: AdaptiveCardJson): { contentType: string; content: AdaptiveCardJson } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
