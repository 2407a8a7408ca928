import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

const cache = new Map<CardTemplateName, unknown>();

function template(name: CardTemplateName): unknown {
  let json = cache.get(name);
  if (json === undefined) {
    json = JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8'));
    cache.set(name, json);
  }
  return json;
}

/** Binds typed data to a template. Data values are never parsed as template expressions. */
export function renderCard<T extends object>(name: CardTemplateName, data: T): AdaptiveCardJson {
  const expanded = new ACData.Template(template(name)).expand({ $root: data }) as AdaptiveCardJson;
  return expanded;
}

export function cardAttachment(card: AdaptiveCardJson): { contentType: string; content: AdaptiveCardJson } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
