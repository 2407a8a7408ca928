import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, ActionUpdate, ConversationInstall, Meeting, Member, Theme, ThemeReport } from '../../bot/domain/index.js';
import { ERASED_INITIALS, ERASED_NAME, ERASED_NOTE } from '../../bot/domain/retention.js';
import { erasePerson } from '../../bot/services/erasure.js';
import type { Store } from '../../bot/store/store.js';
import { DEFAULT_TEST_NOW, type TestApp } from '../support/app.js';
import { aDelivery } from '../support/records.js';
import { diff, recordIn, snapshot, STORES, without, type Snapshot } from './data-protection-stores.js';

/**
 * Erasing a person who has left and asked (UK GDPR art. 17), through the tab API, on both stores:
 * who may, what is refused, and what changes: their record, their chat and the messages sent
 * to them, their name and initials in the board's texts; nothing else. The board's decisions stay
 * readable, owned and written by "a former member".
 */
const TN_OID = '00000000-0000-4000-8000-000000000006';
const TN_MEMBERSHIPS = ['ms-exec-tn', 'ms-safer-communities-tn', 'ms-theme-leads-tn'];

async function addFixture(store: Store): Promise<void> {
  const tn = (await store.members.get('mem-tn'))!;
  await store.members.update({ ...tn, teamsUserId: '29:tn', audit: [{ id: 'mem-tn:a1', at: '2025-05-01T10:00:00.000Z', byMemberId: 'mem-am', summary: 'Job title Community Safety Officer \u2192 Theme lead, Safer Communities' }] } as Member, tn.version);
  await store.installs.create({ id: 'a:chat-tn', scope: 'personal', tenantId: 't', serviceUrl: 'https://smba.trafficmanager.net/uk/', teamId: null, channelId: null, memberId: 'mem-tn', teamsUserId: '29:tn', installedAt: '2026-03-01T10:00:00.000Z', reference: { user: { id: '29:tn' } } } satisfies ConversationInstall);
  await store.installs.create({ id: 'a:chat-mg', scope: 'personal', tenantId: 't', serviceUrl: 'https://smba.trafficmanager.net/uk/', teamId: null, channelId: null, memberId: 'mem-mg', teamsUserId: '29:mg', installedAt: '2026-03-01T10:00:00.000Z', reference: {} } satisfies ConversationInstall);
  await store.deliveries.create(aDelivery({ id: 'reminder:act-exec-3-08:2026-11-16:before:mem-tn', conversationId: 'a:chat-tn', status: 'sent', createdAt: '2026-11-16T09:00:00.000Z' }));
  await store.deliveries.create(aDelivery({ id: 'report-prompt:rnd-exec-4:thm-safer-communities:prompt', kind: 'report-prompt', subjectId: 'rnd-exec-4:thm-safer-communities', conversationId: 'a:chat-tn', status: 'sent', createdAt: '2026-11-17T09:00:00.000Z' }));
  await store.deliveries.create(aDelivery({ id: 'digest:2026-11-16:mem-mg', kind: 'digest', conversationId: 'a:chat-mg', status: 'sent', createdAt: '2026-11-16T09:00:00.000Z' }));
  // Named by others: as a substitute at a meeting, in a theme's audit, in a lead's report, in the chair's note.
  const previous = (await store.meetings.get('mtg-exec-2'))!;
  await store.meetings.update({ ...previous, substitutes: [{ name: 'Tracey Naismith', organisationId: 'org-council', forMemberId: 'mem-jke' }] } as Meeting, previous.version);
  const theme = (await store.themes.get('thm-safer-communities'))!;
  await store.themes.update({ ...theme, audit: [{ id: 'thm-sc:a1', at: '2026-06-01T10:00:00.000Z', byMemberId: 'mem-am', summary: 'Leads SH \u2192 TN' }] } as Theme, theme.version);
  const report = (await store.themeReports.get('rnd-exec-4:thm-domestic-abuse'))!;
  const [v1] = report.versions;
  await store.themeReports.update({ ...report, versions: [{ ...v1!, content: { ...v1!.content, progress: `${v1!.content.progress} Joint work with TN on the ASB hotspots.` } }] } as ThemeReport, report.version);
  const opic = (await store.actions.get('act-exec-3-13'))!;
  const note: ActionUpdate = { id: 'chg-mg-opic', at: '2026-11-01T10:00:00.000Z', byMemberId: 'mem-mg', kind: 'note', note: 'Asked Tracey Naismith to chase the OPiC data.', from: null, to: null };
  await store.actions.update({ ...opic, history: [...opic.history, note] } as Action, opic.version);
}

describe.each(STORES)('erasing a person on $name', (storeUnderTest) => {
  let app: TestApp;
  let fixture: Snapshot;
  const version = async (id: string) => (await app.store.members.get(id))!.version;
  const erase = async (as: string, id: string, body: unknown) => app.as(as, `/api/tab/people/${id}/erase`, { method: 'POST', body: JSON.stringify(body) });
  const endMemberships = async (ids: readonly string[]) => {
    for (const id of ids) {
      const ms = (await app.store.memberships.get(id))!;
      const res = await app.as('AM', `/api/tab/memberships/${id}/end`, { method: 'POST', body: JSON.stringify({ version: ms.version, endDate: '2026-11-22' }) });
      expect(res.status, id).toBe(200);
    }
  };

  beforeAll(async () => {
    app = await storeUnderTest.start();
    await addFixture(app.store);
    fixture = await snapshot(app.store);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a plain member (403), bad input (400), an unknown person (404), a stale version (409), wrong initials and a current member (422); nothing changes', async () => {
    const v = await version('mem-tn');
    const refusals = [
      [await erase('CC', 'mem-tn', { version: v, confirmInitials: 'TN' }), 403, 'MEMBER.FORBIDDEN', /Only the chair or the secretariat/],
      [await erase('TN', 'mem-tn', { version: v, confirmInitials: 'TN' }), 403, 'MEMBER.FORBIDDEN', /Only the chair or the secretariat/],
      [await erase('AM', 'mem-tn', { version: v }), 400, 'REQUEST.INVALID', /confirmInitials/],
      [await erase('AM', 'mem-tn', { version: v, confirmInitials: 'TN', reason: 'asked' }), 400, 'REQUEST.INVALID', /reason/],
      [await erase('AM', 'mem-tn', { version: v, confirmInitials: 'TN', theirNotes: 'shred' }), 400, 'REQUEST.INVALID', /theirNotes/],
      [await erase('AM', 'mem-nobody', { version: v, confirmInitials: 'TN' }), 404, 'MEMBER.NOT_FOUND', /no person/],
      [await erase('AM', 'mem-tn', { version: 'stale', confirmInitials: 'TN' }), 409, 'STORE.CONFLICT', /Reload/],
      [await erase('AM', 'mem-tn', { version: v, confirmInitials: 'TW' }), 422, 'MEMBER.INVALID', /type the initials .* \(TN\)/],
      [await erase('AM', 'mem-tn', { version: v, confirmInitials: 'TN' }), 422, 'MEMBER.INVALID', /Tracey Naismith is still a member of .*Safer Plymouth Exec.*End their memberships first/],
      [await erase('MG', 'mem-am', { version: await version('mem-am'), confirmInitials: 'AM' }), 422, 'MEMBER.INVALID', /someone else must take that role first/],
    ] as const;
    for (const [res, status, code, message] of refusals) {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(JSON.stringify(res.body.error)).toMatch(message);
    }
    expect(await snapshot(app.store)).toEqual(fixture);
  });

  it('erases a former member on request: their record, chat and messages, their name in the board\u2019s texts, and nothing else', async () => {
    await endMemberships(TN_MEMBERSHIPS);
    const before = await snapshot(app.store);
    const res = await erase('AM', 'mem-tn', { version: await version('mem-tn'), confirmInitials: 'tn' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ memberId: 'mem-tn', erasedOn: '2026-11-23', changed: { actions: 5, themeReports: 1, meetings: 1, auditedRecords: 1, installsDeleted: 1, deliveriesDeleted: 2 } });
    const after = await snapshot(app.store);
    expect(diff(before, after)).toEqual({
      members: { removed: [], added: [], changed: ['mem-tn'] },
      actions: { removed: [], added: [], changed: ['act-exec-2-02', 'act-exec-3-06', 'act-exec-3-08', 'act-exec-3-10', 'act-exec-3-13'] },
      themeReports: { removed: [], added: [], changed: ['rnd-exec-4:thm-domestic-abuse'] },
      meetings: { removed: [], added: [], changed: ['mtg-exec-2'] },
      themes: { removed: [], added: [], changed: ['thm-safer-communities'] },
      installs: { removed: ['a:chat-tn'], added: [], changed: [] },
      deliveries: { removed: ['reminder:act-exec-3-08:2026-11-16:before:mem-tn', 'report-prompt:rnd-exec-4:thm-safer-communities:prompt'], added: [], changed: [] },
    });

    // Nothing anywhere names them, reaches them or signs them in.
    const everything = JSON.stringify(after);
    for (const gone of ['Naismith', 'tn@saferplymouth.example', TN_OID, '29:tn', 'Community Safety Officer']) expect(everything).not.toContain(gone);
    expect(everything).not.toMatch(/(?<![A-Za-z])TN(?![A-Za-z])/);

    const tn = recordIn<Member>(after, 'members', 'mem-tn');
    expect(tn).toMatchObject({ name: ERASED_NAME, initials: ERASED_INITIALS, otherInitials: [], jobTitle: '', email: null, entraObjectId: null, teamsUserId: null, organisationId: 'org-council' });
    expect(tn.audit?.map((l) => l.summary)).toEqual(['Details changed', 'Erased on 23 November 2026 by AM']);

    // Their actions keep their owner, status, dates and history; only the words that named them changed.
    for (const id of ['act-exec-2-02', 'act-exec-3-06', 'act-exec-3-08', 'act-exec-3-10', 'act-exec-3-13']) {
      const was = recordIn<Action>(before, 'actions', id);
      const now = recordIn<Action>(after, 'actions', id);
      expect(without(now, 'text', 'history')).toEqual(without(was, 'text', 'history'));
      expect(now.history.map((h) => without(h, 'note'))).toEqual(was.history.map((h) => without(h, 'note')));
    }
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-08').text).toBe('A former member to enquire about what safeguarding training the street pastors have had.');
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-08').owners).toEqual([{ kind: 'member', memberId: 'mem-tn' }]);
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-13').history.at(-1)?.note).toBe('Asked a former member to chase the OPiC data.');
    // Their own notes are kept (the default): the board's record of work on its decisions.
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-10').history.find((h) => h.byMemberId === 'mem-tn')?.note).toBe('List drafted; waiting on the OPCC\u2019s steer before circulating.');

    const report = recordIn<ThemeReport>(after, 'themeReports', 'rnd-exec-4:thm-domestic-abuse');
    expect(report.versions[0]?.content.progress).toMatch(/Joint work with a former member on the ASB hotspots\.$/);
    expect(without(report, 'versions')).toEqual(without(recordIn<ThemeReport>(before, 'themeReports', report.id), 'versions'));
    const meeting = recordIn<Meeting>(after, 'meetings', 'mtg-exec-2');
    expect(meeting.substitutes).toEqual([{ name: ERASED_NAME, organisationId: 'org-council', forMemberId: 'mem-jke' }]);
    expect(without(meeting, 'substitutes')).toEqual(without(recordIn<Meeting>(before, 'meetings', 'mtg-exec-2'), 'substitutes'));
    expect(recordIn<Theme>(after, 'themes', 'thm-safer-communities').audit?.[0]?.summary).toBe(`Leads SH \u2192 ${ERASED_INITIALS}`);
    // Where they sat and when stays: the governance record, pointing at "a former member".
    for (const id of TN_MEMBERSHIPS) expect(recordIn(after, 'memberships', id)).toEqual(recordIn(before, 'memberships', id));
  });

  it('keeps the board\u2019s decisions readable: owned, written and erased by whom, in the tab', async () => {
    const action = await app.as('MG', '/api/tab/actions/act-exec-3-10');
    expect(action.status).toBe(200);
    expect(action.body.text).toBe('A former member to share a list of people whom she feels should be involved in developing a proposal.');
    expect(action.body.owners).toEqual([expect.objectContaining({ kind: 'member', label: ERASED_INITIALS, name: ERASED_NAME })]);
    expect(action.body.history.find((h: { byLabel: string | null }) => h.byLabel === ERASED_INITIALS)?.note).toBe('List drafted; waiting on the OPCC\u2019s steer before circulating.');
    const trail = await app.as('MG', '/api/tab/audit');
    const erasure = trail.body.entries.find((e: { summary: string }) => e.summary === 'Erased on 23 November 2026 by AM');
    expect(erasure).toMatchObject({ byInitials: 'AM', recordKind: 'person' });
    expect(JSON.stringify(trail.body)).not.toContain('Naismith');
  });

  it('refuses to erase them twice (409), changing nothing', async () => {
    const before = await snapshot(app.store);
    const again = await erase('AM', 'mem-tn', { version: await version('mem-tn'), confirmInitials: ERASED_INITIALS });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already been erased/);
    expect(await snapshot(app.store)).toEqual(before);
  });

  it('refuses to write details back onto an erased record (422), changing nothing', async () => {
    const before = await snapshot(app.store);
    const edit = await app.as('AM', '/api/tab/members/mem-tn', { method: 'PUT', body: JSON.stringify({ version: await version('mem-tn'), name: 'Tracey Naismith', initials: 'TN', email: 'tn@saferplymouth.example' }) });
    expect(edit.status).toBe(422);
    expect(edit.body.error.message).toMatch(/erased at their request/);
    expect(await snapshot(app.store)).toEqual(before);
  });

  it('removes the notes they wrote when the chair asks, and keeps everyone else\u2019s', async () => {
    await endMemberships(['ms-exec-mg']);
    const before = await snapshot(app.store);
    const res = await erase('AM', 'mem-mg', { version: await version('mem-mg'), confirmInitials: 'MG', theirNotes: 'remove' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await snapshot(app.store);
    const closed = recordIn<Action>(after, 'actions', 'act-exec-2-01');
    expect(closed.history.map((h) => [h.byMemberId, h.kind, h.note])).toEqual([
      [null, 'created', null],
      ['mem-mg', 'note', ERASED_NOTE],
      ['mem-mg', 'status', null],
    ]);
    expect(closed.status).toBe('closed');
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-05').text).toBe('A former member and JK to have a discussion around this, there is minimum funding for this.');
    // AM's notes, and the note MG wrote about someone else, are the only other texts in play: AM's stay word for word.
    expect(recordIn<Action>(after, 'actions', 'act-exec-1-01')).toEqual(recordIn<Action>(before, 'actions', 'act-exec-1-01'));
    expect(recordIn<Action>(after, 'actions', 'act-exec-3-13').history.at(-1)).toMatchObject({ byMemberId: 'mem-mg', note: ERASED_NOTE });
    expect(diff(before, after).installs).toEqual({ removed: ['a:chat-mg'], added: [], changed: [] });
    expect(diff(before, after).deliveries).toEqual({ removed: ['digest:2026-11-16:mem-mg'], added: [], changed: [] });
    expect(JSON.stringify(after)).not.toContain('Garrett');
  });
  it('finishes an erasure that someone interrupted by editing the person: the second request completes it', async () => {
    await endMemberships(['ms-exec-hs', 'ms-domestic-abuse-hs', 'ms-theme-leads-hs', 'ms-marac-hs']);
    let raced = false;
    const members = app.store.members;
    const racing = {
      ...Object.fromEntries(Object.entries(app.store).filter(([, set]) => typeof set === 'object')),
      members: {
        get: (id: string) => members.get(id),
        list: members.list.bind(members),
        all: members.all.bind(members),
        create: members.create.bind(members),
        delete: members.delete.bind(members),
        async update(record: Member, expected: string) {
          if (record.id === 'mem-hs' && record.name === ERASED_NAME && !raced) {
            raced = true;
            const current = (await members.get('mem-hs'))!;
            const { version, ...rest } = current;
            await members.update({ ...rest, jobTitle: 'Head of Domestic Abuse Services' }, version);
          }
          return members.update(record, expected);
        },
      },
    } as unknown as Store;
    const editor = { memberId: 'mem-am', now: DEFAULT_TEST_NOW };
    const first = await erasePerson(racing, editor, { memberId: 'mem-hs', expectedVersion: await version('mem-hs'), confirmInitials: 'HS', theirNotes: 'keep' });
    expect(first.ok).toBe(false);
    expect(!first.ok && first.error).toMatchObject({ code: 'STORE.CONFLICT', message: expect.stringMatching(/erase again to finish/) });
    expect((await app.store.members.get('mem-hs'))?.name).toBe('Hannah Shead');
    const res = await erase('AM', 'mem-hs', { version: await version('mem-hs'), confirmInitials: 'HS' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const everything = JSON.stringify(await snapshot(app.store));
    for (const gone of ['Shead', 'Head of Domestic Abuse Services']) expect(everything).not.toContain(gone);
    expect(everything).not.toMatch(/(?<![A-Za-z])HS(?![A-Za-z])/);
  });
});
