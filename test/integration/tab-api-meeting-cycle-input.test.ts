import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { snapshotStore } from '../security/fuzz-http.js';
import { setUpBoard } from '../../bot/services/setup.js';

/**
 * Bad input to every route of the meeting cycle gets a 4xx whose message says what to fix, and
 * changes nothing in the store. The secretariat (AM) sends all of it, so no refusal is about
 * who is asking. Demo data, test clock 23 November 2026: mtg-exec-3 was held, mtg-exec-4 is next.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const send = (method: 'POST' | 'PUT', path: string, body: unknown) => app.as('AM', path, { method, body: JSON.stringify(body) });
const version = async (set: 'meetings' | 'members' | 'memberships' | 'themes' | 'actions', id: string) => (await app.store[set].get(id))!.version;

interface BadInput {
  readonly what: string;
  request(): Promise<{ status: number; body: any }>;
  readonly status: number;
  readonly message: RegExp;
}

const CASES: BadInput[] = [
  { what: 'a person with initials a current member has', request: () => send('POST', '/api/tab/members', { name: 'Tina North', initials: 'tn' }), status: 422, message: /TN are already used by Tracey Naismith/ },
  { what: 'a person with an unknown organisation', request: () => send('POST', '/api/tab/members', { name: 'New Person', initials: 'NPX', organisationId: 'org-nowhere' }), status: 404, message: /no organisation/ },
  { what: 'a person with an unknown field', request: () => send('POST', '/api/tab/members', { name: 'New Person', initials: 'NPX', role: 'chair' }), status: 400, message: /not valid/ },
  { what: 'initials with digits', request: () => send('POST', '/api/tab/members', { name: 'New Person', initials: 'N1' }), status: 400, message: /not valid/ },
  { what: 'a stale edit of a person', request: () => send('PUT', '/api/tab/members/mem-cc', { version: 'stale', name: 'Changed', initials: 'CC' }), status: 409, message: /Reload/ },
  { what: 'an edit of an unknown person', request: () => send('PUT', '/api/tab/members/mem-nobody', { version: '1', name: 'Changed', initials: 'ZZ' }), status: 404, message: /no person/ },
  { what: 'a responsible authority kind that does not exist', request: () => send('POST', '/api/tab/organisations', { name: 'Ambulance', authorityKind: 'ambulance' }), status: 400, message: /not valid/ },
  { what: 'an organisation already on the list', request: () => send('POST', '/api/tab/organisations', { name: 'devon and cornwall police', authorityKind: 'police' }), status: 422, message: /already on the list/ },
  { what: 'a theme led by a former member', request: () => send('POST', '/api/tab/themes', { name: 'Hate crime', leadMemberIds: ['mem-ab'] }), status: 422, message: /no longer a member/ },
  { what: 'a theme led by nobody known', request: () => send('POST', '/api/tab/themes', { name: 'Hate crime', leadMemberIds: ['mem-nobody'] }), status: 404, message: /no person/ },
  { what: 'a second active theme of the same name', request: () => send('POST', '/api/tab/themes', { name: 'Domestic Abuse', leadMemberIds: ['mem-hs'] }), status: 422, message: /already an active theme/ },
  { what: 'a group reporting to an unknown group', request: () => send('POST', '/api/tab/groups', { name: 'New group', kind: 'sub-group', parentGroupId: 'grp-nowhere' }), status: 404, message: /not known/ },
  { what: 'ending a membership before it started', request: async () => send('POST', '/api/tab/memberships/ms-exec-cc/end', { version: await version('memberships', 'ms-exec-cc'), endDate: '2000-01-01' }), status: 422, message: /before it started/ },
  { what: 'a meeting in the past', request: () => send('POST', '/api/tab/meetings', { groupId: 'grp-exec', date: '2026-11-02' }), status: 422, message: /in the past/ },
  { what: 'a meeting of an unknown group', request: () => send('POST', '/api/tab/meetings', { groupId: 'grp-nowhere', date: '2027-03-02' }), status: 404, message: /no group/ },
  { what: 'a meeting on a date that is not real', request: () => send('POST', '/api/tab/meetings', { groupId: 'grp-exec', date: '2027-02-30' }), status: 400, message: /not valid/ },
  { what: 'a paper deadline after the meeting', request: () => send('POST', '/api/tab/meetings', { groupId: 'grp-exec', date: '2027-03-02', paperDeadline: '2027-03-09' }), status: 422, message: /before the meeting date/ },
  { what: 'a second meeting of the group on the same day', request: async () => send('POST', '/api/tab/meetings', { groupId: 'grp-exec', date: (await app.store.meetings.get('mtg-exec-4'))!.date }), status: 422, message: /already has a meeting/ },
  { what: 'a stale reschedule', request: () => send('PUT', '/api/tab/meetings/mtg-exec-4', { version: 'stale', date: '2027-03-02' }), status: 409, message: /Reload/ },
  { what: 'rescheduling a meeting that was held', request: async () => send('PUT', '/api/tab/meetings/mtg-exec-3', { version: await version('meetings', 'mtg-exec-3'), date: '2027-03-02' }), status: 409, message: /held/ },
  { what: 'cancelling without a reason', request: async () => send('POST', '/api/tab/meetings/mtg-exec-4/cancel', { version: await version('meetings', 'mtg-exec-4'), reason: ' ' }), status: 422, message: /why/ },
  { what: 'attendance for a meeting still to come', request: async () => send('PUT', '/api/tab/meetings/mtg-exec-4/attendance', { version: await version('meetings', 'mtg-exec-4'), attendeeIds: ['mem-cc'], apologyIds: [] }), status: 422, message: /on the day or after/ },
  { what: 'attendance naming someone not on the group', request: async () => send('PUT', '/api/tab/meetings/mtg-exec-3/attendance', { version: await version('meetings', 'mtg-exec-3'), attendeeIds: ['mem-ab'], apologyIds: [] }), status: 422, message: /substitute/ },
  { what: 'attendance naming nobody known', request: async () => send('PUT', '/api/tab/meetings/mtg-exec-3/attendance', { version: await version('meetings', 'mtg-exec-3'), attendeeIds: ['mem-nobody'], apologyIds: [] }), status: 404, message: /no person/ },
  { what: 'someone both present and apologising', request: async () => send('PUT', '/api/tab/meetings/mtg-exec-3/attendance', { version: await version('meetings', 'mtg-exec-3'), attendeeIds: ['mem-cc'], apologyIds: ['mem-cc'] }), status: 422, message: /both attend/ },
  { what: 'holding a meeting that is still to come', request: async () => send('POST', '/api/tab/meetings/mtg-exec-4/held', { version: await version('meetings', 'mtg-exec-4') }), status: 422, message: /on the day or after/ },
  { what: 'holding an unknown meeting', request: () => send('POST', '/api/tab/meetings/mtg-nowhere/held', { version: '1' }), status: 404, message: /no meeting/ },
  { what: 'an action at an unknown meeting', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-nowhere', minuteRef: '3', text: 'Do it', owners: [], due: { kind: 'next-meeting' } }), status: 404, message: /no meeting/ },
  { what: 'an action owned by a former member', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: '3', text: 'Do it', owners: [{ kind: 'member', memberId: 'mem-ab' }], due: { kind: 'next-meeting' } }), status: 422, message: /not a current member/ },
  { what: 'an action owned by an unknown group', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: '3', text: 'Do it', owners: [{ kind: 'group', groupId: 'grp-nowhere' }], due: { kind: 'next-meeting' } }), status: 422, message: /not a known group/ },
  { what: 'an action with an empty text', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: '3', text: '   ', owners: [], due: { kind: 'next-meeting' } }), status: 422, message: /empty/ },
  { what: 'an action due before its meeting', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: '3', text: 'Do it', owners: [], due: { kind: 'date', date: '2020-01-01' } }), status: 422, message: /before the meeting/ },
  { what: 'an action with a minute reference that is not one', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: 'AOB', text: 'Do it', owners: [], due: { kind: 'next-meeting' } }), status: 422, message: /minute reference/ },
  { what: 'an action with an unknown theme', request: () => send('POST', '/api/tab/actions', { meetingId: 'mtg-exec-3', minuteRef: '3', text: 'Do it', owners: [], due: { kind: 'next-meeting' }, themeId: 'thm-nowhere' }), status: 404, message: /no theme/ },
  { what: 'dropping an action without a reason', request: async () => send('POST', '/api/tab/actions/act-exec-3-08/changes', { version: await version('actions', 'act-exec-3-08'), changeId: 'chg-drop-000001', change: { kind: 'set-status', status: 'dropped' } }), status: 422, message: /why the action is dropped/ },
  { what: 'giving an action to a former member', request: async () => send('POST', '/api/tab/actions/act-exec-3-08/changes', { version: await version('actions', 'act-exec-3-08'), changeId: 'chg-owner-00001', change: { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-ab' }] } }), status: 422, message: /not a current member/ },
];

describe('bad input to the meeting-cycle routes', () => {
  it.each(CASES)('refuses $what with $status, saying what to fix, and changes nothing', async ({ request, status, message }) => {
    const before = await snapshotStore(app.store);
    const response = await request();
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    // The message is for a person: no stack, no internal code where the sentence should be.
    expect(response.body.error.message).not.toMatch(/Error:|at \w+ \(|undefined/);
    expect(await snapshotStore(app.store)).toEqual(before);
  });
});

describe('a board set up from empty', () => {
  let fresh: TestApp;
  beforeAll(async () => {
    fresh = await startTestApp({ env: { SEED_DEMO: 'false' } });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('will not end the only secretariat\u2019s membership: nobody could manage the board after it', async () => {
    const setUp = await setUpBoard(fresh.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Alison Mills', secretariatInitials: 'AM', secretariatEmail: null, secretariatAadObjectId: null }, new Date('2026-11-23T10:00:00Z'));
    if (!setUp.ok) throw new Error(setUp.error.message);
    const before = await snapshotStore(fresh.store);
    const membership = (await fresh.store.memberships.get(setUp.value.membershipId))!;
    const response = await fresh.as('AM', `/api/tab/memberships/${membership.id}/end`, { method: 'POST', body: JSON.stringify({ version: membership.version }) });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/last secretariat or chair/);
    expect(await snapshotStore(fresh.store)).toEqual(before);
  });
});

describe('an edit that leaves a field out keeps it', () => {
  it('moving a meeting keeps its agenda, title, time and a deadline the secretariat set', async () => {
    const before = (await app.store.meetings.get('mtg-exec-4'))!;
    const moved = await send('PUT', '/api/tab/meetings/mtg-exec-4', { version: before.version, date: '2027-01-12' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ date: '2027-01-12', title: before.title, startTime: before.startTime, agenda: before.agenda, paperDeadline: before.paperDeadline });
    expect(before.agenda.length).toBeGreaterThan(0);
  });

  it('a deadline that was the default follows the meeting to its new date', async () => {
    const scheduled = await send('POST', '/api/tab/meetings', { groupId: 'grp-exec', date: '2027-03-02' });
    expect(scheduled.body.paperDeadline).toBe('2027-02-19');
    const moved = await send('PUT', `/api/tab/meetings/${scheduled.body.id}`, { version: scheduled.body.version, date: '2027-03-09' });
    expect(moved.body.paperDeadline).toBe('2027-02-26');
  });

  it('editing a person\u2019s name keeps their email, organisation and sign-in', async () => {
    const before = (await app.store.members.get('mem-cc'))!;
    const edited = await send('PUT', '/api/tab/members/mem-cc', { version: before.version, name: 'Chloe Causer-Smith', initials: 'CC' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Chloe Causer-Smith', email: before.email, organisationId: before.organisationId, jobTitle: before.jobTitle });
    expect(edited.body.audit.at(-1).summary).toBe('Name Chloe Causer \u2192 Chloe Causer-Smith');
  });
});
