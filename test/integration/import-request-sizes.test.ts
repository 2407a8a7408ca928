import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTES_TEXT_MAX } from '../../bot/domain/index.js';
import { MAX_REPORT_TEXT_CHARS } from '../../bot/http/attendance-import-api.js';
import { MAX_BODY_BYTES } from '../../bot/http/server.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { teamsAttendanceReport, type ReportPerson } from '../support/teams-attendance-reports.js';
import { snapshot } from './data-protection-stores.js';

/**
 * Imports are limited in characters, the unit the secretariat can see, and the server's body limit
 * follows: minutes pasted up to 240,000 characters arrive whatever they are written in. Before,
 * minutes full of \u201csmart quotes\u201d, \u00e9 and \u2014 (2 to 3 bytes each in UTF-8) went over the 256 KB
 * body limit long before the character limit and got a refusal about kilobytes nobody could check.
 * Over the limit, the answer is JSON with a code and the limit in words, and nothing is saved.
 */

const MINUTES_004 = readFileSync(new URL('../fixtures/minutes/004_dd60bac41bfd3b0d.txt', import.meta.url), 'utf8');
const ACTION_TABLE = readFileSync(new URL('../fixtures/minutes/action-table.txt', import.meta.url), 'utf8');

const bytes = (body: unknown) => Buffer.byteLength(JSON.stringify(body));
const post = (app: TestApp, who: string, path: string, body: unknown) => app.as(who, path, { method: 'POST', body: JSON.stringify(body) });

/** Minutes as Word writes them when typed by hand: curly quotes, dashes, accents, Word's line break. */
function typographic(text: string): string {
  return text.replace(/'/g, '\u2019').replace(/"([^"]*)"/g, '\u201c$1\u201d').replace(/ - /g, ' \u2014 ').replace(/\bcafe\b/gi, 'caf\u00e9');
}

/** Exactly `length` characters: the minutes, then a closing note of 3-byte and escaped characters. */
function minutesOf(length: number): string {
  const minutes = typographic(MINUTES_004);
  const filler = 'Not\u00e9s \u201cfor the r\u00e9cord\u201d \u2014 r\u00e9sum\u00e9 \u2026\u000b';
  const note = '\n\nAppendix \u2014 ' + filler.repeat(Math.ceil(length / filler.length));
  return (minutes + note).slice(0, length);
}

describe('import request sizes: the character limits are the limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const minutesPreview = (text: string) => post(app, 'AM', '/api/tab/meetings/mtg-exec-3/minutes-import/preview', { text });

  it('previews minutes of 240,000 characters of typographic text, a body well over 256 KB', async () => {
    const text = minutesOf(MINUTES_TEXT_MAX);
    expect(text).toHaveLength(240_000);
    expect(bytes({ text })).toBeGreaterThan(MAX_BODY_BYTES);
    const before = await snapshot(app.store);
    const res = await minutesPreview(text);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    // The actions in the minutes are still found, in their typographic words.
    expect(res.body.proposals.length).toBeGreaterThanOrEqual(10);
    expect(res.body.proposals.some((p: { text: string }) => p.text.includes('\u2019'))).toBe(true);
    expect(await snapshot(app.store)).toEqual(before);
  }, 60_000);

  it('previews 240,000 characters that each take the most JSON can give one (6 bytes)', async () => {
    // Word's line break (U+000B) travels as "\u000b"; around an action line, it is all of the paste.
    const text = ('Action: TN to circulate the terms of reference.\n' + '\u000b'.repeat(MINUTES_TEXT_MAX)).slice(0, MINUTES_TEXT_MAX);
    expect(bytes({ text })).toBeGreaterThan(1_400_000);
    const res = await minutesPreview(text);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.proposals.map((p: { text: string }) => p.text)).toEqual([expect.stringContaining('circulate the terms of reference')]);
  }, 60_000);

  it('refuses minutes over 240,000 characters with the limit in words and a code, saving nothing', async () => {
    const before = await snapshot(app.store);
    const over = await minutesPreview(minutesOf(MINUTES_TEXT_MAX + 1));
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe('REQUEST.INVALID');
    expect(JSON.stringify(over.body.error)).toMatch(/at most 240,000 characters: import long minutes a section at a time/);

    // So far over that the body is over the route's limit: refused while reading, in the same words.
    const far = await minutesPreview('\u0001'.repeat(MINUTES_TEXT_MAX + 20_000));
    expect(far.status).toBe(413);
    expect(far.body).toEqual({ error: { code: 'REQUEST.TOO_LARGE', message: 'The minutes are longer than 240,000 characters, the most one import reads: import long minutes a section at a time.' } });
    expect(await snapshot(app.store)).toEqual(before);
  }, 60_000);

  it('confirms the actions of a large typographic action table, a confirm body over 256 KB', async () => {
    // 110 actions of about 2,000 characters each, every one full of 2- and 3-byte characters.
    const header = ACTION_TABLE.split('\n').slice(0, 3).join('\n');
    const rows = Array.from({ length: 110 }, (_, i) => {
      const words = `R\u00e9vision n\u00b0${i + 1} \u2014 ${'\u201c\u00e9t\u00e9\u2014\u00e0\u2026\u201d '.repeat(300)}`.slice(0, 1_990);
      return `${i + 1}.1\t${words}\tTN\tNext meeting`;
    });
    const text = typographic(`${header}\n${rows.join('\n')}\n`);
    expect(text.length).toBeLessThanOrEqual(MINUTES_TEXT_MAX);
    const shown = await minutesPreview(text);
    expect(shown.status, JSON.stringify(shown.body).slice(0, 300)).toBe(200);
    const proposals = shown.body.proposals as { key: string; minuteRef: string; text: string; owners: { owner: unknown }[]; due: unknown }[];
    expect(proposals).toHaveLength(110);
    const body = { importId: shown.body.importId, actions: proposals.map((p) => ({ key: p.key, minuteRef: p.minuteRef, text: p.text, owners: p.owners.map((o) => o.owner), due: p.due })) };
    expect(bytes(body)).toBeGreaterThan(MAX_BODY_BYTES);
    const done = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/minutes-import/confirm', body);
    expect(done.status, JSON.stringify(done.body).slice(0, 300)).toBe(201);
    expect(done.body.created).toBe(110);
  }, 60_000);

  describe('attendance reports', () => {
    const path = (step: 'preview' | 'confirm') => `/api/tab/meetings/mtg-exec-3/attendance-import/${step}`;
    /** A report of the meeting of 6 October 2026 with as many guests (Greek names) as fit in `chars`. */
    const reportOf = (chars: number) => {
      const people: ReportPerson[] = [{ name: 'Anna Moss', email: 'anna.moss@plymouth.gov.uk', role: 'Organizer' }];
      const build = () => teamsAttendanceReport({ date: '2026-10-06', locale: 'en-GB', people });
      for (let i = 0; ; i++) {
        // A guest's name as their own directory gives it, with their organisation: all 2-byte Greek letters.
        people.push({ name: `Αικατερίνη Παπαδοπούλου-Χατζηγεωργίου (Περιφέρεια Κεντρικής Μακεδονίας, Διεύθυνση Δημόσιας Υγείας και Κοινωνικής Μέριμνας) ${i}`, email: `guest.${i}@partner.example`, minutes: 60 });
        if (build().length > chars) {
          people.pop();
          return build();
        }
      }
    };

    it('previews a report of nearly 200,000 characters with Greek names, a body over 256 KB', async () => {
      const text = reportOf(MAX_REPORT_TEXT_CHARS);
      expect(text.length).toBeGreaterThan(MAX_REPORT_TEXT_CHARS - 500);
      expect(bytes({ text })).toBeGreaterThan(MAX_BODY_BYTES);
      const before = await snapshot(app.store);
      const res = await post(app, 'AM', path('preview'), { text });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      expect(res.body.present.map((p: { initials: string }) => p.initials)).toContain('AM');
      expect(await snapshot(app.store)).toEqual(before);
    }, 60_000);

    it('refuses a report over 200,000 characters saying the largest file taken, and saves nothing', async () => {
      const before = await snapshot(app.store);
      const words = 'The attendance report is too large: this import takes up to 200,000 characters, which is about 390 KB for the file as Teams downloads it (175 KB if sent as the file itself). A board meeting\u2019s attendance report is far smaller: check it is the right file.';
      const over = reportOf(MAX_REPORT_TEXT_CHARS) + 'x'.repeat(MAX_REPORT_TEXT_CHARS);
      const answers = [
        await post(app, 'AM', path('preview'), { text: over.slice(0, MAX_REPORT_TEXT_CHARS + 1) }),
        await post(app, 'AM', path('confirm'), { version: 'v1', text: over.slice(0, MAX_REPORT_TEXT_CHARS + 1) }),
        // Over the route's body limit: refused while reading, in the same words.
        await post(app, 'AM', path('preview'), { text: '\u0001'.repeat(MAX_REPORT_TEXT_CHARS + 20_000) }),
        await post(app, 'AM', path('preview'), { fileBase64: 'QUJD'.repeat(60_001) }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(413);
        expect(answer.body).toEqual({ error: { code: 'REQUEST.TOO_LARGE', message: words } });
      }
      expect(await snapshot(app.store)).toEqual(before);
    }, 60_000);
  });

  it('keeps the 256 KB limit, with its refusal in words, for every other route', async () => {
    const res = await post(app, 'AM', '/api/tab/meetings', { groupId: 'grp-exec', date: '2027-01-12', requestId: 'x', note: 'x'.repeat(MAX_BODY_BYTES) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'REQUEST.TOO_LARGE', message: 'The request body is larger than 256 KB.' } });
  });
});
