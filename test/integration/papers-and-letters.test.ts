/**
 * Issue 12, items 3 and 4: the chair's letter to a responsible authority that does not engage, and
 * the papers pack for a meeting. On both stores, over the demo data and over a board built from an
 * empty store through the tab API: LibreOffice opens both documents (converted to PDF, and to text
 * to read what it sees), and their text holds what the issue asks for, in words, with no internal
 * code, record id or ISO date. Chair and secretariat only; bad input gets a 4xx and changes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLongDate, reportRoundId, themeReportId, type Organisation } from '../../bot/domain/index.js';
import { papersApiRoutes } from '../../bot/http/papers-api.js';
import type { ApiRequest } from '../../bot/http/api-types.js';
import type { Clock } from '../../bot/services/clock.js';
import { loadRequestContext } from '../../bot/services/request-context.js';
import { libreOfficeConverter } from '../../bot/services/pdf-converter.js';
import { setUpBoard } from '../../bot/services/setup.js';
import { submitReport } from '../../bot/services/theme-reports.js';
import { snapshotStore } from '../security/fuzz-http.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { findCodes } from '../support/plain-words.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';

const LIBREOFFICE = '/usr/bin/libreoffice';

class SettableClock implements Clock {
  constructor(private at: Date) {}
  set(at: Date): void {
    this.at = at;
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
}

const STORES: readonly { readonly name: string; start(clock: Clock, seed: boolean): Promise<TestApp> }[] = [
  { name: 'SQLite', start: (clock, seed) => startTestApp({ clock, env: { SEED_DEMO: String(seed) } }) },
  {
    name: 'SharePoint lists (Graph stand-in)',
    async start(clock, seed) {
      const standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
      const app = await startTestApp({
        clock,
        env: { SEED_DEMO: String(seed), STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
        store: { graph: { fetch: standIn.fetch, customHosts: [standIn.host], retry: recordingRetry(10), tokenProvider: async () => standIn.token } },
      });
      return {
        ...app,
        async close() {
          await app.close();
          await standIn.close();
        },
      };
    },
  },
];

interface Download {
  readonly status: number;
  readonly type: string;
  readonly bytes: Buffer;
  readonly body: any;
}

async function call(app: TestApp, as: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Download> {
  const headers: Record<string, string> = { 'X-Dev-User': as };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, bytes, body: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null };
}

async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** The document as LibreOffice reads it: converted to PDF (checked) and to plain text (returned). */
async function openInLibreOffice(docx: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'safer-exec-lo-test-'));
  try {
    writeFileSync(join(dir, 'doc.docx'), docx);
    const run = (to: string) =>
      promisify(execFile)('libreoffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', to, '--outdir', dir, join(dir, 'doc.docx')], {
        timeout: 120_000,
        env: { ...process.env, HOME: dir },
      });
    await run('pdf');
    const pdf = readFileSync(join(dir, 'doc.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
    await run('txt:Text (encoded):UTF8');
    return readFileSync(join(dir, 'doc.txt'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a person reads in it: LibreOffice's text where LibreOffice is installed, else the Word XML. */
async function readDocument(docx: Buffer): Promise<string> {
  return existsSync(LIBREOFFICE) ? openInLibreOffice(docx) : docxText(docx);
}

const ROUTES = (meetingId: string, organisationId: string) => [
  { method: 'GET', path: `/api/tab/meetings/${meetingId}/papers.docx` },
  { method: 'GET', path: `/api/tab/meetings/${meetingId}/papers.pdf` },
  { method: 'GET', path: '/api/tab/governance/letters/candidates' },
  { method: 'POST', path: `/api/tab/organisations/${organisationId}/letter`, body: {} },
];

/** Every refusal and bad request: the status and code each gets, and that the store did not move. */
async function expectRefusals(app: TestApp, meetingId: string, organisationId: string, engagedOrganisationId: string, plainMembers: readonly string[]): Promise<void> {
  const before = JSON.stringify(await snapshotStore(app.store));
  for (const as of plainMembers) {
    for (const route of ROUTES(meetingId, organisationId)) {
      const res = await call(app, as, route.path, route);
      expect(`${as} ${route.method} ${route.path} ${res.status} ${res.body?.error?.code}`).toBe(`${as} ${route.method} ${route.path} 403 AUTH.FORBIDDEN`);
      expect(res.body.error.message).toMatch(/chair or the secretariat/);
    }
  }
  const bad: readonly [string, string, unknown, number, string][] = [
    ['GET', `/api/tab/meetings/${meetingId}/papers.docx?meetings=0`, undefined, 400, 'REQUEST.INVALID'],
    ['GET', `/api/tab/meetings/${meetingId}/papers.pdf?meetings=two`, undefined, 400, 'REQUEST.INVALID'],
    ['GET', `/api/tab/meetings/${meetingId}/papers.docx?colour=blue`, undefined, 400, 'REQUEST.INVALID'],
    ['GET', '/api/tab/meetings/mtg-nowhere/papers.docx', undefined, 404, 'MEETING.NOT_FOUND'],
    ['GET', '/api/tab/governance/letters/candidates?meetings=13', undefined, 400, 'REQUEST.INVALID'],
    ['POST', `/api/tab/organisations/${organisationId}/letter`, { meetings: 99 }, 400, 'REQUEST.INVALID'],
    ['POST', `/api/tab/organisations/${organisationId}/letter`, { to: 'the chief constable' }, 400, 'REQUEST.INVALID'],
    ['POST', `/api/tab/organisations/${organisationId}/letter`, ['a list'], 400, 'REQUEST.INVALID'],
    ['POST', '/api/tab/organisations/org-nowhere/letter', {}, 404, 'ORGANISATION.NOT_FOUND'],
    ['POST', `/api/tab/organisations/${engagedOrganisationId}/letter`, {}, 422, 'ORGANISATION.INVALID'],
  ];
  for (const [method, path, body, status, code] of bad) {
    const res = await call(app, 'AM', path, { method, body });
    expect(`${method} ${path} ${res.status} ${res.body?.error?.code}`).toBe(`${method} ${path} ${status} ${code}`);
    expect(res.body.error.message.length).toBeGreaterThan(10);
  }
  expect(JSON.stringify(await snapshotStore(app.store))).toBe(before);
}

describe.each(STORES)('the chair\u2019s letters and the papers pack on $name', (storeUnderTest) => {
  describe('over the demo data', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await storeUnderTest.start(new SettableClock(new Date('2026-11-23T10:00:00Z')), true);
    }, 180_000);
    afterAll(async () => {
      await app?.close();
    });

    it('lists every responsible authority with why a letter is (or is not) due, over the last N meetings as asked', async () => {
      const res = await call(app, 'AM', '/api/tab/governance/letters/candidates');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ meetingsAsked: 4, groupName: 'Safer Plymouth Exec' });
      expect(res.body.meetingsCounted).toBeGreaterThanOrEqual(2);
      const by = (name: string) => res.body.authorities.find((a: { organisation: string }) => a.organisation === name);
      expect(by('Devon and Somerset Fire and Rescue Service')).toMatchObject({ reasons: ['no-decision-maker', 'poor-attendance'], meetingsAttended: 0, lastLetter: null });
      expect(by('Devon and Cornwall Police')).toMatchObject({ reasons: [], meetingsAttended: res.body.meetingsCounted });
      expect(res.body.authorities.some((a: { organisation: string }) => a.organisation === 'Office of the Police and Crime Commissioner')).toBe(false);
      const two = await call(app, 'MG', '/api/tab/governance/letters/candidates?meetings=2');
      expect(two.body.meetingsCounted).toBe(2);
      expect(two.body.authorities.every((a: { meetings: unknown[] }) => a.meetings.length === 2)).toBe(true);
    });

    it('drafts the chair\u2019s letter to the fire service as Word that LibreOffice opens, and records who drafted it and when', async () => {
      const before = await call(app, 'AM', '/api/tab/governance/letters/candidates');
      const meetings = before.body.authorities.find((a: { organisationId: string }) => a.organisationId === 'org-fire').meetings as { date: string }[];
      expect(meetings.length).toBeGreaterThanOrEqual(2);
      const res = await call(app, 'MG', '/api/tab/organisations/org-fire/letter', { method: 'POST', body: { meetings: 4 } });
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/wordprocessingml/);
      const text = await readDocument(res.bytes);
      for (const expected of ['Devon and Somerset Fire and Rescue Service', 'Safer Plymouth', 'Crime and Disorder Act 1998', 'Sections 5 and 6', ...meetings.map((m) => formatLongDate(m.date)), 'Not represented', 'nominate a decision-making member', 'attend every meeting', 'Matt Garrett', 'Chair, Safer Plymouth Exec', '23 November 2026']) {
        expect(text).toContain(expected);
      }
      expect(findCodes('letter', text)).toEqual([]);
      const fire = (await app.store.organisations.get('org-fire')) as Organisation;
      expect(fire.audit?.at(-1)).toMatchObject({ byMemberId: 'mem-mg', at: '2026-11-23T10:00:00.000Z', summary: expect.stringMatching(/^Chair\u2019s letter drafted/) });
      const after = await call(app, 'AM', '/api/tab/governance/letters/candidates');
      expect(after.body.authorities.find((a: { organisationId: string }) => a.organisationId === 'org-fire').lastLetter.text).toBe('Letter drafted by Matt Garrett (MG) on 23 November 2026');
    }, 150_000);

    it('makes the papers pack for the next Exec: agenda, matters arising with rolled-over actions marked, every report or its absence, governance; as Word and PDF', async () => {
      const arising = await call(app, 'AM', '/api/tab/matters-arising?meeting=mtg-exec-4');
      const { meeting, previousMeeting } = arising.body as { meeting: { date: string }; previousMeeting: { date: string } };
      const rolledOver = (arising.body.fromPreviousMeeting as { arrival: string }[]).filter((m) => m.arrival === 'rolled-over');
      expect(rolledOver.length).toBeGreaterThan(0);
      const res = await call(app, 'AM', '/api/tab/meetings/mtg-exec-4/papers.docx');
      expect(res.status).toBe(200);
      const text = await readDocument(res.bytes);
      for (const expected of [`Safer Plymouth Exec: papers for the meeting on ${formatLongDate(meeting.date)}`, 'Agenda', 'Welcome and apologies', 'Minutes and actions from the previous meeting', `Safer Plymouth Exec, ${formatLongDate(previousMeeting.date)}`, 'Theme lead reports', 'Reports not received', 'Governance', 'Any other business', 'Rolled over (', 'Devon and Somerset Fire and Rescue Service (Fire and rescue)', 'Drafted by Matt Garrett (MG) on 23 November 2026']) {
        expect(text).toContain(expected);
      }
      expect(text.match(/Rolled over \((once|twice|\d+ times)\)/g)?.length).toBe(rolledOver.length);
      const reports = arising.body.reports as { themeName: string; content: { progress: string } | null; stateLabel: string }[];
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) {
        expect(text).toContain(r.themeName);
        if (r.content) expect(text).toContain(r.content.progress.slice(0, 40));
      }
      const missing = reports.filter((r) => !r.content);
      const notReceived = text.slice(text.indexOf('Reports not received'), text.indexOf('Governance', text.indexOf('Reports not received')));
      for (const r of missing) expect(notReceived).toContain(r.themeName);
      expect(findCodes('papers pack', text)).toEqual([]);

      const pdf = await call(app, 'MG', '/api/tab/meetings/mtg-exec-4/papers.pdf');
      if (existsSync(LIBREOFFICE)) {
        expect(pdf.status).toBe(200);
        expect(pdf.type).toBe('application/pdf');
        expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      } else {
        expect(pdf.status).toBe(503);
        expect(pdf.body.error).toMatchObject({ code: 'PDF.UNAVAILABLE', message: expect.stringMatching(/LibreOffice is not installed/) });
      }
    }, 200_000);

    it('refuses a theme lead and a plain member (403), and bad input (4xx), changing nothing', async () => {
      await expectRefusals(app, 'mtg-exec-4', 'org-nps', 'org-police', ['TN', 'CC']);
    }, 60_000);

    it('answers 503 saying LibreOffice is not installed when it is not, while the Word pack still works', async () => {
      const asMember = (route: (request: ApiRequest, context: Awaited<ReturnType<typeof loadRequestContext>>) => Promise<unknown>) => async (request: ApiRequest) =>
        route(request, await loadRequestContext(app.store, 'mem-am', new Date('2026-11-23T10:00:00Z'))) as never;
      const routes = papersApiRoutes({ store: app.store, clock: { now: () => new Date('2026-11-23T10:00:00Z') }, asMember, pdf: libreOfficeConverter({ binary: '/nonexistent/soffice' }) });
      const request = (): ApiRequest => ({ params: { id: 'mtg-exec-4' }, query: {}, body: undefined, headers: {}, remoteAddress: '127.0.0.1' });
      const pdf = await routes.find((r) => r.path.endsWith('papers.pdf'))!.handler(request());
      expect(pdf.status).toBe(503);
      expect(pdf.body).toMatchObject({ error: { code: 'PDF.UNAVAILABLE', message: expect.stringMatching(/LibreOffice is not installed.*Word version works/) } });
      const docx = await routes.find((r) => r.path.endsWith('papers.docx'))!.handler(request());
      expect(docx.status).toBe(200);
      expect(docx.file?.bytes.subarray(0, 2).toString()).toBe('PK');
    });
  });

  describe('over a board built from an empty store through the tab API', () => {
    const clock = new SettableClock(new Date('2027-01-04T10:00:00Z'));
    let app: TestApp;
    const ids: Record<string, string> = {};

    const as = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await call(app, who, path, { method, body });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const meeting = (id: string) => as('AM', 'GET', '/api/tab/meetings').then((b) => b.meetings.find((m: { id: string }) => m.id === id));

    beforeAll(async () => {
      app = await storeUnderTest.start(clock, false);
      const setup = await setUpBoard(app.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Anna Moss', secretariatInitials: 'AM', secretariatEmail: null, secretariatAadObjectId: null }, clock.now());
      if (!setup.ok) throw new Error(setup.error.message);
      ids['am'] = setup.value.memberId;
      for (const [key, name, authorityKind] of [
        ['council', 'Plymouth City Council', 'local-authority'],
        ['police', 'Devon and Cornwall Police', 'police'],
        ['fire', 'Devon and Somerset Fire and Rescue Service', 'fire-and-rescue'],
      ] as const) {
        ids[key] = (await as('AM', 'POST', '/api/tab/organisations', { name, authorityKind })).id;
      }
      for (const [key, name, initials, org] of [
        ['mg', 'Matt Garrett', 'MG', 'council'],
        ['hs', 'Helen Shaw', 'HS', 'council'],
        ['pc', 'Paula Carter', 'PC', 'police'],
        ['fw', 'Frank Ward', 'FW', 'fire'],
      ] as const) {
        ids[key] = (await as('AM', 'POST', '/api/tab/members', { name, initials, jobTitle: 'Officer', organisationId: ids[org] })).id;
      }
      const join = (memberId: string, role: string, decisionMaker: boolean) => as('AM', 'POST', '/api/tab/memberships', { groupId: 'grp-exec', memberId, role, decisionMaker, deputyForMemberId: null, startDate: '2027-01-04', endDate: null });
      await join(ids['mg']!, 'chair', true);
      await join(ids['hs']!, 'theme-lead', false);
      await join(ids['pc']!, 'member', true);
      await join(ids['fw']!, 'member', false);
      ids['safer'] = (await as('AM', 'POST', '/api/tab/themes', { name: 'Safer communities', leadMemberIds: [ids['hs']] })).id;
      ids['da'] = (await as('AM', 'POST', '/api/tab/themes', { name: 'Domestic abuse', leadMemberIds: [ids['mg']] })).id;
      for (const [key, date] of [
        ['m1', '2027-01-19'],
        ['m2', '2027-04-20'],
        ['m3', '2027-07-20'],
      ] as const) {
        ids[key] = (await as('AM', 'POST', '/api/tab/meetings', { groupId: 'grp-exec', date, startTime: '10:00', agenda: [{ minute: '1', title: 'Apologies' }] })).id;
      }
      // January: everyone but the police, who send apologies; an action for the next meeting.
      clock.set(new Date('2027-01-19T12:00:00Z'));
      await as('AM', 'PUT', `/api/tab/meetings/${ids['m1']}/attendance`, { version: (await meeting(ids['m1']!)).version, attendeeIds: [ids['mg'], ids['hs'], ids['fw']], apologyIds: [ids['pc']] });
      await as('AM', 'POST', '/api/tab/actions', { meetingId: ids['m1'], minuteRef: '4.2', text: 'HS to map the night-time economy hotspots', owners: [{ kind: 'member', memberId: ids['hs'] }], due: { kind: 'next-meeting' } });
      await as('AM', 'POST', `/api/tab/meetings/${ids['m1']}/held`, { version: (await meeting(ids['m1']!)).version });
      // April: the police do not come and send nothing; the action is still open, so it rolls over.
      clock.set(new Date('2027-04-20T12:00:00Z'));
      await as('AM', 'PUT', `/api/tab/meetings/${ids['m2']}/attendance`, { version: (await meeting(ids['m2']!)).version, attendeeIds: [ids['mg'], ids['hs'], ids['fw']], apologyIds: [] });
      await as('AM', 'POST', `/api/tab/meetings/${ids['m2']}/held`, { version: (await meeting(ids['m2']!)).version });
      // July's papers, before the meeting: the safer communities report is in, domestic abuse is not.
      clock.set(new Date('2027-07-05T10:00:00Z'));
      const report = await submitReport(app.store, await loadRequestContext(app.store, ids['hs']!, clock.now()), themeReportId(reportRoundId(ids['m3']!), ids['safer']!), { progress: 'Hotspot map drafted with the police analyst.', asks: 'A licensing officer for the working group.', risks: 'Summer events may stretch patrols.', data: 'Night-time incidents down 8% on last year.', rag: 'amber' });
      if (!report.ok) throw new Error(report.error.message);
    }, 240_000);
    afterAll(async () => {
      await app?.close();
    });

    it('drafts the letter to the police (apologies, then absent: poor attendance) naming the meetings, the Act, the ask and the chair', async () => {
      const candidates = await call(app, 'AM', '/api/tab/governance/letters/candidates');
      const police = candidates.body.authorities.find((a: { organisationId: string }) => a.organisationId === ids['police']);
      expect(police).toMatchObject({ reasons: ['poor-attendance'], meetingsAttended: 0, meetingsWithApologiesOnly: 1 });
      expect(candidates.body.authorities.find((a: { organisationId: string }) => a.organisationId === ids['fire'])).toMatchObject({ reasons: ['no-decision-maker'], meetingsAttended: 2 });
      expect(candidates.body.authorities.find((a: { organisationId: string }) => a.organisationId === ids['council'])).toMatchObject({ reasons: [] });

      const res = await call(app, 'AM', `/api/tab/organisations/${ids['police']}/letter`, { method: 'POST', body: {} });
      expect(res.status).toBe(200);
      const text = await readDocument(res.bytes);
      for (const expected of ['Devon and Cornwall Police', 'Crime and Disorder Act 1998', '19 January 2027', '20 April 2027', 'Apologies: Paula Carter (PC)', 'Not represented', 'attend every meeting', 'Matt Garrett', '20 July 2027']) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('nominate a decision-making member');
      expect(findCodes('letter', text)).toEqual([]);
      const police2 = (await app.store.organisations.get(ids['police']!)) as Organisation;
      expect(police2.audit?.at(-1)).toMatchObject({ byMemberId: ids['am'], summary: expect.stringMatching(/^Chair\u2019s letter drafted .*poor attendance/) });
    }, 150_000);

    it('makes the July papers pack: the one report in full, the missing one named, the rolled-over action marked, governance in words', async () => {
      const res = await call(app, 'MG', `/api/tab/meetings/${ids['m3']}/papers.docx?meetings=3`);
      expect(res.status).toBe(200);
      const text = await readDocument(res.bytes);
      for (const expected of [
        'papers for the meeting on 20 July 2027',
        'Safer Plymouth Exec, 20 April 2027',
        'HS to map the night-time economy hotspots',
        'Rolled over (once)',
        'Safer communities (lead HS)',
        'Hotspot map drafted with the police analyst.',
        'A licensing officer for the working group.',
        'Summer events may stretch patrols.',
        'Night-time incidents down 8% on last year.',
        'Amber',
        'Domestic abuse (lead MG)',
        'Devon and Cornwall Police (Police)',
        'Drafted by Anna Moss (AM) on 5 July 2027',
        'Responsible authorities with nobody on the group: Probation, Health.',
      ]) {
        expect(text).toContain(expected);
      }
      const notReceived = text.slice(text.indexOf('Reports not received'), text.lastIndexOf('Governance'));
      expect(notReceived).toContain('Domestic abuse');
      expect(notReceived).not.toContain('Safer communities');
      expect(findCodes('papers pack', text)).toEqual([]);
      const pdf = await call(app, 'AM', `/api/tab/meetings/${ids['m3']}/papers.pdf`);
      expect(pdf.status).toBe(existsSync(LIBREOFFICE) ? 200 : 503);
    }, 200_000);

    it('refuses a theme lead and a plain member (403), and bad input (4xx), changing nothing', async () => {
      await expectRefusals(app, ids['m3']!, ids['fire']!, ids['council']!, ['HS', 'FW']);
    }, 60_000);
  });
});

