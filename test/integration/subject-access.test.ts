import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionUpdate, Member } from '../../bot/domain/index.js';
import type { Store } from '../../bot/store/store.js';
import type { TestApp } from '../support/app.js';
import { aDelivery } from '../support/records.js';
import { snapshot, STORES, type Snapshot } from './data-protection-stores.js';

/**
 * The subject-access export (UK GDPR art. 15) of one person, as JSON and Word, on both stores:
 * everything held about them and nothing about anyone else's actions; British dates and no
 * internal codes in the Word file; chair and secretariat only; reading changes nothing.
 */
const TN_OID = '00000000-0000-4000-8000-000000000006';

async function addFixture(store: Store): Promise<void> {
  const tn = (await store.members.get('mem-tn'))!;
  await store.members.update({ ...tn, teamsUserId: '29:tn', audit: [{ id: 'mem-tn:a1', at: '2026-05-01T10:00:00.000Z', byMemberId: 'mem-am', summary: 'Job title Community Safety Officer \u2192 Theme lead, Safer Communities' }] } as Member, tn.version);
  const group = (await store.groups.get('grp-safer-communities'))!;
  await store.groups.update({ ...group, audit: [{ id: 'grp-sc:a1', at: '2026-06-02T10:00:00.000Z', byMemberId: 'mem-tn', summary: 'Reminders go to members \u2192 chair' }] }, group.version);
  await store.installs.create({ id: 'a:chat-tn', scope: 'personal', tenantId: 't', serviceUrl: 'https://smba.trafficmanager.net/uk/', teamId: null, channelId: null, memberId: 'mem-tn', teamsUserId: '29:tn', installedAt: '2026-03-01T10:00:00.000Z', reference: {} });
  await store.deliveries.create(aDelivery({ id: 'reminder:act-exec-3-08:2026-11-16:before:mem-tn', conversationId: 'a:chat-tn', status: 'sent', createdAt: '2026-11-16T09:00:00.000Z' }));
  await store.deliveries.create(aDelivery({ id: 'digest:2026-11-16:mem-mg', kind: 'digest', status: 'sent', createdAt: '2026-11-16T09:00:00.000Z' }));
  const opic = (await store.actions.get('act-exec-3-13'))!;
  const note: ActionUpdate = { id: 'chg-mg-opic', at: '2026-11-01T10:00:00.000Z', byMemberId: 'mem-mg', kind: 'note', note: 'Asked TN to chase the OPiC data.', from: null, to: null };
  await store.actions.update({ ...opic, history: [...opic.history, note] }, opic.version);
}

async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

async function download(app: TestApp, as: string, path: string): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const res = await fetch(`${app.url}${path}`, { headers: { 'X-Dev-User': as } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

describe.each(STORES)('the subject-access export on $name', (storeUnderTest) => {
  let app: TestApp;
  let fixture: Snapshot;

  beforeAll(async () => {
    app = await storeUnderTest.start();
    await addFixture(app.store);
    fixture = await snapshot(app.store);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a plain member and the person themselves (403) and an unknown person (404), for both formats', async () => {
    for (const format of ['json', 'docx']) {
      for (const as of ['CC', 'TN']) {
        const res = await app.as(as, `/api/tab/people/mem-tn/subject-access.${format}`);
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({ code: 'AUTH.FORBIDDEN', message: expect.stringMatching(/chair or the secretariat/) });
      }
      const unknown = await app.as('AM', `/api/tab/people/mem-nobody/subject-access.${format}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('MEMBER.NOT_FOUND');
    }
  });

  it('gives the secretariat everything held about them as JSON: record, memberships, meetings, actions, what they wrote, reports, audit, messages and chats', async () => {
    const res = await download(app, 'AM', '/api/tab/people/mem-tn/subject-access.json');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/application\/json/);
    expect(res.disposition).toBe('attachment; filename="safer-exec-subject-access-2026-11-23.json"');
    const data = JSON.parse(res.bytes.toString('utf8'));
    expect(data.person).toEqual({ id: 'mem-tn', name: 'Tracey Naismith', initials: 'TN', otherInitials: [], jobTitle: 'Theme lead, Safer Communities', organisation: 'Plymouth City Council', email: 'tn@saferplymouth.example', entraObjectId: TN_OID, teamsUserId: '29:tn', erased: false });
    expect(data.memberships.map((m: { group: string; role: string; endDate: string | null }) => [m.group, m.role, m.endDate])).toEqual(
      expect.arrayContaining([
        ['Safer Plymouth Exec', 'Theme lead', null],
        ['Safer Communities', 'Theme lead', null],
        ['Theme leads', 'Member', null],
      ]),
    );
    expect(data.memberships).toHaveLength(3);
    expect(data.themesLed).toEqual([{ theme: 'Safer communities', activeUntil: null }]);
    expect(data.meetings.map((m: { attendance: string }) => m.attendance)).toEqual(['Attended', 'Attended', 'Attended']);

    const actions = new Map<string, string[]>(data.actions.map((a: { text: string; why: string[] }) => [a.text, a.why]));
    expect(actions.get('TN to bring the Safer Communities theme group\u2019s ASB figures since lockdown to the Exec.')).toEqual(['They own it', 'They are named in it', 'They wrote in its history']);
    expect(actions.get('TN will bring terms of reference to the next meeting.')).toEqual(['They own it', 'They are named in it']);
    expect(actions.get('TN to enquire about what safeguarding training the street pastors have had.')).toEqual(['They own it', 'They are named in it']);
    expect(actions.get('OPiC Data to be released and shared with the theme groups.')).toEqual(['They are named in it']);
    expect(data.actions).toHaveLength(5);
    expect(data.historyLinesWritten.map((h: { what: string; detail: string }) => [h.what, h.detail])).toEqual([
      ['Update', 'ASB is up since lockdown eased; the figures are not ready yet.'],
      ['Update', 'List drafted; waiting on the OPCC\u2019s steer before circulating.'],
    ]);
    expect(data.reportVersions).toHaveLength(1);
    expect(data.reportVersions[0]).toMatchObject({ theme: 'Safer communities', why: 'They submitted it', rag: 'Amber', risks: 'An increase in ASB post Covid.' });
    expect(data.auditAboutThem).toEqual([expect.objectContaining({ by: 'AM', record: 'Person: Tracey Naismith (TN)', summary: 'Job title Community Safety Officer \u2192 Theme lead, Safer Communities' })]);
    expect(data.auditByThem).toEqual([expect.objectContaining({ by: 'TN', record: 'Group: Safer Communities', summary: 'Reminders go to members \u2192 chair' })]);
    expect(data.messagesSent).toEqual([{ kind: 'Reminder about an action', createdAt: '2026-11-16T09:00:00.000Z', status: 'Sent' }]);
    expect(data.chatsWithTheBot).toEqual([{ kind: 'Personal chat with the bot', installedAt: '2026-03-01T10:00:00.000Z' }]);
    // Nothing about other people's actions or messages.
    const text = JSON.stringify(data);
    for (const other of ['TM to have a conversation with the OPCC', 'MG and JK to have a discussion', 'Weekly digest', 'Women-only housing']) expect(text).not.toContain(other);
  });

  it('says the same in Word, in words and British dates, with no internal codes', async () => {
    const res = await download(app, 'AM', '/api/tab/people/mem-tn/subject-access.docx');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = await docxText(res.bytes);
    expect(text).toContain('Subject access: what Safer Exec holds about Tracey Naismith');
    expect(text).toContain('Produced on 23 November 2026');
    for (const expected of ['Safer Plymouth Exec', 'Theme lead', 'TN to enquire about what safeguarding training the street pastors have had.', 'List drafted; waiting on the OPCC\u2019s steer', 'An increase in ASB post Covid.', 'Reminder about an action', 'Personal chat with the bot', '16 November 2026', '1 March 2026', 'tn@saferplymouth.example']) {
      expect(text).toContain(expected);
    }
    // Their own identifiers are data held about them; no other id or code may appear.
    const withoutTheirIds = text.replace(TN_OID, '').replace('29:tn', '');
    expect(withoutTheirIds).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(withoutTheirIds).not.toMatch(/\b(mem|act|grp|mtg|thm|rnd|org|ms|chg)-[a-z0-9]/);
    expect(withoutTheirIds).not.toMatch(/member:|group:|a:chat|\b(in-progress|proposed-complete|theme-lead|next-meeting|action-reminder|report-prompt|MessageWritesBlocked|amber)\b/);
    expect(withoutTheirIds).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it.runIf(storeUnderTest.name === 'SQLite')('opens in LibreOffice (converted to PDF)', async (context) => {
    if (!existsSync('/usr/bin/libreoffice')) context.skip('LibreOffice is not installed: run scripts/ensure-test-deps.sh');
    const dir = mkdtempSync(join(tmpdir(), 'safer-exec-sar-'));
    const home = mkdtempSync(join(tmpdir(), 'safer-exec-lo-'));
    try {
      const res = await download(app, 'AM', '/api/tab/people/mem-tn/subject-access.docx');
      const file = join(dir, 'subject-access.docx');
      writeFileSync(file, res.bytes);
      await promisify(execFile)('libreoffice', ['--headless', '--norestore', `-env:UserInstallation=file://${home}`, '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 120_000, env: { ...process.env, HOME: home } });
      const pdf = join(dir, 'subject-access.pdf');
      expect(statSync(pdf).size).toBeGreaterThan(1000);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }, 150_000);

  it('changed nothing by reading', async () => {
    expect(await snapshot(app.store)).toEqual(fixture);
  });
});
