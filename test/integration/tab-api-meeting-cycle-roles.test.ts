import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../bot/domain/index.js';
import { listAll, type Store } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { teamsAttendanceReport } from '../support/teams-attendance-reports.js';

/**
 * Every route that runs the board's cycle (people, organisations, themes, groups, memberships,
 * meetings, attendance, holding a meeting, recording and rewording actions) and the two reads
 * only the keepers get (the audit trail and the records behind the people screen). The same
 * well-formed requests are sent as each caller: a theme lead and a plain member are refused
 * with 403 and nothing in the store moves; the chair and the secretariat are served.
 */

interface Write {
  readonly label: string;
  /** The error code a caller who is neither chair nor secretariat gets. */
  readonly refusedWith: string;
  readonly request: (store: Store) => Promise<{ method: string; path: string; body?: unknown }>;
}

const versionOf = async (set: { get(id: string): Promise<{ version: string } | undefined> }, id: string) => {
  const record = await set.get(id);
  if (!record) throw new Error(`No record ${id} in the demo data`);
  return record.version;
};

const change = (kind: string, body: object): Write => ({
  label: `POST /api/tab/actions/:id/changes (${kind})`,
  refusedWith: 'ACTION.FORBIDDEN',
  // act-exec-3-08 is TN's own action: being its owner still does not let a theme lead reword, defer or drop it.
  request: async (store) => ({ method: 'POST', path: '/api/tab/actions/act-exec-3-08/changes', body: { version: await versionOf(store.actions, 'act-exec-3-08'), changeId: `chg-${randomUUID()}`, change: body } }),
});

const WRITES: readonly Write[] = [
  { label: 'POST /api/tab/organisations', refusedWith: 'MEMBER.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/organisations', body: { name: 'Street Pastors', authorityKind: null, requestId: randomUUID() } }) },
  {
    label: 'PUT /api/tab/organisations/:id',
    refusedWith: 'MEMBER.FORBIDDEN',
    request: async (store) => ({ method: 'PUT', path: '/api/tab/organisations/org-opcc', body: { version: await versionOf(store.organisations, 'org-opcc'), name: 'Office of the PCC', authorityKind: null } }),
  },
  { label: 'POST /api/tab/members', refusedWith: 'MEMBER.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/members', body: { name: 'New Colleague', initials: 'NCX', jobTitle: 'Analyst', organisationId: 'org-council', requestId: randomUUID() } }) },
  {
    label: 'PUT /api/tab/members/:id',
    refusedWith: 'MEMBER.FORBIDDEN',
    request: async (store) => ({ method: 'PUT', path: '/api/tab/members/mem-cc', body: { version: await versionOf(store.members, 'mem-cc'), name: 'Chloe Causer', initials: 'CC', jobTitle: 'Vice-chair', organisationId: 'org-council' } }),
  },
  { label: 'POST /api/tab/themes', refusedWith: 'MEMBER.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/themes', body: { name: 'Hate crime', leadMemberIds: ['mem-cc'], requestId: randomUUID() } }) },
  {
    label: 'PUT /api/tab/themes/:id',
    refusedWith: 'MEMBER.FORBIDDEN',
    request: async (store) => ({ method: 'PUT', path: '/api/tab/themes/thm-safer-communities', body: { version: await versionOf(store.themes, 'thm-safer-communities'), name: 'Safer communities', leadMemberIds: ['mem-tn', 'mem-cc'] } }),
  },
  { label: 'POST /api/tab/groups', refusedWith: 'MEMBER.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/groups', body: { name: 'Serious violence group', kind: 'sub-group', parentGroupId: 'grp-exec', requestId: randomUUID() } }) },
  {
    label: 'PUT /api/tab/groups/:id',
    refusedWith: 'MEMBER.FORBIDDEN',
    request: async (store) => ({ method: 'PUT', path: '/api/tab/groups/grp-marac', body: { version: await versionOf(store.groups, 'grp-marac'), name: 'MARAC steering group', kind: 'sub-group', parentGroupId: 'grp-domestic-abuse' } }),
  },
  {
    label: 'POST /api/tab/memberships/:id/end',
    refusedWith: 'MEMBER.FORBIDDEN',
    request: async (store) => ({ method: 'POST', path: '/api/tab/memberships/ms-safer-communities-cc/end', body: { version: await versionOf(store.memberships, 'ms-safer-communities-cc') } }),
  },
  { label: 'POST /api/tab/meetings', refusedWith: 'MEETING.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/meetings', body: { groupId: 'grp-exec', date: '2027-06-15', startTime: '10:00', agenda: [{ minute: '1', title: 'Minutes' }], requestId: randomUUID() } }) },
  {
    label: 'PUT /api/tab/meetings/:id',
    refusedWith: 'MEETING.FORBIDDEN',
    request: async (store) => {
      const meeting = (await store.meetings.get('mtg-exec-4'))!;
      return { method: 'PUT', path: '/api/tab/meetings/mtg-exec-4', body: { version: meeting.version, date: addDays(meeting.date, 7), title: meeting.title, agenda: meeting.agenda } };
    },
  },
  {
    label: 'POST /api/tab/meetings/:id/cancel',
    refusedWith: 'MEETING.FORBIDDEN',
    request: async (store) => ({ method: 'POST', path: '/api/tab/meetings/mtg-exec-5/cancel', body: { version: await versionOf(store.meetings, 'mtg-exec-5'), reason: 'The venue is closed' } }),
  },
  // The Teams attendance import (its Graph route, off here, is refused the same way in attendance-import.test.ts).
  {
    label: 'POST /api/tab/meetings/:id/attendance-import/preview',
    refusedWith: 'MEETING.FORBIDDEN',
    request: async (store) => ({ method: 'POST', path: '/api/tab/meetings/mtg-exec-3/attendance-import/preview', body: { text: teamsAttendanceReport({ date: (await store.meetings.get('mtg-exec-3'))!.date, locale: 'en-GB', people: [{ name: 'Matt Garrett', email: 'mg@saferplymouth.example' }] }) } }),
  },
  {
    label: 'POST /api/tab/meetings/:id/attendance-import/confirm',
    refusedWith: 'MEETING.FORBIDDEN',
    request: async (store) => {
      const meeting = (await store.meetings.get('mtg-exec-3'))!;
      return { method: 'POST', path: '/api/tab/meetings/mtg-exec-3/attendance-import/confirm', body: { version: meeting.version, text: teamsAttendanceReport({ date: meeting.date, locale: 'en-GB', people: [{ name: 'Matt Garrett', email: 'mg@saferplymouth.example' }] }) } };
    },
  },
  {
    label: 'PUT /api/tab/meetings/:id/attendance',
    refusedWith: 'MEETING.FORBIDDEN',
    request: async (store) => ({
      method: 'PUT',
      path: '/api/tab/meetings/mtg-exec-3/attendance',
      body: { version: await versionOf(store.meetings, 'mtg-exec-3'), attendeeIds: ['mem-mg', 'mem-am'], apologyIds: ['mem-tn'], substitutes: [{ name: 'Sam Jones', organisationId: 'org-council', forMemberId: 'mem-tn' }] },
    }),
  },
  {
    label: 'POST /api/tab/actions',
    refusedWith: 'ACTION.FORBIDDEN',
    request: async () => ({ method: 'POST', path: '/api/tab/actions', body: { meetingId: 'mtg-exec-3', minuteRef: '8.3', text: 'Bring the data to the next meeting', owners: [{ kind: 'member', memberId: 'mem-tn' }], due: { kind: 'next-meeting' }, themeId: 'thm-safer-communities', requestId: randomUUID() } }),
  },
  // Importing actions from pasted minutes: the preview saves nothing, the confirm creates them.
  { label: 'POST /api/tab/meetings/:id/minutes-import/preview', refusedWith: 'ACTION.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/meetings/mtg-exec-3/minutes-import/preview', body: { text: '8.3.\tNeed a proposal.\tTN to bring the serious violence data to the next meeting.' } }) },
  {
    label: 'POST /api/tab/meetings/:id/minutes-import/confirm',
    refusedWith: 'ACTION.FORBIDDEN',
    request: async () => ({ method: 'POST', path: '/api/tab/meetings/mtg-exec-3/minutes-import/confirm', body: { importId: 'imp-00000000000000000001', actions: [{ key: '8.3-1', minuteRef: '8.3', text: 'TN to bring the serious violence data to the next meeting.', owners: [{ kind: 'member', memberId: 'mem-tn' }], due: { kind: 'next-meeting' } }] } }),
  },
  change('edit-text', { kind: 'edit-text', text: 'TN to find out what safeguarding training the street pastors have had.' }),
  change('defer', { kind: 'defer', note: 'Waiting for the coordinator' }),
  change('drop', { kind: 'set-status', status: 'dropped', note: 'Superseded' }),
  { label: 'POST /api/tab/meetings/:id/held', refusedWith: 'MEETING.FORBIDDEN', request: async (store) => ({ method: 'POST', path: '/api/tab/meetings/mtg-exec-3/held', body: { version: await versionOf(store.meetings, 'mtg-exec-3') } }) },
  // The chair's letter (the National Probation Service has nobody on the Exec): drafting it is recorded on the organisation.
  { label: 'POST /api/tab/organisations/:id/letter', refusedWith: 'AUTH.FORBIDDEN', request: async () => ({ method: 'POST', path: '/api/tab/organisations/org-nps/letter', body: {} }) },
];

const KEEPER_READS = ['/api/tab/audit', '/api/tab/records', '/api/tab/governance/letters/candidates', '/api/tab/meetings/mtg-exec-4/papers.docx'];
/** Refused here like the rest; served in papers-and-letters.test.ts, which knows whether LibreOffice is installed. */
const KEEPER_READS_REFUSED_ONLY = ['/api/tab/meetings/mtg-exec-4/papers.pdf'];

async function snapshot(store: Store): Promise<string> {
  const sets = [store.organisations, store.members, store.groups, store.memberships, store.themes, store.meetings, store.actions, store.reportRounds, store.themeReports] as const;
  return JSON.stringify(await Promise.all(sets.map((set) => listAll(set as typeof store.members, {}))));
}

async function send(app: TestApp, initials: string, write: Write): Promise<{ status: number; body: any }> {
  const { method, path, body } = await write.request(app.store);
  return app.as(initials, path, { method, body: JSON.stringify(body) });
}

describe('tab API: the routes that run the board\u2019s cycle, by role', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('has a case here for every write route the board API serves', async () => {
    const { boardApiRoutes } = await import('../../bot/http/board-api.js');
    const { papersApiRoutes } = await import('../../bot/http/papers-api.js');
    const { minutesImportApiRoutes } = await import('../../bot/http/minutes-import-api.js');
    const served = [...boardApiRoutes({ store: app.store, clock: { now: () => new Date() }, asMember: (route) => route as never }), ...papersApiRoutes({ store: app.store, clock: { now: () => new Date() }, asMember: (route) => route as never }), ...minutesImportApiRoutes({ store: app.store, asMember: (route) => route as never })]
      .filter((r) => r.method !== 'get')
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const covered = new Set(WRITES.map((w) => w.label.replace(/ \(.*\)$/, '')));
    expect(served.filter((route) => !covered.has(route))).toEqual([]);
  });

  it.each([
    ['TN', 'a theme lead, and the owner of the action being changed'],
    ['CC', 'a plain member'],
  ])('refuses %s (%s) every write with 403 and changes nothing', async (initials) => {
    const before = await snapshot(app.store);
    const answers: Record<string, string> = {};
    for (const write of WRITES) {
      const res = await send(app, initials, write);
      answers[write.label] = `${res.status} ${res.body?.error?.code}`;
    }
    for (const path of [...KEEPER_READS, ...KEEPER_READS_REFUSED_ONLY]) {
      const res = await app.as(initials, path);
      answers[`GET ${path}`] = `${res.status} ${res.body?.error?.code}`;
    }
    expect(answers).toEqual({
      ...Object.fromEntries(WRITES.map((w) => [w.label, `403 ${w.refusedWith}`])),
      ...Object.fromEntries([...KEEPER_READS, ...KEEPER_READS_REFUSED_ONLY].map((p) => [`GET ${p}`, '403 AUTH.FORBIDDEN'])),
    });
    expect(await snapshot(app.store)).toBe(before);
  });

  it.each([
    ['MG', 'the chair'],
    ['AM', 'the secretariat'],
  ])('serves %s (%s) every one of them, and the store shows each change', async (initials) => {
    const before = await snapshot(app.store);
    const answers: Record<string, number> = {};
    for (const write of WRITES) {
      const res = await send(app, initials, write);
      answers[write.label] = res.status;
      if (res.status >= 300) throw new Error(`${write.label} as ${initials}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(Object.values(answers).every((status) => status === 200 || status === 201)).toBe(true);
    for (const path of KEEPER_READS) expect((await app.as(initials, path)).status).toBe(200);
    expect(await snapshot(app.store)).not.toBe(before);

    const members = await listAll(app.store.members, {});
    expect(members.find((m) => m.initials === 'NCX')).toMatchObject({ name: 'New Colleague', organisationId: 'org-council' });
    expect(await app.store.members.get('mem-cc')).toMatchObject({ jobTitle: 'Vice-chair' });
    expect(await app.store.organisations.get('org-opcc')).toMatchObject({ name: 'Office of the PCC' });
    expect((await app.store.organisations.get('org-nps'))!.audit?.at(-1)).toMatchObject({ byMemberId: `mem-${initials.toLowerCase()}`, summary: expect.stringMatching(/^Chair\u2019s letter drafted/) });
    expect((await listAll(app.store.themes, {})).find((t) => t.name === 'Hate crime')).toMatchObject({ leadMemberIds: ['mem-cc'] });
    expect(await app.store.themes.get('thm-safer-communities')).toMatchObject({ leadMemberIds: ['mem-tn', 'mem-cc'] });
    expect((await listAll(app.store.groups, {})).some((g) => g.name === 'Serious violence group')).toBe(true);
    expect(await app.store.groups.get('grp-marac')).toMatchObject({ name: 'MARAC steering group' });
    expect(await app.store.memberships.get('ms-safer-communities-cc')).toMatchObject({ endDate: '2026-11-23' });
    expect((await listAll(app.store.meetings, {})).some((m) => m.date === '2027-06-15' && m.groupId === 'grp-exec')).toBe(true);
    expect(await app.store.meetings.get('mtg-exec-5')).toMatchObject({ status: 'cancelled', cancelledReason: 'The venue is closed' });
    expect(await app.store.meetings.get('mtg-exec-3')).toMatchObject({ status: 'held', attendeeIds: ['mem-mg', 'mem-am'], apologyIds: ['mem-tn'] });
    expect((await listAll(app.store.actions, { meetingId: 'mtg-exec-3' })).some((a) => a.text === 'Bring the data to the next meeting')).toBe(true);
    expect((await listAll(app.store.actions, { meetingId: 'mtg-exec-3' })).filter((a) => a.text === 'TN to bring the serious violence data to the next meeting.')).toHaveLength(1);
    const reworded = (await app.store.actions.get('act-exec-3-08'))!;
    expect(reworded).toMatchObject({ text: 'TN to find out what safeguarding training the street pastors have had.', status: 'dropped' });
    expect(reworded.history.slice(-3).map((h) => h.kind)).toEqual(['text', 'deferred', 'status']);
    expect(reworded.history.at(-1)).toMatchObject({ byMemberId: `mem-${initials.toLowerCase()}`, note: 'Superseded' });
  });
});
