import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Every tab route against every kind of caller: the chair (MG), the secretariat (AM), an
 * action owner (TN), a plain member (CC), a stranger whose membership ended (KJ), initials
 * nobody has (ZZ), and no identity at all.
 */
const READ_ROUTES = [
  '/api/tab/me',
  '/api/tab/actions',
  '/api/tab/actions/act-exec-3-08',
  '/api/tab/meetings',
  '/api/tab/members',
  '/api/tab/groups',
  '/api/tab/matters-arising?meeting=mtg-exec-4',
  '/api/tab/governance',
  '/api/tab/governance/attendance',
  '/api/tab/exports/actions.docx',
  '/api/tab/exports/actions.csv',
  '/api/tab/exports/matters-arising.docx?meeting=mtg-exec-4',
  '/api/tab/exports/matters-arising.csv?meeting=mtg-exec-4',
];

async function snapshot(app: TestApp): Promise<string> {
  const [actions, memberships] = await Promise.all([listAll(app.store.actions, {}), listAll(app.store.memberships, {})]);
  return JSON.stringify({ actions, memberships });
}

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body) });
let seq = 0;
const changeId = () => `chg-test-${String(++seq).padStart(6, '0')}`;

describe('tab API: who may read', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe.each(['MG', 'AM', 'TN', 'CC'])('a current member (%s)', (initials) => {
    it.each(READ_ROUTES)('reads %s', async (path) => {
      const res = await app.as(initials, path);
      expect(res.status).toBe(200);
    });
  });

  it.each(READ_ROUTES)('refuses a former member (KJ, board secretariat until 2016) at %s', async (path) => {
    const res = await app.as('KJ', path);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/not a current member/);
  });

  it.each(READ_ROUTES)('refuses initials nobody has at %s', async (path) => {
    const res = await app.as('ZZ', path);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/No member has the initials ZZ/);
  });

  it.each(READ_ROUTES)('asks who is calling at %s when there is no identity', async (path) => {
    const res = await app.as(null, path);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('tells each caller their role', async () => {
    expect((await app.as('MG', '/api/tab/me')).body.roles).toEqual({ chair: true, secretariat: false });
    expect((await app.as('AM', '/api/tab/me')).body.roles).toEqual({ chair: false, secretariat: true });
    expect((await app.as('CC', '/api/tab/me')).body.roles).toEqual({ chair: false, secretariat: false });
  });

  it('offers the demo member picker without identity, listing only current members', async () => {
    const res = await app.as(null, '/api/tab/dev/members');
    expect(res.status).toBe(200);
    const initials = res.body.members.map((m: { initials: string }) => m.initials);
    expect(initials).toEqual(expect.arrayContaining(['MG', 'AM', 'TN', 'CC']));
    expect(initials).not.toContain('KJ');
  });

  it('refuses the demo member picker to a forwarded request', async () => {
    const res = await app.as(null, '/api/tab/dev/members', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/only available locally/);
  });
});

describe('tab API: who may change an action', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function version(id: string): Promise<string> {
    return (await app.as('MG', `/api/tab/actions/${id}`)).body.version;
  }
  async function change(who: string | null, id: string, body: unknown) {
    return app.as(who, `/api/tab/actions/${id}/changes`, post({ version: await version(id), changeId: changeId(), change: body }));
  }

  it.each([
    ['CC', { kind: 'add-note', note: 'I am not the owner' }, 403, /Only the owners/],
    ['CC', { kind: 'set-status', status: 'closed' }, 403, /Only the owners/],
    ['TN', { kind: 'set-status', status: 'closed' }, 403, /chair or secretariat/],
    ['TN', { kind: 'set-status', status: 'dropped' }, 403, /chair or secretariat/],
    ['TN', { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-cc' }] }, 403, /chair or secretariat/],
    ['TN', { kind: 'set-due', due: { kind: 'date', date: '2027-01-31' } }, 403, /chair or secretariat/],
    ['TN', { kind: 'decide-date-change', approve: true }, 403, /chair or secretariat/],
    ['KJ', { kind: 'add-note', note: 'former member' }, 403, /not a current member/],
    ['ZZ', { kind: 'add-note', note: 'nobody' }, 403, /No member has the initials/],
    [null, { kind: 'add-note', note: 'anonymous' }, 401, /X-Dev-User/],
  ] as const)('refuses %s making %j, and changes nothing', async (who, body, status, message) => {
    const before = await snapshot(app);
    const res = await change(who, 'act-exec-3-08', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await snapshot(app)).toBe(before);
  });

  it('lets the owner (TN) add a note, propose completion and ask for a new date', async () => {
    const note = await change('TN', 'act-exec-3-08', { kind: 'add-note', note: 'Asked the coordinator' });
    expect(note.status).toBe(200);
    expect(note.body.status).toBe('in-progress');
    const proposed = await change('TN', 'act-exec-3-08', { kind: 'set-status', status: 'proposed-complete' });
    expect(proposed.body.status).toBe('proposed-complete');
    const asked = await change('TN', 'act-exec-3-08', { kind: 'request-date-change', proposedDate: '2027-01-15', reason: 'Coordinator on leave' });
    expect(asked.status).toBe(200);
    expect(asked.body.dateChangeRequest).toMatchObject({ proposedDate: '2027-01-15', requestedByMemberId: 'mem-tn' });
    expect(asked.body.history.at(-1)).toMatchObject({ kind: 'date-change-requested', byLabel: 'TN' });
  });

  it('lets the chair (MG) approve the date change, and records who and when', async () => {
    const res = await change('MG', 'act-exec-3-08', { kind: 'decide-date-change', approve: true, note: 'Agreed' });
    expect(res.status).toBe(200);
    expect(res.body.due).toEqual({ kind: 'date', date: '2027-01-15' });
    expect(res.body.dateChangeRequest).toBeNull();
    expect(res.body.history.at(-1)).toMatchObject({ kind: 'date-change-approved', byLabel: 'MG', at: '2026-11-23T10:00:00.000Z' });
  });

  it('lets the chair refuse a date change', async () => {
    await change('TW', 'act-exec-3-04', { kind: 'request-date-change', proposedDate: '2027-02-01', reason: 'Waiting on Barnardo\u2019s' });
    const res = await change('MG', 'act-exec-3-04', { kind: 'decide-date-change', approve: false });
    expect(res.status).toBe(200);
    expect(res.body.history.at(-1).kind).toBe('date-change-refused');
    expect(res.body.dueDate).not.toBe('2027-02-01');
  });

  it('says so when there is no date change to decide', async () => {
    const res = await change('MG', 'act-exec-3-07', { kind: 'decide-date-change', approve: true });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ACTION.NO_DATE_CHANGE_PENDING');
  });

  it('lets the secretariat (AM) change owners and dates, and close an action', async () => {
    const owners = await change('AM', 'act-exec-3-13', { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-tm' }] });
    expect(owners.status).toBe(200);
    expect(owners.body.owners).toEqual([expect.objectContaining({ label: 'TM' })]);
    const due = await change('AM', 'act-exec-3-13', { kind: 'set-due', due: { kind: 'date', date: '2026-12-18' } });
    expect(due.body.dueDate).toBe('2026-12-18');
    const closed = await change('AM', 'act-exec-3-15', { kind: 'set-status', status: 'closed' });
    expect(closed.body.status).toBe('closed');
  });

  it('lets the chair drop an action', async () => {
    const res = await change('MG', 'act-exec-3-14', { kind: 'set-status', status: 'dropped', note: 'Superseded by the comms plan' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('dropped');
  });

  it('refuses an owner that does not exist, and changes nothing', async () => {
    const before = await snapshot(app);
    const res = await change('MG', 'act-exec-3-13', { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-nobody' }] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/not a known person/);
    expect(await snapshot(app)).toBe(before);
  });

  it('answers a change from a stale version with 409 and a reload message', async () => {
    const stale = await version('act-exec-3-09');
    await change('AM', 'act-exec-3-09', { kind: 'add-note', note: 'First' });
    const before = await snapshot(app);
    const res = await app.as('MG', '/api/tab/actions/act-exec-3-09/changes', post({ version: stale, changeId: changeId(), change: { kind: 'add-note', note: 'Second' } }));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Reload/);
    expect(await snapshot(app)).toBe(before);
  });

  it('answers an unknown action with 404', async () => {
    const res = await app.as('MG', '/api/tab/actions/act-nope/changes', post({ version: '1', changeId: changeId(), change: { kind: 'add-note', note: 'x' } }));
    expect(res.status).toBe(404);
  });
});

describe('tab API: who may change memberships', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const fields = { groupId: 'grp-safer-communities', memberId: 'mem-jke', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-11-23', endDate: null };

  it.each([
    ['CC', 403, /secretariat or the chair/],
    ['TN', 403, /secretariat or the chair/],
    ['KJ', 403, /not a current member/],
    ['ZZ', 403, /No member/],
    [null, 401, /X-Dev-User/],
  ] as const)('refuses %s adding or changing a membership, and changes nothing', async (who, status, message) => {
    const before = await snapshot(app);
    const created = await app.as(who, '/api/tab/memberships', post(fields));
    expect(created.status).toBe(status);
    expect(created.body.error.message).toMatch(message);
    const existing = await app.store.memberships.get('ms-exec-cc');
    const updated = await app.as(who, '/api/tab/memberships/ms-exec-cc', put({ ...fields, groupId: 'grp-exec', memberId: 'mem-cc', endDate: '2026-12-31', version: existing!.version }));
    expect(updated.status).toBe(status);
    expect(await snapshot(app)).toBe(before);
  });

  it('lets the secretariat add a member and the chair end a membership', async () => {
    const created = await app.as('AM', '/api/tab/memberships', post({ ...fields, membershipId: 'ms-sc-jke' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'ms-sc-jke', memberId: 'mem-jke' });
    const updated = await app.as('MG', '/api/tab/memberships/ms-sc-jke', put({ ...fields, endDate: '2026-12-31', version: created.body.version }));
    expect(updated.status).toBe(200);
    expect(updated.body.endDate).toBe('2026-12-31');
  });

  it('refuses a stale membership edit with 409', async () => {
    const res = await app.as('AM', '/api/tab/memberships/ms-sc-jke', put({ ...fields, decisionMaker: true, version: '1' }));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Reload/);
  });

  it.each([
    ['an unknown member', { ...fields, memberId: 'mem-nobody' }, 404, /no member/i],
    ['an unknown group', { ...fields, groupId: 'grp-nobody' }, 404, /no group/i],
    ['someone deputising for themselves', { ...fields, deputyForMemberId: 'mem-jke' }, 422, /own deputy/],
    ['a missing field', { ...fields, role: undefined }, 400, /role/],
  ])('refuses %s, and changes nothing', async (_what, body, status, message) => {
    const before = await snapshot(app);
    const res = await app.as('AM', '/api/tab/memberships', post(body));
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toMatch(message);
    expect(await snapshot(app)).toBe(before);
  });

  it('answers an edit of a membership that does not exist with 404', async () => {
    const res = await app.as('AM', '/api/tab/memberships/ms-nope', put({ ...fields, version: '1' }));
    expect(res.status).toBe(404);
  });
});
