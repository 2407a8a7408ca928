import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpBoard } from '../../bot/services/setup.js';
import { DEFAULT_TEST_NOW, type TestApp } from '../support/app.js';
import { diff, snapshot, STORES } from './data-protection-stores.js';

/**
 * Importing actions from pasted minutes over HTTP, on both stores: the preview saves nothing, the
 * confirm creates the actions, a second confirm creates nothing, a confirm cut short and sent again
 * completes without doubling, and bad input gets a 4xx that says what to fix and changes nothing.
 */

const MINUTES_004 = readFileSync(new URL('../fixtures/minutes/004_dd60bac41bfd3b0d.txt', import.meta.url), 'utf8');
const ACTION_TABLE = readFileSync(new URL('../fixtures/minutes/action-table.txt', import.meta.url), 'utf8');

interface Proposal {
  key: string;
  minuteRef: string;
  text: string;
  owners: { owner: { kind: string }; label: string }[];
  due: { kind: string; date?: string };
  dueLabel: string;
  doubts: { kind: string; message: string }[];
}

const post = (app: TestApp, who: string, path: string, body: unknown) => app.as(who, path, { method: 'POST', body: JSON.stringify(body) });
const preview = (app: TestApp, who: string, meetingId: string, text: string) => post(app, who, `/api/tab/meetings/${meetingId}/minutes-import/preview`, { text });
const confirm = (app: TestApp, who: string, meetingId: string, body: unknown) => post(app, who, `/api/tab/meetings/${meetingId}/minutes-import/confirm`, body);
const asConfirmed = (proposals: readonly Proposal[]) => proposals.map((p) => ({ key: p.key, minuteRef: p.minuteRef, text: p.text, owners: p.owners.map((o) => o.owner), due: p.due }));

describe.each(STORES)('importing actions from minutes on $name', (storeUnderTest) => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  it('previews without saving, confirms once, and a second confirm or a retry after a cut-short confirm creates nothing twice', async () => {
    app = await storeUnderTest.start();
    const before = await snapshot(app.store);
    // An action table for the meeting of 13 October 2026 (the demo's last Exec is on 6 October).
    const shown = await preview(app, 'AM', 'mtg-exec-3', ACTION_TABLE);
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect(shown.body).toMatchObject({ style: 'action-table', styleLabel: 'A table of actions', meeting: { id: 'mtg-exec-3', dateLabel: '6 October 2026' }, summary: '22 actions found; 2 need checking.' });
    const proposals = shown.body.proposals as Proposal[];
    expect(proposals.find((p) => p.minuteRef === '6.3')!.doubts.map((d) => d.message)).toEqual([
      'No one on the board has the initials PB: choose who is meant, or add them to the People view first (their other initials too, as the minutes write them).',
    ]);
    expect(await snapshot(app.store)).toEqual(before);

    // The secretariat corrects one owner (PB is Jean Kelly, say) and one wording, leaves the rest.
    const corrected = asConfirmed(proposals).map((a) =>
      a.minuteRef === '6.3' ? { ...a, owners: [{ kind: 'member', memberId: 'mem-jke' }] } : a.minuteRef === '2.3' ? { ...a, text: 'MG and JK to bring a costed proposal for business support.' } : a,
    );
    // A confirm cut short after eight actions (a crash half way), then sent again in full.
    const partial = await confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: corrected.slice(0, 8) });
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    expect(partial.body).toMatchObject({ created: 8, alreadyImported: 0 });
    const full = await confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: corrected });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({ created: 14, alreadyImported: 8, message: '14 actions added to the log for the meeting of 6 October 2026; 8 actions already imported.' });
    const afterImport = await snapshot(app.store);
    expect(diff(before, afterImport)).toEqual({ actions: { removed: [], added: full.body.actions.map((a: { id: string }) => a.id).sort(), changed: [] } });
    expect(full.body.actions).toHaveLength(22);

    const stored = (await Promise.all(full.body.actions.map((a: { id: string }) => app.store.actions.get(a.id)))) as { minuteRef: string; text: string; owners: unknown[]; due: unknown; meetingId: string }[];
    expect(stored.find((a) => a.minuteRef === '6.3')!.owners).toEqual([{ kind: 'member', memberId: 'mem-jke' }]);
    expect(stored.find((a) => a.minuteRef === '2.3')!.text).toBe('MG and JK to bring a costed proposal for business support.');
    expect(stored.find((a) => a.minuteRef === '2.2')).toMatchObject({ meetingId: 'mtg-exec-3', due: { kind: 'date', date: '2026-10-30' }, owners: [{ kind: 'member', memberId: 'mem-tn' }] });

    // The same import confirmed again (a double click, a resend): nothing new.
    const again = await confirm(app, 'MG', 'mtg-exec-3', { importId: shown.body.importId, actions: corrected });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, alreadyImported: 22, message: 'Nothing new: these 22 actions were already imported.' });
    expect(await snapshot(app.store)).toEqual(afterImport);
    // The same paste previewed again gets the same import id, so confirming it is the same import.
    expect((await preview(app, 'MG', 'mtg-exec-3', ACTION_TABLE)).body.importId).toBe(shown.body.importId);
  });

  it('refuses bad input with a 4xx that says what to fix, and changes nothing', async () => {
    app = await storeUnderTest.start();
    const shown = await preview(app, 'AM', 'mtg-exec-3', MINUTES_004);
    expect(shown.status).toBe(200);
    const good = asConfirmed(shown.body.proposals as Proposal[]);
    const before = await snapshot(app.store);
    const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
      ['no text', () => post(app, 'AM', '/api/tab/meetings/mtg-exec-3/minutes-import/preview', {}), 400, /minutes to import are not valid/],
      ['blank text', () => preview(app, 'AM', 'mtg-exec-3', '   \n '), 400, /paste the text of the minutes/],
      ['text too long', () => preview(app, 'AM', 'mtg-exec-3', 'x'.repeat(240_001)), 400, /a section at a time/],
      ['an unknown field', () => post(app, 'AM', '/api/tab/meetings/mtg-exec-3/minutes-import/preview', { text: 'x', meeting: 'y' }), 400, /not valid/],
      ['an unknown meeting', () => preview(app, 'AM', 'mtg-nope', MINUTES_004), 404, /no meeting with this id/],
      ['a made-up import id', () => confirm(app, 'AM', 'mtg-exec-3', { importId: 'abc', actions: good }), 400, /importId the preview gave/],
      ['no actions', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [] }), 400, /choose at least one action/],
      ['an owner who is not on the board', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [...good.slice(0, 3), { ...good[3]!, owners: [{ kind: 'member', memberId: 'mem-nobody' }] }] }), 422, /Action 4 \(minute 3\) names an owner who is not on the board/],
      ['a former member as owner', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [{ ...good[0]!, owners: [{ kind: 'member', memberId: 'mem-ab' }] }] }), 422, /Andy Boulting \(AB\) is not a current member/],
      ['a due date before the meeting', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [...good.slice(0, 5), { ...good[5]!, due: { kind: 'date', date: '2020-01-01' } }] }), 422, /due before the meeting/],
      ['a key listed twice', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [good[0]!, good[0]!] }), 422, /listed twice/],
      ['no minute number', () => confirm(app, 'AM', 'mtg-exec-3', { importId: shown.body.importId, actions: [{ ...good[0]!, minuteRef: '' }] }), 422, /no minute number/],
      ['a plain member', () => preview(app, 'CC', 'mtg-exec-3', MINUTES_004), 403, /Only the chair or the secretariat/],
      ['a theme lead confirming', () => confirm(app, 'TN', 'mtg-exec-3', { importId: shown.body.importId, actions: good }), 403, /Only the chair or the secretariat/],
    ];
    for (const [what, send, status, message] of cases) {
      const res = await send();
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(JSON.stringify(res.body.error), what).toMatch(message);
    }
    expect(await snapshot(app.store)).toEqual(before);
  });

  it('works from an empty store: a new board, one meeting, nobody yet to own the actions but its secretariat', async () => {
    app = await storeUnderTest.start({ env: { SEED_DEMO: 'false' } });
    const setUp = await setUpBoard(app.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Anna Moss', secretariatInitials: 'AM', secretariatEmail: null, secretariatAadObjectId: null }, DEFAULT_TEST_NOW);
    expect(setUp.ok).toBe(true);
    const meeting = await post(app, 'AM', '/api/tab/meetings', { groupId: 'grp-exec', date: '2027-01-12', requestId: 'empty-store-meeting' });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
    const shown = await preview(app, 'AM', meeting.body.id, MINUTES_004);
    expect(shown.status).toBe(200);
    const proposals = shown.body.proposals as Proposal[];
    expect(proposals).toHaveLength(15);
    // Only AM is on this board: her three actions resolve, every other owner is a doubt in words.
    expect(proposals.filter((p) => p.owners.length > 0).map((p) => p.owners.map((o) => o.label).join())).toEqual(['AM', 'AM', 'AM']);
    expect(proposals.find((p) => p.text.startsWith('TN will bring'))!.doubts[0]!.message).toBe('No one on the board has the initials TN: choose who is meant, or add them to the People view first (their other initials too, as the minutes write them).');
    expect(proposals.find((p) => p.minuteRef === '1.1')!.doubts[0]!.message).toBe('No person or group called "Safer Families" is on the board: choose who is meant.');
    // "In September", said at a meeting in January 2027, is September 2027.
    expect(proposals.find((p) => p.minuteRef === '2')!.dueLabel).toBe('30 September 2027');
    const before = await snapshot(app.store);
    const done = await confirm(app, 'AM', meeting.body.id, { importId: shown.body.importId, actions: asConfirmed(proposals) });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.created).toBe(15);
    expect(diff(before, await snapshot(app.store)).actions!.added).toHaveLength(15);
    const log = await app.as('AM', `/api/tab/actions?meeting=${meeting.body.id}`);
    expect(log.body.total).toBe(15);
  });
});
