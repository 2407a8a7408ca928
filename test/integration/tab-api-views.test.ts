import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';

async function snapshot(app: TestApp): Promise<string> {
  const [actions, memberships] = await Promise.all([listAll(app.store.actions, {}), listAll(app.store.memberships, {})]);
  return JSON.stringify({ actions, memberships });
}

async function fetchAs(app: TestApp, initials: string, path: string): Promise<Response> {
  return fetch(`${app.url}${path}`, { headers: { 'X-Dev-User': initials } });
}

async function documentText(bytes: ArrayBuffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('tab API: matters arising, governance and exports on the demo data', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('matters arising for the next meeting', () => {
    it('lists the actions from the previous meeting, including those carried to it, with what changed since', async () => {
      const res = await app.as('CC', '/api/tab/matters-arising?meeting=mtg-exec-4');
      expect(res.status).toBe(200);
      expect(res.body.previousMeeting.id).toBe('mtg-exec-3');
      const ids = res.body.fromPreviousMeeting.map((m: { action: { id: string } }) => m.action.id);
      expect(ids).toContain('act-exec-3-10');
      expect(ids).toContain('act-exec-1-01'); // rolled over at mtg-exec-3
      expect(ids).not.toContain('act-exec-2-01'); // closed at the previous meeting, agreed at the one before
      const list = res.body.fromPreviousMeeting.find((m: { action: { id: string } }) => m.action.id === 'act-exec-3-10');
      expect(list.changesSince).toEqual([expect.objectContaining({ kind: 'note', byLabel: 'TN', note: expect.stringMatching(/List drafted/) })]);
      const untouched = res.body.fromPreviousMeeting.find((m: { action: { id: string } }) => m.action.id === 'act-exec-3-07');
      expect(untouched.changesSince).toEqual([]);
    });

    it('shows the reports for the meeting: submitted, and still requested before the deadline', async () => {
      const res = await app.as('CC', '/api/tab/matters-arising?meeting=mtg-exec-4');
      const byTheme = Object.fromEntries(res.body.reports.map((r: { themeName: string; status: string }) => [r.themeName, r.status]));
      expect(byTheme).toEqual({
        'Domestic abuse': 'submitted',
        'Supporting people': 'submitted',
        'Safer families': 'requested',
        'Safer communities': 'requested',
        'Mental health': 'requested',
      });
      const da = res.body.reports.find((r: { themeName: string }) => r.themeName === 'Domestic abuse');
      expect(da.content.progress).toMatch(/IDVA/);
    });

    it('lists the actions rolled over more than once', async () => {
      const res = await app.as('MG', '/api/tab/matters-arising?meeting=mtg-exec-4');
      expect(res.body.rolledOverMoreThanOnce.map((a: { id: string }) => a.id)).toEqual(['act-exec-1-01']);
    });

    it('shows a new change in "what changed since"', async () => {
      const detail = await app.as('TN', '/api/tab/actions/act-exec-3-08');
      await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', { method: 'POST', body: JSON.stringify({ version: detail.body.version, changeId: 'chg-ma-000001', change: { kind: 'add-note', note: 'Training records requested' } }) });
      const res = await app.as('MG', '/api/tab/matters-arising?meeting=mtg-exec-4');
      const item = res.body.fromPreviousMeeting.find((m: { action: { id: string } }) => m.action.id === 'act-exec-3-08');
      expect(item.changesSince.map((h: { note: string }) => h.note)).toEqual(['Training records requested']);
    });

    it.each([
      ['/api/tab/matters-arising', 400, /meeting/],
      ['/api/tab/matters-arising?meeting=mtg-nope', 404, /no meeting/i],
      ['/api/tab/matters-arising?meeting=mtg-exec-4&colour=red', 400, /colour|Unrecognized/i],
      ['/api/tab/exports/matters-arising.docx?meeting=mtg-nope', 404, /no meeting/i],
      ['/api/tab/exports/matters-arising.csv', 400, /meeting/],
    ])('answers %s with a clear %i', async (path, status, message) => {
      const before = await snapshot(app);
      const res = await app.as('MG', path);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body.error)).toMatch(message);
      expect(await snapshot(app)).toBe(before);
    });
  });

  describe('governance', () => {
    it('shows each group with members, role, decision-maker flag, deputy and term', async () => {
      const res = await app.as('CC', '/api/tab/governance');
      expect(res.status).toBe(200);
      expect(res.body.groups[0].id).toBe('grp-exec');
      const exec = res.body.groups[0];
      expect(exec.members.find((m: { initials: string }) => m.initials === 'MG')).toMatchObject({ role: 'chair', decisionMaker: true, organisation: 'Plymouth City Council', current: true, endDate: null });
      const board = res.body.groups.find((g: { id: string }) => g.id === 'grp-board');
      expect(board.members.find((m: { initials: string }) => m.initials === 'DS')).toMatchObject({ deputyFor: 'NJ', current: false, endDate: '2016-07-21' });
    });

    it('names the responsible authorities missing from the Exec and those that sent no one to its last meetings', async () => {
      const res = await app.as('CC', '/api/tab/governance?meetings=3');
      const exec = res.body.groups.find((g: { id: string }) => g.id === 'grp-exec');
      expect(exec.missingAuthorities).toEqual(['fire-and-rescue', 'probation']);
      expect(exec.recentMeetingIds).toEqual(['mtg-exec-3', 'mtg-exec-2', 'mtg-exec-1']);
      expect(exec.absentAuthorities).toEqual(['fire-and-rescue', 'probation']);
    });

    it('counts attendance and apologies over the last year, by meeting and by organisation', async () => {
      const res = await app.as('CC', '/api/tab/governance/attendance');
      expect(res.status).toBe(200);
      expect(res.body.meetingsHeld).toBe(3);
      const first = res.body.byMeeting.find((m: { meetingId: string }) => m.meetingId === 'mtg-exec-1');
      expect(first.apologies.sort()).toEqual(['IT', 'TW']);
      const opcc = res.body.byOrganisation.find((o: { organisationId: string }) => o.organisationId === 'org-opcc');
      expect(opcc).toMatchObject({ meetingsAttended: 2, meetingsWithApologiesOnly: 1, apologies: 1 });
      const police = res.body.byOrganisation.find((o: { organisationId: string }) => o.organisationId === 'org-police');
      expect(police).toMatchObject({ meetingsAttended: 3, authorityKind: 'police' });
      expect(res.body.byOrganisation.some((o: { organisationId: string }) => o.organisationId === 'org-fire')).toBe(false);
    });

    it.each([
      ['/api/tab/governance?meetings=0', 400, /at least 1/],
      ['/api/tab/governance?meetings=abc', 400, /meetings/],
      ['/api/tab/governance/attendance?group=grp-nope', 404, /no group/i],
    ])('answers %s with a clear %i', async (path, status, message) => {
      const res = await app.as('MG', path);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body.error)).toMatch(message);
    });
  });

  describe('exports', () => {
    it('exports the filtered action log as a Word document', async () => {
      const res = await fetchAs(app, 'MG', '/api/tab/exports/actions.docx?owner=mem-tn');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="safer-exec-actions-2026-11-23.docx"');
      const text = await documentText(await res.arrayBuffer());
      expect(text).toMatch(/Safer Plymouth Exec – action log/);
      expect(text).toMatch(/Filtered: owner TN/);
      expect(text).toMatch(/street pastors/);
      expect(text).not.toMatch(/Home Office/); // AM's action, filtered out
    });

    it('exports matters arising as a Word document with the reports and the roll-overs', async () => {
      const res = await fetchAs(app, 'CC', '/api/tab/exports/matters-arising.docx?meeting=mtg-exec-4');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="safer-exec-matters-arising-\d{4}-\d{2}-\d{2}-2026-11-23\.docx"/);
      const text = await documentText(await res.arrayBuffer());
      expect(text).toMatch(/Actions from the previous meeting/);
      expect(text).toMatch(/involved in developing a proposal/);
      expect(text).toMatch(/Domestic abuse \(HS\) – Submitted/);
      expect(text).toMatch(/Actions rolled over more than once/);
      expect(text).toMatch(/Home Office/);
    });

    it('exports the action log as CSV by RFC 4180: header, CRLF, quotes doubled, UTF-8 with a BOM', async () => {
      const detail = await app.as('TN', '/api/tab/actions/act-exec-3-10');
      const note = 'Sent to "the OPCC", with thanks';
      const changed = await app.as('TN', '/api/tab/actions/act-exec-3-10/changes', { method: 'POST', body: JSON.stringify({ version: detail.body.version, changeId: 'chg-csv-000001', change: { kind: 'add-note', note } }) });
      expect(changed.status).toBe(200);
      const res = await fetchAs(app, 'CC', '/api/tab/exports/actions.csv?owner=mem-tn&sort=due');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="safer-exec-actions-2026-11-23.csv"');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
      const lines = text.split('\r\n');
      expect(lines[0]).toBe('Meeting date,Minute,Action,Owners,Theme,Due,Status,RAG,Overdue,Times rolled over,Last update');
      const row = lines.find((l) => l.includes('involved in developing a proposal'))!;
      expect(row).toContain(',"23 November 2026 TN: Update: Sent to ""the OPCC"", with thanks"');
      expect(lines.filter((l) => /^\d{1,2} [A-Z][a-z]+ \d{4},/.test(l))).toHaveLength(4); // TN's four actions, one row each, from the meeting's date
      expect(text.endsWith('\r\n')).toBe(true);
    });

    it('neutralises a spreadsheet formula in a theme report before it reaches the CSV', async () => {
      const report = await app.store.themeReports.get('rnd-exec-4:thm-safer-communities');
      const { version, ...record } = report!;
      const content = { progress: '=HYPERLINK("http://evil.example","Click")', asks: '', risks: '-1 officer', data: '', rag: 'amber' as const };
      await app.store.themeReports.update({ ...record, versions: [{ content, submittedAt: '2026-11-20T10:00:00.000Z', submittedByMemberId: 'mem-tn' }] }, version);
      const res = await fetchAs(app, 'MG', '/api/tab/exports/matters-arising.csv?meeting=mtg-exec-4');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('Theme report,Safer communities,"\'=HYPERLINK(""http://evil.example"",""Click"")",TN,Submitted,Amber,20 November 2026,');
      expect(text).toMatch(/Rolled over more than once,6,AM to chase the Home Office/);
    });

    it.each([
      '/api/tab/exports/actions.docx?status=finished',
      '/api/tab/exports/actions.csv?limit=5',
    ])('refuses a bad filter at %s with 400 and no file', async (path) => {
      const res = await fetchAs(app, 'MG', path);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect((await res.json()).error.code).toBe('REQUEST.INVALID');
    });
  });
});
