import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The WCAG 2.0, 2.1 and 2.2 level A and AA rules: what UK public-sector sites are monitored against. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly html: string; readonly failureSummary: string }[];
}

/**
 * Runs axe-core in the page (injected once per document) over the whole document, or only
 * within the elements `within` selects (a dialog: the page behind it was checked on its own);
 * answers the violations.
 */
export async function axeViolations(page: Page, within?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async ({ tags, within }) => {
    type Node = { target: unknown[]; html: string; failureSummary: string; element?: Element };
    type Result = { id: string; impact: string | null; help: string; nodes: Node[] };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Result[] }> } }).axe;
    const result = await axe.run(within ? { include: [within] } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], elementRef: true });
    /*
     * The one exception, and exactly one node pattern: the two <i data-tabster-dummy> elements
     * tabster (Fluent UI's focus manager) puts first and last in <body> once any Fluent dialog
     * or drawer has opened (its modalizer calls root.addDummyInputs(); Fluent runs tabster with
     * controlTab: false, so there is no setting that leaves them out). They are tabindex=0 and
     * aria-hidden by design: when Tab reaches one it immediately moves focus on to the first or
     * last real control, so focus never rests on them (test/e2e/tab-keyboard.test.ts proves that
     * on this tab), and aria-hidden keeps screen readers from announcing them. tabster's
     * maintainers call this intended (microsoft/tabster#288), and Accessibility Insights, which
     * runs axe, suppresses the same pattern (microsoft/accessibility-insights-web#7605). Other
     * dummies (a TabList's, for instance) are not excused: App.tsx's tab list avoids them.
     */
    const isRootFocusDummy = (el: Element | undefined) =>
      !!el && el.parentElement === document.body && el.tagName === 'I' && el.hasAttribute('data-tabster-dummy') && el.getAttribute('aria-hidden') === 'true' && el.getAttribute('role') === 'none';
    return result.violations
      .map((v) => ({ ...v, nodes: v.id === 'aria-hidden-focus' ? v.nodes.filter((n) => !isRootFocusDummy(n.element)) : v.nodes }))
      .filter((v) => v.nodes.length > 0)
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary })),
      }));
  }, { tags: [...WCAG_TAGS], within });
}

/** One line per failing node, for a failure message a person can act on. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string[] {
  return violations.flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(n.target)} ${n.html} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
}
