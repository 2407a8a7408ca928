/**
 * Importing a meeting's attendance from Teams, over HTTP (issue 12, item 2): the secretariat
 * uploads the report Teams gives the organiser (UTF-16 LE, tab-separated) or pastes it, sees who
 * matched, who did not, and who is missing, and confirms. From an empty store set up through the
 * services, on both stores; on the demo; and fetched through Graph from a stand-in that speaks
 * Microsoft's documented attendanceReports format. Anything that is not the report changes nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCurrentMembership } from '../../bot/domain/index.js';
import { addOrganisation, addPerson } from '../../bot/services/board-records.js';
import type { Clock } from '../../bot/services/clock.js';
import { recordAttendance, scheduleMeeting } from '../../bot/services/meetings.js';
import { createMembership } from '../../bot/services/memberships.js';
import { setUpBoard } from '../../bot/services/setup.js';
import { listAll, type Store } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { guest, teamsAttendanceReport, utf16leWithBom, utf8 } from '../support/teams-attendance-reports.js';
import { startGraphAttendanceStandIn, type GraphAttendanceStandIn } from '../stand-ins/graph-attendance.js';

class SettableClock implements Clock {
  constructor(private at: Date) {}
  set(at: Date): void {
    this.at = at;
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
}

async function snapshot(store: Store): Promise<string> {
  const sets = [store.organisations, store.members, store.groups, store.memberships, store.meetings, store.actions] as const;
  return JSON.stringify(await Promise.all(sets.map((set) => listAll(set as typeof store.members, {}))));
}

const post = (app: TestApp, initials: string, path: string, body: unknown) => app.as(initials, path, { method: 'POST', body: JSON.stringify(body) });
const base64 = (bytes: Buffer) => bytes.toString('base64');

const STORES = [
  {
    name: 'SQLite',
    async start(clock: Clock) {
      const app = await startTestApp({ clock, env: { SEED_DEMO: 'false' } });
      return { app, close: () => app.close() };
    },
  },
  {
    name: 'SharePoint lists on the Graph stand-in',
    async start(clock: Clock) {
      const standIn = await provisionedStandIn();
      const app = await startTestApp({
        clock,
        env: { SEED_DEMO: 'false', STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
        store: { graph: { fetch: standIn.fetch, customHosts: [standIn.host], retry: recordingRetry(10), tokenProvider: async () => standIn.token } },
      });
      return {
        app,
        async close() {
          await app.close();
          await standIn.close();
        },
      };
    },
  },
];

const MEETING_DAY = '2027-03-10';

describe.each(STORES)('importing attendance from a Teams report, from an empty store, on $name', (storeUnderTest) => {
  const clock = new SettableClock(new Date('2027-03-01T10:00:00Z'));
  let app: TestApp;
  let close: () => Promise<void>;
  const ids: Record<string, string> = {};
  let meetingId = '';

  beforeAll(async () => {
    ({ app, close } = await storeUnderTest.start(clock));
    const store = app.store;
    const now = clock.now();
    const setup = await setUpBoard(store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Alex Morgan', secretariatInitials: 'AM', secretariatEmail: 'alex.morgan@plymouth.gov.uk', secretariatAadObjectId: null }, now);
    if (!setup.ok) throw new Error(setup.error.message);
    ids.AM = setup.value.memberId;
    const editor = { memberId: ids.AM, now };
    const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    for (const [id, name, kind] of [['org-police', 'Devon and Cornwall Police', 'police'], ['org-council', 'Plymouth City Council', 'local-authority'], ['org-probation', 'Probation Service', 'probation'], ['org-health', 'NHS Devon', 'health'], ['org-fire', 'Fire and Rescue', 'fire-and-rescue']] as const) {
      must(await addOrganisation(store, editor, { name, authorityKind: kind }, id));
    }
    const people = [
      ['MG', 'Matt Garrett', 'org-police', 'matt.garrett@devon-cornwall.police.uk', 'chair'],
      ['TN', 'Tracey Naismith', 'org-council', 'tracey.naismith@plymouth.gov.uk', 'theme-lead'],
      ['HS', 'Helen Shaw', 'org-health', null, 'member'],
      ['SH', 'Sarah Hill', 'org-probation', 'sarah.hill@probation.example', 'member'],
    ] as const;
    for (const [initials, name, organisationId, email, role] of people) {
      const person = must(await addPerson(store, editor, { name, initials, jobTitle: 'Partner', organisationId, email, entraObjectId: null }, `mem-${initials.toLowerCase()}`));
      ids[initials] = person.id;
      must(await createMembership(store, ids.AM, { groupId: 'grp-exec', memberId: person.id, role, decisionMaker: true, deputyForMemberId: null, startDate: '2027-03-01', endDate: null }, `ms-${initials.toLowerCase()}`, now));
    }
    meetingId = must(await scheduleMeeting(store, editor, { groupId: 'grp-exec', date: MEETING_DAY, startTime: '10:00' }, 'mtg-import')).id;
    clock.set(new Date(`${MEETING_DAY}T09:00:00Z`));
    // Sarah sent apologies before the meeting: the import keeps them.
    const meeting = (await store.meetings.get(meetingId))!;
    must(await recordAttendance(store, { memberId: ids.AM, now: clock.now() }, meetingId, meeting.version, { attendeeIds: [], apologyIds: [ids.SH!] }));
    clock.set(new Date(`${MEETING_DAY}T14:00:00Z`));
  });
  afterAll(async () => {
    await close();
  });

  const report = (locale: 'en-GB' | 'en-US', date = MEETING_DAY) =>
    teamsAttendanceReport({
      date,
      locale,
      delimiter: locale === 'en-GB' ? '\t' : ',',
      people: [
        { name: 'Alex Morgan', email: 'Alex.Morgan@plymouth.gov.uk', role: 'Organizer', minutes: 95 },
        { name: 'Garrett, Matt', email: 'matt.garrett@devon-cornwall.police.uk', minutes: 88 },
        { name: 'Tracey Naismith', email: 'tracey.naismith@plymouth.gov.uk', minutes: 40 },
        // No email on her record: matched by name, whatever the spacing and case.
        { name: 'helen  SHAW', email: 'h.shaw@nhs.example', minutes: 70 },
        // A guest from Sarah's agency, standing in for her.
        guest('Jo Bloggs', 'jo.bloggs@probation.example', { minutes: 60 }),
        // A substitute from a partner agency nobody on the list shares a domain with.
        { name: 'Sam Jones', email: 'sam.jones@fire.example', minutes: 30 },
      ],
    });
  const previewPath = () => `/api/tab/meetings/${meetingId}/attendance-import/preview`;
  const confirmPath = () => `/api/tab/meetings/${meetingId}/attendance-import/confirm`;

  it('previews the UTF-16 LE download: matches by email, then name; proposes the guest for her agency; keeps the apologies; saves nothing', async () => {
    const before = await snapshot(app.store);
    const res = await post(app, 'AM', previewPath(), { fileBase64: base64(utf16leWithBom(report('en-GB'))) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body;
    expect(p.present.map((x: any) => [x.initials, x.matchedBy])).toEqual([
      ['AM', 'email'],
      ['HS', 'name'],
      ['MG', 'email'],
      ['TN', 'email'],
    ]);
    expect(p.absent).toEqual([expect.objectContaining({ initials: 'SH', proposed: 'apologies', proposedLabel: 'Apologies', apologiesRecorded: true })]);
    expect(p.substitutes).toEqual([
      expect.objectContaining({ name: 'Jo Bloggs', guest: true, organisationId: 'org-probation', organisationName: 'Probation Service', forMemberId: ids.SH, record: true }),
      expect.objectContaining({ name: 'Sam Jones', guest: false, organisationId: null, organisationReason: null, record: false }),
    ]);
    expect(p.meeting.dateLabel).toBe('10 March 2027');
    expect(p.message).toContain('4 of 5 members present');
    expect(await snapshot(app.store)).toBe(before);
  });

  it('reads the same report pasted as comma-separated text with US dates', async () => {
    const res = await post(app, 'AM', previewPath(), { text: report('en-US') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.present.map((x: any) => x.initials)).toEqual(['AM', 'HS', 'MG', 'TN']);
    expect(res.body.substitutes.map((s: any) => s.name)).toEqual(['Jo Bloggs', 'Sam Jones']);
  });

  it('refuses a file that is not the report, a report of another day and a bad body, and changes nothing', async () => {
    const before = await snapshot(app.store);
    const version = (await app.store.meetings.get(meetingId))!.version;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const answers = [
      await post(app, 'AM', previewPath(), { fileBase64: base64(png) }),
      await post(app, 'AM', confirmPath(), { version, fileBase64: base64(png) }),
      await post(app, 'AM', previewPath(), { text: 'Ref,Action,Owner,Due\n8.3,Bring the terms of reference,TN,next meeting\n' }),
      await post(app, 'AM', confirmPath(), { version, fileBase64: base64(utf16leWithBom(report('en-GB', '2027-03-03'))) }),
      await post(app, 'AM', previewPath(), { text: 'x', fileBase64: 'eA==' }),
      await post(app, 'AM', previewPath(), { fileBase64: 'not base64 at all!' }),
      await post(app, 'AM', previewPath(), { text: 'x'.repeat(200_001) }),
      await post(app, 'AM', confirmPath(), { version, text: report('en-GB'), decisions: { substitutes: [{ row: 99, record: true }] } }),
    ];
    expect(answers.map((a) => `${a.status} ${a.body.error?.code}`)).toEqual([
      '422 ATTENDANCE.UNREADABLE',
      '422 ATTENDANCE.UNREADABLE',
      '422 ATTENDANCE.UNREADABLE',
      '422 ATTENDANCE.OTHER_MEETING',
      '400 REQUEST.INVALID',
      '400 REQUEST.INVALID',
      '413 REQUEST.TOO_LARGE',
      '400 REQUEST.INVALID',
    ]);
    expect(answers[0]!.body.error.message).toContain('a PNG image');
    expect(answers[3]!.body.error.message).toBe('This report is for a meeting on 3 March 2027, but this meeting was on 10 March 2027. Choose the attendance report of the meeting of 10 March 2027.');
    expect(await snapshot(app.store)).toBe(before);
  });

  it('confirms once with the secretariat\u2019s choices; the same confirm again records nothing twice; an older version is refused', async () => {
    const version = (await app.store.meetings.get(meetingId))!.version;
    const body = {
      version,
      fileBase64: base64(utf16leWithBom(report('en-GB'))),
      decisions: { substitutes: [{ row: 6, record: true, organisationId: 'org-fire', forMemberId: null }] },
    };
    const first = await post(app, 'AM', confirmPath(), body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ alreadyRecorded: false, message: 'Attendance recorded for the meeting of 10 March 2027: 4 present, 1 apologies, 2 substitutes.' });
    const saved = (await app.store.meetings.get(meetingId))!;
    expect([...saved.attendeeIds].sort()).toEqual([ids.AM, ids.HS, ids.MG, ids.TN].sort());
    expect(saved.apologyIds).toEqual([ids.SH]);
    expect(saved.substitutes).toEqual([
      { name: 'Jo Bloggs', organisationId: 'org-probation', forMemberId: ids.SH },
      { name: 'Sam Jones', organisationId: 'org-fire', forMemberId: null },
    ]);
    const after = await snapshot(app.store);

    const again = await post(app, 'AM', confirmPath(), body);
    expect(again.status).toBe(200);
    expect(again.body.alreadyRecorded).toBe(true);
    expect(await snapshot(app.store)).toBe(after);

    // The same stale version with different choices is someone else's change: refused.
    const different = await post(app, 'AM', confirmPath(), { ...body, decisions: {} });
    expect(`${different.status} ${different.body.error?.code}`).toBe('409 STORE.CONFLICT');
    expect(await snapshot(app.store)).toBe(after);
  });
});

describe('importing attendance on the demo data', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('imports the last Exec meeting\u2019s report: present, absent and a guest', async () => {
    const meeting = (await app.store.meetings.get('mtg-exec-3'))!;
    const [members, memberships] = await Promise.all([listAll(app.store.members, {}), listAll(app.store.memberships, { groupId: meeting.groupId })]);
    const sitting = members.filter((m) => m.email && memberships.some((ms) => ms.memberId === m.id && isCurrentMembership(ms, meeting.date))).sort((a, b) => a.name.localeCompare(b.name));
    const [missing, ...came] = sitting;
    const text = teamsAttendanceReport({ date: meeting.date, locale: 'en-GB', people: [...came.map((m) => ({ name: m.name, email: m.email! })), guest('Pat Visitor', 'pat.visitor@partner.example')] });
    const preview = await post(app, 'AM', `/api/tab/meetings/mtg-exec-3/attendance-import/preview`, { fileBase64: base64(utf8(text, true)) });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.present.map((p: any) => p.memberId).sort()).toEqual(came.map((m) => m.id).sort());
    expect(preview.body.absent.map((a: any) => a.memberId)).toContain(missing!.id);
    expect(preview.body.substitutes).toEqual([expect.objectContaining({ name: 'Pat Visitor', guest: true })]);

    const confirm = await post(app, 'MG', `/api/tab/meetings/mtg-exec-3/attendance-import/confirm`, { version: meeting.version, fileBase64: base64(utf8(text, true)), decisions: { substitutes: [{ row: came.length + 1, record: true, organisationId: null }] } });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    const saved = (await app.store.meetings.get('mtg-exec-3'))!;
    expect([...saved.attendeeIds].sort()).toEqual(came.map((m) => m.id).sort());
    expect(saved.attendeeIds).not.toContain(missing!.id);
    expect(saved.substitutes?.map((s) => s.name)).toContain('Pat Visitor');
  });

  it('refuses a theme lead and a plain member on every import route, and changes nothing', async () => {
    const before = await snapshot(app.store);
    const version = (await app.store.meetings.get('mtg-exec-3'))!.version;
    const text = teamsAttendanceReport({ date: (await app.store.meetings.get('mtg-exec-3'))!.date, locale: 'en-GB', people: [{ name: 'Matt Garrett', email: 'mg@saferplymouth.example' }] });
    for (const initials of ['TN', 'CC']) {
      const answers = [
        await post(app, initials, '/api/tab/meetings/mtg-exec-3/attendance-import/preview', { text }),
        await post(app, initials, '/api/tab/meetings/mtg-exec-3/attendance-import/confirm', { version, text }),
        await post(app, initials, '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/abc' }),
      ];
      expect(answers.map((a) => `${a.status} ${a.body.error?.code}`)).toEqual(['403 MEETING.FORBIDDEN', '403 MEETING.FORBIDDEN', '403 MEETING.FORBIDDEN']);
    }
    expect(await snapshot(app.store)).toBe(before);
  });

  it('says fetching from Teams is not switched on when it is not', async () => {
    const res = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/abc', organizerId: 'f3c1a7f2-1111-4c1e-9a55-0c4b1d2e3f40' });
    expect(`${res.status} ${res.body.error?.code}`).toBe('404 ATTENDANCE.NOT_AVAILABLE');
    expect(res.body.error.message).toContain('ATTENDANCE_FROM_GRAPH');
  });
});

describe('fetching the attendance report through Graph (ATTENDANCE_FROM_GRAPH=true), against the stand-in', () => {
  let graph: GraphAttendanceStandIn;
  let app: TestApp;
  const organizerId = 'f3c1a7f2-1111-4c1e-9a55-0c4b1d2e3f40';
  const joinWebUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_exec%40thread.v2/0';
  beforeEach(async () => {
    graph = await startGraphAttendanceStandIn();
    app = await startTestApp({
      env: { ATTENDANCE_FROM_GRAPH: 'true', GRAPH_BASE_URL: graph.baseUrl },
      store: { graph: { fetch: graph.fetch, customHosts: [graph.host], retry: recordingRetry(3), tokenProvider: async () => graph.token } },
    });
  });
  afterEach(async () => {
    await app.close();
    await graph.close();
  });

  it('finds the meeting by its join link, picks the report of the meeting\u2019s day, and confirms it', async () => {
    const meeting = (await app.store.meetings.get('mtg-exec-3'))!;
    const at = (time: string) => new Date(`${meeting.date}T${time}:00Z`).toISOString();
    graph.addMeeting({
      organizerId,
      joinWebUrl,
      reports: [
        { start: '2026-06-02T09:00:00Z', end: '2026-06-02T10:30:00Z', records: [{ name: 'Someone Else', email: 'else@saferplymouth.example', joined: '2026-06-02T09:00:00Z', left: '2026-06-02T10:00:00Z' }] },
        {
          start: at('09:00'),
          end: at('10:30'),
          records: [
            { name: 'Matt Garrett', email: 'mg@saferplymouth.example', role: 'Organizer', joined: at('09:00'), left: at('10:30') },
            { name: 'Tracey Naismith', email: 'tn@saferplymouth.example', joined: at('09:05'), left: at('10:30') },
            { name: 'Jo Bloggs (Guest)', email: null, joined: at('09:10'), left: at('10:00') },
          ],
        },
      ],
    });
    const refused = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl, organizerId });
    expect(`${refused.status} ${refused.body.error?.code}`).toBe('404 ATTENDANCE.NOT_AVAILABLE');
    expect(refused.body.error.message).toContain('OnlineMeetingArtifact.Read.All');

    graph.grantPolicy(organizerId);
    const preview = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl, organizerId });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.report.source).toBe('teams');
    expect(preview.body.present.map((p: any) => p.initials).sort()).toEqual(['MG', 'TN']);
    expect(preview.body.present.find((p: any) => p.initials === 'MG').minutes).toBe(90);
    expect(preview.body.substitutes).toEqual([expect.objectContaining({ name: 'Jo Bloggs', guest: true })]);
    expect(graph.requests.some((r) => r.path.includes('$expand=attendanceRecords'))).toBe(true);

    const confirm = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/confirm', { version: meeting.version, teams: { joinWebUrl, organizerId, reportId: preview.body.report.reportId } });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    const saved = (await app.store.meetings.get('mtg-exec-3'))!;
    expect([...saved.attendeeIds].sort()).toEqual(['mem-mg', 'mem-tn']);
  });

  /** The demo's Matt Garrett (MG, the chair) and Anna Moss (AM, the secretariat): the accounts Teams linked them to. */
  const MG_OBJECT_ID = '00000000-0000-4000-8000-000000000002';
  const AM_OBJECT_ID = '00000000-0000-4000-8000-000000000013';
  const onTheDay = async () => {
    const meeting = (await app.store.meetings.get('mtg-exec-3'))!;
    const at = (time: string) => new Date(`${meeting.date}T${time}:00Z`).toISOString();
    return {
      meeting,
      reports: [{ start: at('09:00'), end: at('10:30'), records: [{ name: 'Tracey Naismith', email: 'tn@saferplymouth.example', joined: at('09:05'), left: at('10:30') }] }],
    };
  };
  const usersAsked = () => [...new Set(graph.requests.map((r) => decodeURIComponent(r.path.split('/')[3] ?? '')))];

  it('asks Teams for the meetings of the board member chosen as organiser, by the account Teams linked them to', async () => {
    const { meeting, reports } = await onTheDay();
    graph.addMeeting({ organizerId: MG_OBJECT_ID, joinWebUrl, reports });
    graph.grantPolicy(MG_OBJECT_ID);
    graph.grantPolicy(AM_OBJECT_ID);

    // Nobody named: the caller's own meetings, and this one is not hers.
    const mine = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl });
    expect(`${mine.status} ${mine.body.error?.code}`).toBe('404 ATTENDANCE.NOT_AVAILABLE');
    expect(usersAsked()).toEqual([AM_OBJECT_ID]);

    graph.requests.length = 0;
    const preview = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl, organizerMemberId: 'mem-mg' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.present.map((p: any) => p.initials)).toEqual(['TN']);
    expect(usersAsked()).toEqual([MG_OBJECT_ID]);

    const confirm = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/confirm', { version: meeting.version, teams: { joinWebUrl, organizerMemberId: 'mem-mg', reportId: preview.body.report.reportId } });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect((await app.store.meetings.get('mtg-exec-3'))!.attendeeIds).toEqual(['mem-tn']);
    expect(usersAsked()).toEqual([MG_OBJECT_ID]);
  });

  it('refuses in words an organiser Teams cannot be asked about, asks Teams nothing and records nothing', async () => {
    const { meeting, reports } = await onTheDay();
    graph.addMeeting({ organizerId: MG_OBJECT_ID, joinWebUrl, reports });
    graph.grantPolicy(MG_OBJECT_ID);
    const before = await snapshot(app.store);
    const asked = async (body: Record<string, unknown>) => {
      const preview = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl, ...body });
      const confirm = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/confirm', { version: meeting.version, teams: { joinWebUrl, ...body } });
      expect(confirm.status).toBe(preview.status);
      return preview;
    };

    // Philippa Davey sat on the board before Safer Exec: Teams never linked her account.
    const unlinked = await asked({ organizerMemberId: 'mem-pd' });
    expect(`${unlinked.status} ${unlinked.body.error?.code}`).toBe('400 REQUEST.INVALID');
    expect(unlinked.body.error.message).toBe('Cllr Philippa Davey has not used Safer Exec in Teams yet, so Teams cannot be asked for their meetings: choose the person who organised it, or upload the report instead.');

    const nobody = await asked({ organizerMemberId: 'mem-nobody' });
    expect(`${nobody.status} ${nobody.body.error?.code}`).toBe('404 MEMBER.NOT_FOUND');
    expect(nobody.body.error.message).toMatch(/^The organiser chosen is not on the people list/);

    // A sign-in name is not documented to work with Graph's /users/{id}/onlineMeetings: only an account id is taken.
    const signIn = await asked({ organizerId: 'mg@saferplymouth.example' });
    expect(`${signIn.status} ${signIn.body.error?.code}`).toBe('400 REQUEST.INVALID');
    expect(signIn.body.error.issues.join(' ')).toMatch(/organizerId: must be the organiser\u2019s Microsoft account id, a GUID .* \(a sign-in name is not taken\); to name a board member, send organizerMemberId/);

    const both = await asked({ organizerId: MG_OBJECT_ID, organizerMemberId: 'mem-mg' });
    expect(both.status).toBe(400);

    // The caller herself, before Teams has linked her.
    const am = (await app.store.members.get('mem-am'))!;
    const { version, ...record } = am;
    await app.store.members.update({ ...record, entraObjectId: null }, version);
    const before2 = await snapshot(app.store);
    const me = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl });
    expect(`${me.status} ${me.body.error?.code}`).toBe('400 REQUEST.INVALID');
    expect(me.body.error.message).toBe('You have not used Safer Exec in Teams yet, so Teams cannot be asked for your meetings: choose the person who organised it, or upload the report instead.');

    for (const answer of [unlinked, nobody, signIn, me]) expect(answer.body.error.message).not.toMatch(/Entra|object id|[0-9a-f]{8}-[0-9a-f]{4}/i);
    expect(graph.requests).toEqual([]);
    expect(before2).not.toBe(before);
    expect(await snapshot(app.store)).toBe(before2);
    expect((await app.store.meetings.get('mtg-exec-3'))!.version).toBe(meeting.version);
  });

  it('refuses a link that is not a Teams meeting\u2019s join link in the words the tab uses, before asking Teams', async () => {
    const meeting = (await app.store.meetings.get('mtg-exec-3'))!;
    graph.grantPolicy(AM_OBJECT_ID);
    const before = await snapshot(app.store);
    for (const [link, words] of [
      ['https://zoom.us/j/123456789', /^This is a link to zoom\.us, not to a Teams meeting\. In Outlook or the Teams calendar/],
      ['https://teams.live.com/meet/9876543210', /Teams free/],
      ['https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/General', /^This is a link to Teams, but not a meeting\u2019s join link/],
      ['', /^Paste the meeting\u2019s Teams join link/],
    ] as const) {
      for (const [path, body] of [
        ['teams', { joinWebUrl: link }],
        ['confirm', { version: meeting.version, teams: { joinWebUrl: link } }],
      ] as const) {
        const res = await post(app, 'AM', `/api/tab/meetings/mtg-exec-3/attendance-import/${path}`, body);
        expect(`${res.status} ${res.body.error?.code}`, `${path} ${link}`).toBe('400 REQUEST.INVALID');
        expect(res.body.error.message).toMatch(words);
      }
    }
    expect(graph.requests).toEqual([]);
    expect(await snapshot(app.store)).toBe(before);
  });

  it('sends Graph the join link an Outlook Safe Links wrapper holds', async () => {
    const { reports } = await onTheDay();
    graph.addMeeting({ organizerId: AM_OBJECT_ID, joinWebUrl, reports });
    graph.grantPolicy(AM_OBJECT_ID);
    const wrapped = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(joinWebUrl)}&data=05%7C02%7Cam%40saferplymouth.example&reserved=0`;
    const preview = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl: wrapped });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.present.map((p: any) => p.initials)).toEqual(['TN']);
    const filter = new URL(graph.requests[0]!.path, 'https://graph.example').searchParams.get('$filter');
    expect(filter).toBe(`JoinWebUrl eq '${joinWebUrl}'`);
  });

  it('says so when Teams has no report for the meeting\u2019s day', async () => {
    graph.grantPolicy(organizerId);
    graph.addMeeting({ organizerId, joinWebUrl, reports: [{ start: '2026-06-02T09:00:00Z', end: '2026-06-02T10:30:00Z', records: [] }] });
    const res = await post(app, 'AM', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { joinWebUrl, organizerId });
    expect(`${res.status} ${res.body.error?.code}`).toBe('404 ATTENDANCE.NOT_AVAILABLE');
    expect(res.body.error.message).toMatch(/no attendance report for this meeting on .* \(it has reports for 2 June 2026\)/);
  });
});
