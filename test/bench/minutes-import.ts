import { readFileSync } from 'node:fs';
import { buildDemoData } from '../../bot/demo/demo-data.js';
import { MINUTES_TEXT_MAX, parseMinutes } from '../../bot/domain/index.js';
import { proposeFromText } from '../../bot/services/minutes-import.js';
import { median, percentile, round } from './bench-stats.js';

/**
 * Reading a long set of minutes: the July 2020 Exec's two-column minutes (seed 004, the style with the
 * most to read: table cells, bold actions and standalone action sentences) repeated with its minutes
 * renumbered until the text is about `pages` pages long (3,000 characters a page), then parsed, and
 * parsed and resolved against the demo board, as the preview route does. Nothing is saved.
 */
const CHARS_PER_PAGE = 3_000;
const MEETING = { date: '2020-07-28', groupId: 'grp-exec' };

export function longMinutes(pages: number): string {
  const seed = readFileSync(new URL('../fixtures/minutes/004_dd60bac41bfd3b0d.txt', import.meta.url), 'utf8');
  const parts: string[] = [];
  let length = 0;
  for (let copy = 0; length < pages * CHARS_PER_PAGE; copy++) {
    const offset = copy * 12;
    const renumbered = seed.replace(/^(\d{1,2})\.(\d{1,2}\.)?(?=[\s\t])/gm, (_all, minute: string, sub: string | undefined) => `${Number(minute) + offset}.${sub ?? ''}`);
    parts.push(renumbered);
    length += renumbered.length + 1;
  }
  return parts.join('\n').slice(0, Math.min(pages * CHARS_PER_PAGE, MINUTES_TEXT_MAX));
}

export async function benchMinutesImport(options: { pages: number; runs: number }): Promise<Record<string, unknown>[]> {
  const text = longMinutes(options.pages);
  const demo = buildDemoData('2026-11-23', new Date('2026-11-23T10:00:00Z'));
  const parseMs: number[] = [];
  const proposeMs: number[] = [];
  let found = 0;
  let doubtful = 0;
  for (let run = 0; run < options.runs; run++) {
    let t = performance.now();
    found = parseMinutes(text, MEETING.date).actions.length;
    parseMs.push(performance.now() - t);
    t = performance.now();
    const { proposals } = proposeFromText(text, MEETING, demo, '2026-11-23');
    proposeMs.push(performance.now() - t);
    doubtful = proposals.filter((p) => p.doubts.length > 0).length;
  }
  const row = (step: string, ms: number[]) => ({ step, 'median ms': round(median(ms), 1), 'p95 ms': round(percentile(ms, 95), 1), runs: ms.length });
  const size = `${round(text.length / 1024, 0)} KB, about ${Math.round(text.length / CHARS_PER_PAGE)} pages`;
  return [
    row(`parse (${size}): ${found} actions found`, parseMs),
    row(`parse + resolve owners against the demo board (${doubtful} with a doubt shown)`, proposeMs),
  ];
}
