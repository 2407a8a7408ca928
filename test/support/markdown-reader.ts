/**
 * What a person reads in a card's TextBlock or Fact, as Teams renders it: CommonMark (a subset)
 * plus the `{{DATE(...)}}`/`{{TIME(...)}}` functions. No markdown renderer is installed here, so
 * this models the two things the tests need: the text a reader sees once backslash escapes are
 * resolved, and every place where the text would still start markdown or a function.
 */

/** CommonMark: a backslash before ASCII punctuation shows that character and nothing else. */
export function displayedText(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Markdown a renderer would act on: emphasis, links, code, HTML, entities, headings, lists, quotes, tables, date functions, templates. */
export function activeMarkdown(markdown: string): string[] {
  const unescaped = markdown.replace(/\\[!-/:-@[-`{-~]/g, '\u0000');
  const found: string[] = [];
  for (const m of unescaped.matchAll(/[*_`[\]<>#|~&{}]/g)) found.push(`"${m[0]}" at ${m.index}`);
  for (const m of unescaped.matchAll(/^[ \t]*([-+=]|\d{1,9}[.)](?=[ \t]|$))/gm)) found.push(`line start "${m[1]}" at ${m.index}`);
  if (markdown.includes('{{')) found.push('a {{ date function');
  if (markdown.includes('${')) found.push('a ${ template');
  return found;
}

/** Every TextBlock text, Fact title and Fact value in a card: the places Teams renders as markdown. */
export function markdownFields(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj['type'] === 'TextBlock' && typeof obj['text'] === 'string') out.push(obj['text']);
      if (Array.isArray(obj['facts'])) {
        for (const fact of obj['facts'] as { title?: unknown; value?: unknown }[]) {
          if (typeof fact.title === 'string') out.push(fact.title);
          if (typeof fact.value === 'string') out.push(fact.value);
        }
      }
      Object.values(obj).forEach(walk);
    }
  };
  walk(card);
  return out;
}
