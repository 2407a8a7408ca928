/**
 * A whole year of the board's business, from an empty store, on both stores (issue 11, "Done
 * when"). Everything goes through the real server: set-up, then the secretariat (X-Dev-User AM)
 * and the chair (MG) on the tab API, the leads and owners on the bot endpoint (card presses from
 * their personal chats), and the sweep at 10:00 London on the days that matter, posting through
 * the real sender to the Bot Connector stand-in. An injected clock moves through 2027.
 *
 * Every sweep runs twice; each must create exactly the ledger lines listed for it (one message,
 * in the right personal chat, per line), and the second must send nothing. At every quarter the
 * action log, matters arising, the report round and the chair's digest are checked against what
 * the secretariat would expect; at the end no message exists twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS, REPORT_VERBS } from '../../bot/cards/verbs.js';
import { londonClock, type Delivery } from '../../bot/domain/index.js';
import type { Clock } from '../../bot/services/clock.js';
import { setUpBoard } from '../../bot/services/setup.js';
import { listAll, type Versioned } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { startBotConnectorStandIn, type BotConnectorStandIn, type StoredMessage } from '../stand-ins/bot-connector.js';
import { botAdded, cardOf, cardText, execute, message, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

/** A clock the test moves: the server, the bot and the sweep all read "now" from it. */
class SettableClock implements Clock {
  private at = new Date('2027-01-04T09:00:00Z');
  set(at: Date): void {
    this.at = at;
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
}

/** The instant a London wall-clock time happens (GMT in winter, BST in summer). */
function london(date: string, time = '10:00'): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const shift = londonClock(guess).hour - guess.getUTCHours();
  return new Date(guess.getTime() - shift * 3_600_000);
}

interface RunningStore {
  readonly app: TestApp;
  close(): Promise<void>;
}

const STORES: readonly { readonly name: string; start(clock: Clock): Promise<RunningStore> }[] = [
  {
    name: 'SQLite',
    async start(clock) {
      const app = await startTestApp({ clock, env: { SEED_DEMO: 'false', REPORT_NOTICES: 'digest' } });
      return { app, close: () => app.close() };
    },
  },
  {
    name: 'SharePoint lists on the Graph stand-in',
    async start(clock) {
      const standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
      const app = await startTestApp({
        clock,
        env: { SEED_DEMO: 'false', REPORT_NOTICES: 'digest', STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
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

/** Who the board is: initials as the minutes print them (and as the Teams stand-in knows them). */
const PEOPLE = [
  { initials: 'MG', name: 'Matt Garrett', jobTitle: 'Chief Superintendent', org: 'police' },
  { initials: 'TN', name: 'Tracey Naismith', jobTitle: 'Head of Community Safety', org: 'council' },
  { initials: 'HS', name: 'Helen Shaw', jobTitle: 'Director of Public Health', org: 'health' },
  { initials: 'SH', name: 'Sarah Hill', jobTitle: 'Head of Probation Delivery', org: 'probation' },
  { initials: 'TW', name: 'Tom Walker', jobTitle: 'Group Manager, Prevention', org: 'fire' },
  { initials: 'JK', name: 'Jackie Kings', jobTitle: 'Detective Inspector', org: 'police' },
  { initials: 'RS', name: 'Rob Steele', jobTitle: 'Chief Executive', org: 'voluntary' },
  { initials: 'TM', name: 'Tina Moss', jobTitle: 'Housing Options Manager', org: 'council' },
] as const;
type Initials = 'AM' | (typeof PEOPLE)[number]['initials'];

const ORGANISATIONS = {
  police: { name: 'Devon and Cornwall Police', authorityKind: 'police' },
  council: { name: 'Plymouth City Council', authorityKind: 'local-authority' },
  fire: { name: 'Devon and Somerset Fire and Rescue Service', authorityKind: 'fire-and-rescue' },
  probation: { name: 'Probation Service', authorityKind: 'probation' },
  health: { name: 'NHS Devon', authorityKind: 'health' },
  voluntary: { name: 'Plymouth Domestic Abuse Partnership', authorityKind: null },
} as const;

const AGENDA = [
  { minute: '1', title: 'Apologies' },
  { minute: '2', title: 'Minutes and matters arising' },
  { minute: '3', title: 'Domestic abuse' },
  { minute: '4', title: 'Safer families' },
  { minute: '5', title: 'Safer communities' },
  { minute: '6', title: 'Any other business' },
];

const HEADINGS: Record<string, RegExp> = {
  before: /^Reminder: an action of yours is due soon/,
  'on-day': /^Reminder: an action of yours is due today/,
  overdue: /^Reminder: an action of yours is overdue/,
  assigned: /^You have been given an action/,
  prompt: /^Your theme report for the next Exec/,
  chase: /^Reminder: your theme report is still to come/,
  digest: /^Weekly digest, /,
};

/** [ledger id, who it is for]. */
type Expected = readonly [string, Initials];

describe.each(STORES)('a year of the board on $name, from an empty store', (storeUnderTest) => {
  const clock = new SettableClock();
  let running: RunningStore;
  let app: TestApp;
  let connector: BotConnectorStandIn;
  let started = 0;

  const M = {} as Record<Initials, string>;
  const ORG = {} as Record<keyof typeof ORGANISATIONS, string>;
  const TH = {} as Record<'DA' | 'SF' | 'SC' | 'MH', string>;
  const LEAD: Record<keyof typeof TH, Initials> = { DA: 'HS', SF: 'SH', SC: 'TN', MH: 'JK' };
  const GRP = {} as Record<'EXEC' | 'SF' | 'RR', string>;
  const MTG = {} as Record<'M1' | 'M2' | 'M3' | 'M4' | 'M4R' | 'M5', string>;
  const ACT: Record<string, string> = {};
  /** The history line that agreed each action (its id names the owner notices). */
  const CREATED: Record<string, string> = {};
  const MS: Record<string, string> = {};

  beforeAll(async () => {
    started = Date.now();
    connector = await startBotConnectorStandIn();
    clock.set(london('2027-01-04', '09:00'));
    running = await storeUnderTest.start(clock);
    app = running.app;
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await connector?.close();
    process.stdout.write(`meeting-cycle-year on ${storeUnderTest.name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  // ---- helpers -------------------------------------------------------------------------------

  const at = (date: string, time = '10:00') => clock.set(london(date, time));

  async function call(who: Initials, method: string, path: string, body?: unknown) {
    return app.as(who, path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  async function expectOk(who: Initials, method: string, path: string, body?: unknown, status = 200) {
    const res = await call(who, method, path, body);
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  const create = (who: Initials, path: string, body: unknown) => expectOk(who, 'POST', path, body, 201);

  const member = (who: Initials) => ({ kind: 'member' as const, memberId: M[who] });
  const group = (key: keyof typeof GRP) => ({ kind: 'group' as const, groupId: GRP[key] });
  const nextMeeting = { kind: 'next-meeting' as const };
  const onDate = (date: string) => ({ kind: 'date' as const, date });

  async function meeting(key: keyof typeof MTG) {
    const list = await expectOk('AM', 'GET', '/api/tab/meetings');
    return list.meetings.find((m: { id: string }) => m.id === MTG[key]);
  }

  async function agree(key: string, meetingKey: keyof typeof MTG, minuteRef: string, text: string, owners: unknown[], due: unknown, themeKey: keyof typeof TH | null) {
    const requestId = `year-${key}-agreed`;
    const body = await create('AM', '/api/tab/actions', { meetingId: MTG[meetingKey], minuteRef, text, owners, due, themeId: themeKey ? TH[themeKey] : null, requestId });
    ACT[key] = body.id;
    CREATED[key] = `create-${requestId}`;
    expect(body.history).toEqual([expect.objectContaining({ id: CREATED[key], kind: 'created', byLabel: 'AM' })]);
    return body;
  }

  let changes = 0;
  /** One change to an action from the tab, on the version just read; answers the changed action. */
  async function change(who: Initials, key: string, body: unknown, status = 200) {
    const current = await expectOk(who, 'GET', `/api/tab/actions/${ACT[key]}`);
    const changeId = `year-change-${String(++changes).padStart(3, '0')}`;
    const res = await call(who, 'POST', `/api/tab/actions/${ACT[key]}/changes`, { version: current.version, changeId, change: body });
    expect(res.status, `${who} changes ${key}: ${JSON.stringify(res.body)}`).toBe(status);
    return { ...res.body, changeId };
  }

  async function detail(key: string) {
    return expectOk('AM', 'GET', `/api/tab/actions/${ACT[key]}`);
  }

  /** The action log as the secretariat reads it, one line per action. */
  async function actionLog() {
    const page = await expectOk('AM', 'GET', '/api/tab/actions?limit=500');
    const byKey = Object.fromEntries(Object.entries(ACT).map(([k, id]) => [id, k]));
    expect(page.total).toBe(Object.keys(ACT).length);
    return Object.fromEntries(
      page.items.map((a: any) => [
        byKey[a.id],
        `${a.status} due ${a.dueDate ?? 'unscheduled'} x${a.rolloverCount}${a.overdue ? ' overdue' : ''} [${a.owners.map((o: { label: string }) => o.label).join(', ')}]`,
      ]),
    );
  }

  const personalChat = (who: Initials) => teamsUser(who).personalConversationId;
  const digestId = (week: string): Expected => [`digest:${week}:${M.MG}`, 'MG'];
  const reminder = (key: string, due: string, stage: string, who: Initials): Expected => [`reminder:${ACT[key]}:${due}:${stage}:${M[who]}`, who];
  const assigned = (key: string, who: Initials, line = CREATED[key]!): Expected => [`assigned:${ACT[key]}:${line}:${M[who]}`, who];
  const reportId = (meetingKey: keyof typeof MTG, theme: keyof typeof TH) => `round-${MTG[meetingKey]}:${TH[theme]}`;
  const prompt = (meetingKey: keyof typeof MTG, theme: keyof typeof TH, slot: string): Expected => [`report-prompt:${reportId(meetingKey, theme)}:${slot}`, LEAD[theme]];

  const ledger = () => listAll(app.store.deliveries, {});
  /** New posts into conversations (replies to a person's own message carry the id they reply to). */
  const proactivePosts = () => connector.received.filter((c) => c.method === 'POST' && c.status === 201 && /\/activities$/.test(c.path));
  const sent: Record<string, StoredMessage> = {};

  /**
   * Sweeps twice at 10:00 London on `date`. The first must write exactly `expected` to the
   * ledger, each sent once to the right person's personal chat with the card its kind calls
   * for; the second must send nothing at all.
   */
  async function sweepOn(date: string, expected: readonly Expected[]) {
    at(date);
    const before = new Set((await ledger()).map((d) => d.id));
    const postsBefore = proactivePosts().length;
    const first = await app.sweep(clock.now());
    const second = await app.sweep(clock.now());
    expect(first.workingTime, date).toBe(true);
    const lines = (await ledger()).filter((d) => !before.has(d.id));
    expect(lines.map((d) => d.id).sort(), `ledger lines written on ${date}`).toEqual(expected.map(([id]) => id).sort());
    expect({ sent: first.sent, failed: first.failed, inDoubt: first.inDoubt }, date).toEqual({ sent: expected.length, failed: 0, inDoubt: 0 });
    expect({ sent: second.sent, failed: second.failed }, `second sweep on ${date}`).toEqual({ sent: 0, failed: 0 });
    expect(proactivePosts().length - postsBefore, `posts on ${date}`).toBe(expected.length);
    for (const [id, who] of expected) {
      const line = lines.find((d) => d.id === id) as Versioned<Delivery>;
      expect(line, id).toMatchObject({ status: 'sent', conversationId: personalChat(who) });
      const message = connector.messages.get(line.activityId!);
      expect(message?.conversationId, id).toBe(personalChat(who));
      const kind = id.startsWith('digest:') ? 'digest' : id.startsWith('assigned:') ? 'assigned' : id.startsWith('report-prompt:') ? (id.endsWith(':prompt') ? 'prompt' : 'chase') : id.split(':').at(-2)!;
      expect(cardText(cardOf(message!.activity)), id).toMatch(HEADINGS[kind]!);
      sent[id] = message!;
    }
  }

  const textOf = (expected: Expected) => cardText(cardOf(sent[expected[0]]!.activity));

  /** The data a card's button sends, as the person pressing it would send it. */
  function buttonData(card: unknown, verb: string): Record<string, unknown> | undefined {
    if (Array.isArray(card)) return card.map((c) => buttonData(c, verb)).find(Boolean);
    if (!card || typeof card !== 'object') return undefined;
    const node = card as Record<string, unknown>;
    if (node['type'] === 'Action.Execute' && node['verb'] === verb) return node['data'] as Record<string, unknown>;
    return Object.values(node).map((c) => buttonData(c, verb)).find(Boolean);
  }

  async function install(who: Initials) {
    const user = teamsUser(who);
    expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
  }

  const REPORT_TEXT = {
    DA: { progress: 'IDVA caseloads reviewed; MARAC referrals steady.', asks: '', risks: 'Refuge capacity is short over winter.', data: 'MARAC referrals 112 this quarter.', rag: 'amber' },
    SF: { progress: 'Early help hub now takes police referrals.', asks: 'Agree the shared referral form.', risks: 'Schools data arrives late.', data: 'Referrals up 6%.', rag: 'green' },
    SC: { progress: 'ASB tasking meets fortnightly.', asks: '', risks: 'City centre ASB up over the summer.', data: 'ASB incidents up 8% on last year.', rag: 'amber' },
    MH: { progress: 'Crisis pathway mapped with the police.', asks: '', risks: 'Section 136 waits.', data: '41 section 136 detentions.', rag: 'red' },
  } as const;

  /** A lead saves their report from the card in their personal chat, through the bot endpoint. */
  async function submitReport(who: Initials, meetingKey: keyof typeof MTG, theme: keyof typeof TH, over: Record<string, string> = {}) {
    const user = teamsUser(who);
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, user), user, REPORT_VERBS.submit, { reportId: reportId(meetingKey, theme), ...REPORT_TEXT[theme], ...over }));
    expect(response.status).toBe(200);
    return cardText(response.body.value);
  }

  /** The round view as the secretariat sees it: theme → state, version count and RAGs. */
  async function round(meetingKey: keyof typeof MTG, who: Initials = 'AM') {
    const view = await expectOk(who, 'GET', `/api/tab/meetings/${MTG[meetingKey]}/reports`);
    return {
      round: view.round,
      reported: view.reported,
      expected: view.expected,
      themes: Object.fromEntries(view.themes.map((t: any) => [t.themeName, `${t.state} v${t.versions.length} ${t.versions.map((v: any) => v.content?.rag ?? 'hidden').join('/')}`.trim()])),
    };
  }

  async function mattersArising(meetingKey: keyof typeof MTG) {
    return expectOk('AM', 'GET', `/api/tab/matters-arising?meeting=${MTG[meetingKey]}`);
  }

  const keyOf = (id: string) => Object.entries(ACT).find(([, v]) => v === id)?.[0];

  async function hold(who: Initials, meetingKey: keyof typeof MTG, version?: string) {
    const v = version ?? (await meeting(meetingKey)).version;
    return call(who, 'POST', `/api/tab/meetings/${MTG[meetingKey]}/held`, { version: v });
  }

  // ---- the year ------------------------------------------------------------------------------

  it('January: set-up from an empty store, then people, organisations, groups, themes and four meetings', async () => {
    at('2027-01-04', '09:00');
    expect(await listAll(app.store.members, {})).toEqual([]);
    const setUp = await setUpBoard(app.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Alison Mears', secretariatInitials: 'AM', secretariatEmail: 'am@plymouth.example', secretariatAadObjectId: teamsUser('AM').aadObjectId }, clock.now());
    expect(setUp).toEqual({ ok: true, value: { outcome: 'created', groupId: 'grp-exec', memberId: expect.stringMatching(/^mem-[0-9a-f-]{36}$/), membershipId: expect.stringMatching(/^ms-[0-9a-f-]{36}$/) } });
    if (!setUp.ok) throw new Error(setUp.error.message);
    // Run again (a second `npm run setup`): nothing changes, and it says so.
    expect(await setUpBoard(app.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Alison Mears', secretariatInitials: 'AM', secretariatEmail: null, secretariatAadObjectId: null }, clock.now())).toEqual({
      ok: true,
      value: { outcome: 'already-set-up', groupId: 'grp-exec', memberId: setUp.value.memberId, membershipId: setUp.value.membershipId },
    });
    M.AM = setUp.value.memberId;
    GRP.EXEC = 'grp-exec';
    expect((await call('AM', 'GET', '/api/tab/me')).body).toMatchObject({ member: { initials: 'AM' }, roles: { chair: false, secretariat: true } });

    at('2027-01-04', '09:10');
    for (const [key, org] of Object.entries(ORGANISATIONS)) {
      ORG[key as keyof typeof ORGANISATIONS] = (await create('AM', '/api/tab/organisations', { ...org, requestId: `year-org-${key}` })).id;
    }
    for (const p of PEOPLE) {
      const body = await create('AM', '/api/tab/members', {
        name: p.name,
        initials: p.initials,
        jobTitle: p.jobTitle,
        organisationId: ORG[p.org],
        email: `${p.initials.toLowerCase()}@plymouth.example`,
        aadObjectId: teamsUser(p.initials).aadObjectId,
        requestId: `year-person-${p.initials}`,
      });
      M[p.initials] = body.id;
    }
    const clash = await call('AM', 'POST', '/api/tab/members', { name: 'Tim Newton', initials: 'tn', requestId: 'year-person-clash' });
    expect(clash.status).toBe(422);
    expect(clash.body.error.message).toContain('TN are already used by Tracey Naismith');

    const roles: Record<Exclude<Initials, 'AM'>, string> = { MG: 'chair', TN: 'theme-lead', HS: 'theme-lead', SH: 'theme-lead', TW: 'member', JK: 'member', RS: 'member', TM: 'member' };
    for (const [who, role] of Object.entries(roles) as [Exclude<Initials, 'AM'>, string][]) {
      const ms = await create('AM', '/api/tab/memberships', { groupId: GRP.EXEC, memberId: M[who], role, decisionMaker: who === 'MG', deputyForMemberId: null, startDate: '2027-01-04', endDate: null, membershipId: `ms-year-exec-${who.toLowerCase()}` });
      MS[`EXEC-${who}`] = ms.id;
    }
    expect((await call('MG', 'GET', '/api/tab/me')).body.roles).toEqual({ chair: true, secretariat: false });

    for (const [key, name, lead] of [['DA', 'Domestic abuse', 'HS'], ['SF', 'Safer families', 'SH'], ['SC', 'Safer communities', 'TN']] as const) {
      TH[key] = (await create('AM', '/api/tab/themes', { name, leadMemberIds: [M[lead]], requestId: `year-theme-${key}` })).id;
    }
    GRP.SF = (await create('AM', '/api/tab/groups', { name: 'Safer Families', kind: 'theme-group', parentGroupId: GRP.EXEC, themeId: TH.SF, remindVia: 'members', requestId: 'year-group-sf' })).id;
    GRP.RR = (await create('AM', '/api/tab/groups', { name: 'Reducing Reoffending', kind: 'sub-group', parentGroupId: GRP.EXEC, requestId: 'year-group-rr' })).id;
    for (const [who, role] of [['SH', 'chair'], ['TW', 'member'], ['JK', 'member']] as const) {
      await create('AM', '/api/tab/memberships', { groupId: GRP.SF, memberId: M[who], role, decisionMaker: false, deputyForMemberId: null, startDate: '2027-01-04', endDate: null, membershipId: `ms-year-sf-${who.toLowerCase()}` });
    }
    const groups = (await expectOk('AM', 'GET', '/api/tab/groups')).groups;
    const exec = groups.find((g: { id: string }) => g.id === GRP.EXEC);
    expect(exec.members.filter((m: { current: boolean }) => m.current).map((m: { initials: string }) => m.initials).sort()).toEqual(['AM', 'HS', 'JK', 'MG', 'RS', 'SH', 'TM', 'TN', 'TW']);
    expect(exec.missingAuthorities).toEqual([]);
    expect(groups.find((g: { id: string }) => g.id === GRP.SF).missingAuthorities).toEqual(['local-authority', 'health']);

    // Everyone but TM adds the app in Teams; the bot links each personal chat by Entra object id.
    for (const who of ['AM', 'MG', 'TN', 'HS', 'SH', 'TW', 'JK', 'RS'] as const) await install(who);
    expect((await listAll(app.store.installs, { scope: 'personal' })).map((i) => i.memberId).sort()).toEqual(['AM', 'MG', 'TN', 'HS', 'SH', 'TW', 'JK', 'RS'].map((w) => M[w as Initials]).sort());

    at('2027-01-04', '11:00');
    const plain = await call('TW', 'POST', '/api/tab/meetings', { groupId: GRP.EXEC, date: '2027-01-28' });
    expect(plain.status).toBe(403);
    const past = await call('AM', 'POST', '/api/tab/meetings', { groupId: GRP.EXEC, date: '2026-12-10' });
    expect(past.status).toBe(422);
    for (const [key, date] of [['M1', '2027-01-28'], ['M2', '2027-04-22'], ['M3', '2027-07-22'], ['M4', '2027-10-21']] as const) {
      MTG[key] = (await create('AM', '/api/tab/meetings', { groupId: GRP.EXEC, date, startTime: '10:00', title: 'Safer Plymouth Exec', agenda: AGENDA, requestId: `year-meeting-${key}` })).id;
    }
    const meetings = (await expectOk('AM', 'GET', '/api/tab/meetings')).meetings;
    expect(meetings.map((m: any) => `${m.date} ${m.status} papers ${m.paperDeadline} agenda ${m.agenda.length}`).sort()).toEqual([
      '2027-01-28 scheduled papers 2027-01-19 agenda 6',
      '2027-04-22 scheduled papers 2027-04-13 agenda 6',
      '2027-07-22 scheduled papers 2027-07-13 agenda 6',
      '2027-10-21 scheduled papers 2027-10-12 agenda 6',
    ]);
    expect(await round('M1')).toEqual({
      round: { id: `round-${MTG.M1}`, deadline: '2027-01-19', closed: false },
      reported: 0,
      expected: 3,
      themes: { 'Domestic abuse': 'not-in-yet v0', 'Safer communities': 'not-in-yet v0', 'Safer families': 'not-in-yet v0' },
    });
  }, 60_000);

  it('Q1: leads are prompted and chased for the January papers; reports come in, one amended, one late', async () => {
    await sweepOn('2027-01-05', [prompt('M1', 'DA', 'prompt'), prompt('M1', 'SF', 'prompt'), prompt('M1', 'SC', 'prompt'), digestId('2027-01-04')]);
    expect(textOf(prompt('M1', 'SC', 'prompt'))).toContain('Exec, 28 Jan 2027');

    // Two days on, the prompt's slot is still the same: nobody is prompted again.
    await sweepOn('2027-01-07', []);
    at('2027-01-07', '11:00');
    expect(await submitReport('HS', 'M1', 'DA')).toContain('Saved as version 1');
    await sweepOn('2027-01-08', [prompt('M1', 'SF', 'chase-1'), prompt('M1', 'SC', 'chase-1')]);
    await sweepOn('2027-01-11', [prompt('M1', 'SF', 'chase-2'), prompt('M1', 'SC', 'chase-2'), digestId('2027-01-11')]);
    const digest = textOf(digestId('2027-01-11'));
    expect(digest).toContain('Theme reports in: 1');
    expect(digest).toContain('Domestic abuse: HS, 7 Jan 2027');
    expect(digest).toContain('Theme reports not in: 2');
    expect(digest).toContain('Safer families: SH');
    expect(digest).toContain('1 member cannot be reached by the bot yet');

    at('2027-01-12', '14:00');
    expect(await submitReport('TN', 'M1', 'SC')).toContain('Saved as version 1');
    at('2027-01-14', '09:30');
    expect(await submitReport('TN', 'M1', 'SC', { rag: 'green', asks: 'Fund two more street marshals.' })).toContain('Saved as version 2');
    await sweepOn('2027-01-19', [prompt('M1', 'SF', 'deadline'), digestId('2027-01-18')]);
    expect(textOf(digestId('2027-01-18'))).toContain('Safer communities: TN, 14 Jan 2027 (2 versions)');

    at('2027-01-20', '11:00');
    expect(await submitReport('SH', 'M1', 'SF')).toContain('Saved as version 1');
    expect(await submitReport('TN', 'M1', 'SC', { rag: 'red' })).toMatch(/Not saved: The deadline \(19 January 2027\) has passed/);
    expect(await round('M1')).toEqual({
      round: { id: `round-${MTG.M1}`, deadline: '2027-01-19', closed: false },
      reported: 3,
      expected: 3,
      themes: { 'Domestic abuse': 'submitted v1 amber', 'Safer communities': 'submitted v2 amber/green', 'Safer families': 'late v1 green' },
    });
    const amended = (await expectOk('AM', 'GET', `/api/tab/meetings/${MTG.M1}/reports`)).themes.find((t: { themeName: string }) => t.themeName === 'Safer communities');
    expect(amended.versions.map((v: any) => `${v.byInitials} ${v.submittedAt} ${v.content.rag} ${v.content.asks || '-'}`)).toEqual([
      'TN 2027-01-12T14:00:00.000Z amber -',
      'TN 2027-01-14T09:30:00.000Z green Fund two more street marshals.',
    ]);
    // A plain member sees the round, not other themes' texts.
    expect((await round('M1', 'TW')).themes).toEqual({ 'Domestic abuse': 'submitted v1 hidden', 'Safer communities': 'submitted v2 hidden/hidden', 'Safer families': 'late v1 hidden' });
  }, 60_000);

  it('Q1: meeting 1 is held, attendance and actions recorded; owners are told once; reminders run to the due date and stop when the owner marks it done', async () => {
    at('2027-01-28', '09:00');
    const early = await hold('AM', 'M2');
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('22 April 2027');

    at('2027-01-28', '12:30');
    const m1 = await meeting('M1');
    const attendance = { attendeeIds: ['AM', 'MG', 'TN', 'HS', 'SH', 'JK', 'RS'].map((w) => M[w as Initials]), apologyIds: [M.TW, M.TM], substitutes: [{ name: 'Dee Watch', organisationId: ORG.fire, forMemberId: M.TW }] };
    const recorded = await expectOk('AM', 'PUT', `/api/tab/meetings/${MTG.M1}/attendance`, { version: m1.version, ...attendance });
    expect(recorded).toMatchObject({ apologyIds: [M.TW, M.TM], substitutes: [{ name: 'Dee Watch', organisationId: ORG.fire, forMemberId: M.TW }] });
    const stale = await call('AM', 'PUT', `/api/tab/meetings/${MTG.M1}/attendance`, { version: m1.version, ...attendance, apologyIds: [M.TW] });
    expect(stale.status).toBe(409);

    await agree('A1', 'M1', '3.1', 'HS to bring the domestic abuse needs assessment to the next meeting.', [member('HS')], nextMeeting, 'DA');
    await agree('A2', 'M1', '4.1', 'Safer Families to look into the child exploitation data.', [group('SF')], nextMeeting, 'SF');
    await agree('A3', 'M1', '5.1', 'TN to circulate the ASB tasking terms of reference.', [member('TN')], onDate('2027-02-26'), 'SC');
    await agree('A4', 'M1', '6.1', 'OPCC serious violence data to be released to partners.', [], nextMeeting, null);
    await agree('A5', 'M1', '6.2', 'Reducing Reoffending group to report on the IOM review.', [group('RR')], onDate('2027-03-31'), null);
    await agree('A6', 'M1', '2.1', 'MG and RS to agree business support for the partnership.', [member('MG'), member('RS')], nextMeeting, null);
    // The same create sent again (a double click) finds the action, it does not make a second.
    const again = await call('AM', 'POST', '/api/tab/actions', { meetingId: MTG.M1, minuteRef: '3.1', text: 'HS to bring the domestic abuse needs assessment to the next meeting.', owners: [member('HS')], due: nextMeeting, themeId: TH.DA, requestId: 'year-A1-agreed' });
    expect([again.status, again.body.id]).toEqual([201, ACT.A1]);

    at('2027-01-28', '13:00');
    const held = await hold('AM', 'M1');
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ rolledOver: 0, alreadyHeld: false, nextMeeting: { id: MTG.M2, date: '2027-04-22' }, waitingForNextMeeting: 0, message: '0 actions carried over to the meeting of 22 April 2027.' });
    expect((await round('M1')).round.closed).toBe(true);
    expect(await actionLog()).toEqual({
      A1: 'open due 2027-04-22 x0 [HS]',
      A2: 'open due 2027-04-22 x0 [Safer Families]',
      A3: 'open due 2027-02-26 x0 [TN]',
      A4: 'open due 2027-04-22 x0 []',
      A5: 'open due 2027-03-31 x0 [Reducing Reoffending]',
      A6: 'open due 2027-04-22 x0 [MG, RS]',
    });
    const forM2 = await mattersArising('M2');
    expect(forM2.previousMeeting).toMatchObject({ id: MTG.M1, date: '2027-01-28' });
    expect(forM2.fromPreviousMeeting.map((m: any) => keyOf(m.action.id))).toEqual(['A6', 'A1', 'A2', 'A3', 'A4', 'A5']);
    expect(forM2.reports.map((r: any) => `${r.themeName} ${r.status}`)).toEqual(['Domestic abuse requested', 'Safer communities requested', 'Safer families requested']);

    // The day after: each owner told once in their personal chat (group-owned: each member of the group).
    await sweepOn('2027-01-29', [
      assigned('A1', 'HS'),
      assigned('A2', 'JK'),
      assigned('A2', 'SH'),
      assigned('A2', 'TW'),
      assigned('A3', 'TN'),
      assigned('A6', 'MG'),
      assigned('A6', 'RS'),
      digestId('2027-01-25'),
    ]);
    expect(textOf(assigned('A2', 'TW'))).toContain('Safer Families to look into the child exploitation data.');
    const digest = textOf(digestId('2027-01-25'));
    expect(digest).toContain('Actions that reach nobody (give them an owner): 2');
    expect(digest).toContain('6.1: OPCC serious violence data to be released to partners.');
    expect(digest).toContain('6.2: Reducing Reoffending group to report on the IOM review.');
    expect(digest).toContain('Theme reports not in: 3');

    // A later sweep tells nobody again: only the new week's digest goes out.
    await sweepOn('2027-02-01', [digestId('2027-02-01')]);
    await sweepOn('2027-02-22', [reminder('A3', '2027-02-26', 'before', 'TN'), digestId('2027-02-22')]);
    await sweepOn('2027-02-26', [reminder('A3', '2027-02-26', 'on-day', 'TN')]);
    await sweepOn('2027-03-05', [reminder('A3', '2027-02-26', 'overdue-1', 'TN'), digestId('2027-03-01')]);
    expect(textOf(digestId('2027-03-01'))).toContain('Overdue actions: 1');

    // TN presses "Mark done" on the overdue reminder in their chat: proposed complete, reminders stop.
    at('2027-03-08', '09:30');
    const markDone = buttonData(cardOf(sent[reminder('A3', '2027-02-26', 'overdue-1', 'TN')[0]]!.activity), ACTION_VERBS.markDone);
    expect(markDone?.['actionId']).toBe(ACT.A3);
    const tn = teamsUser('TN');
    const press = await postActivity(app.url, execute(personal(connector.serviceUrl, tn), tn, ACTION_VERBS.markDone, { actionId: ACT.A3, version: markDone!['version'] }));
    expect(cardText(press.body.value)).toMatch(/Proposed complete/);
    await sweepOn('2027-03-08', [digestId('2027-03-08')]);
    expect(textOf(digestId('2027-03-08'))).toContain('Proposed complete: 1');
    expect(textOf(digestId('2027-03-08'))).toContain('Overdue actions: none');
  }, 60_000);

  it('Q2: a member leaves and can no longer be given an action; the April round is gathered; reminders before the meeting', async () => {
    at('2027-03-29', '10:00');
    expect((await app.sweep(clock.now())).workingTime).toBe(false); // Easter Monday

    // The first sweep of the week is on Tuesday: the chair's digest comes then.
    await sweepOn('2027-03-30', [prompt('M2', 'DA', 'prompt'), prompt('M2', 'SF', 'prompt'), prompt('M2', 'SC', 'prompt'), digestId('2027-03-29')]);

    at('2027-03-31', '10:00');
    const rs = (await expectOk('AM', 'GET', '/api/tab/groups')).groups.find((g: { id: string }) => g.id === GRP.EXEC).members.find((m: { initials: string }) => m.initials === 'RS');
    await expectOk('AM', 'POST', `/api/tab/memberships/${MS['EXEC-RS']}/end`, { version: rs.version, endDate: '2027-03-31' });

    at('2027-04-01', '10:00');
    const toFormer = await call('AM', 'POST', '/api/tab/actions', { meetingId: MTG.M1, minuteRef: '2.2', text: 'RS to hand over the voluntary sector seat.', owners: [member('RS')], due: nextMeeting, requestId: 'year-former-owner' });
    expect(toFormer.status).toBe(422);
    expect(toFormer.body.error.message).toContain('Rob Steele (RS) is not a current member');
    const reassign = await change('AM', 'A4', { kind: 'set-owners', owners: [member('RS')] }, 422);
    expect(reassign.error.code).toBe('ACTION.INVALID_CHANGE');
    expect(Object.keys(await actionLog())).toHaveLength(6);

    at('2027-04-01', '11:00');
    expect(await submitReport('HS', 'M2', 'DA')).toContain('Saved as version 1');
    await sweepOn('2027-04-02', [prompt('M2', 'SF', 'chase-1'), prompt('M2', 'SC', 'chase-1')]);
    at('2027-04-06', '15:00');
    expect(await submitReport('TN', 'M2', 'SC')).toContain('Saved as version 1');
    at('2027-04-08', '16:00');
    expect(await submitReport('SH', 'M2', 'SF')).toContain('Saved as version 1');

    await sweepOn('2027-04-12', [digestId('2027-04-12')]);
    const digest = textOf(digestId('2027-04-12'));
    expect(digest).toContain('Theme reports in: 3');
    expect(digest).toContain('Theme reports not in: none');
    expect(digest).toContain('Overdue actions: 1');
    expect(digest).toMatch(/6\.2: Reducing Reoffending group to report on the IOM review\.\n.*Reducing Reoffending · due 31 Mar 2027 \(12 days overdue\)/);
    expect(await round('M2')).toMatchObject({ reported: 3, expected: 3, themes: { 'Domestic abuse': 'submitted v1 amber', 'Safer communities': 'submitted v1 amber', 'Safer families': 'submitted v1 green' } });

    // RS has left: MG alone is reminded of their shared action.
    await sweepOn('2027-04-19', [
      reminder('A1', '2027-04-22', 'before', 'HS'),
      reminder('A2', '2027-04-22', 'before', 'JK'),
      reminder('A2', '2027-04-22', 'before', 'SH'),
      reminder('A2', '2027-04-22', 'before', 'TW'),
      reminder('A6', '2027-04-22', 'before', 'MG'),
      digestId('2027-04-19'),
    ]);
    at('2027-04-20', '11:00');
    expect((await change('HS', 'A1', { kind: 'add-note', note: 'Needs assessment drafted; out to partners for comment.' })).status).toBe('in-progress');
    // Two days on, still inside the same "due soon" slot: nobody is reminded again.
    await sweepOn('2027-04-21', []);
  }, 60_000);

  it('Q2: at meeting 2 actions are closed, deferred and reassigned; recording it held twice at once rolls each one over exactly once', async () => {
    at('2027-04-22', '09:00');
    const before = await meeting('M2');
    await change('MG', 'A2', { kind: 'defer', note: 'Waiting for the police exploitation data.' });
    await change('MG', 'A3', { kind: 'set-status', status: 'closed', note: 'Terms of reference circulated on 8 March.' });
    await change('MG', 'A6', { kind: 'set-status', status: 'closed', note: 'Business support agreed with the council.' });
    const a4Read = await detail('A4');
    const owners = await change('MG', 'A4', { kind: 'set-owners', owners: [member('JK')] });
    const a4OwnersLine: string = owners.changeId;
    // The secretariat's screen still shows the version from before the chair's change: refused, not merged.
    const stale = await call('AM', 'POST', `/api/tab/actions/${ACT.A4}/changes`, { version: a4Read.version, changeId: 'year-stale-0001', change: { kind: 'set-owners', owners: [member('TN')] } });
    expect(stale.status).toBe(409);
    expect((await detail('A4')).owners.map((o: { label: string }) => o.label)).toEqual(['JK']);

    at('2027-04-22', '12:30');
    const m2 = await meeting('M2');
    expect(m2.version).toBe(before.version);
    const withAttendance = await expectOk('AM', 'PUT', `/api/tab/meetings/${MTG.M2}/attendance`, {
      version: m2.version,
      attendeeIds: ['AM', 'MG', 'TN', 'SH', 'TW', 'JK', 'TM'].map((w) => M[w as Initials]),
      apologyIds: [M.HS],
      substitutes: [{ name: 'Pat Okafor', organisationId: ORG.health, forMemberId: M.HS }],
    });
    // A meeting cannot be recorded held on a version read before someone else's change.
    const staleHeld = await hold('AM', 'M2', m2.version);
    expect(staleHeld.status).toBe(409);
    expect((await detail('A1')).rolloverCount).toBe(0);

    await agree('B1', 'M2', '3.1', 'HS to present the domestic abuse strategy refresh.', [member('HS')], nextMeeting, 'DA');
    await agree('B2', 'M2', '5.1', 'TN and TW to run a joint fire-safety and ASB walkabout.', [member('TN'), member('TW')], onDate('2027-06-30'), 'SC');

    at('2027-04-22', '13:00');
    const [first, second] = await Promise.all([hold('AM', 'M2', withAttendance.version), hold('MG', 'M2', withAttendance.version)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.alreadyHeld, second.body.alreadyHeld].sort()).toEqual([false, true]);
    const winner = first.body.alreadyHeld ? second.body : first.body;
    const loser = first.body.alreadyHeld ? first.body : second.body;
    expect(winner).toMatchObject({ rolledOver: 4, nextMeeting: { id: MTG.M3, date: '2027-07-22' }, waitingForNextMeeting: 0, message: '4 actions carried over to the meeting of 22 July 2027.' });
    expect(loser).toMatchObject({ rolledOver: 4, message: 'This meeting was already recorded as held; 4 actions had been carried over.' });
    expect(winner.meeting).toMatchObject({ status: 'held', heldAt: clock.now().toISOString() });

    for (const key of ['A1', 'A2', 'A4', 'A5']) {
      const action = await detail(key);
      const rolled = action.history.filter((h: any) => h.kind === 'rolled-over');
      expect(rolled, key).toEqual([expect.objectContaining({ to: MTG.M2, byMemberId: null, note: key === 'A2' ? 'Deferred by the chair' : null })]);
      expect([action.rolloverCount, action.dueDate], key).toEqual([1, '2027-07-22']);
    }
    // And once more, later: nothing moves.
    const versions = await Promise.all(['A1', 'A2', 'A4', 'A5'].map(async (k) => (await detail(k)).version));
    const third = await hold('AM', 'M2', withAttendance.version);
    expect(third.body).toMatchObject({ alreadyHeld: true, rolledOver: 4 });
    expect(await Promise.all(['A1', 'A2', 'A4', 'A5'].map(async (k) => (await detail(k)).version))).toEqual(versions);
    expect((await round('M2')).round.closed).toBe(true);

    expect(await actionLog()).toEqual({
      A1: 'in-progress due 2027-07-22 x1 [HS]',
      A2: 'open due 2027-07-22 x1 [Safer Families]',
      A3: 'closed due 2027-02-26 x0 [TN]',
      A4: 'open due 2027-07-22 x1 [JK]',
      A5: 'open due 2027-07-22 x1 [Reducing Reoffending]',
      A6: 'closed due 2027-04-22 x0 [MG, RS]',
      B1: 'open due 2027-07-22 x0 [HS]',
      B2: 'open due 2027-06-30 x0 [TN, TW]',
    });

    // Matters arising at meeting 2 read what came of meeting 1's actions.
    const forM2 = await mattersArising('M2');
    const a3 = forM2.fromPreviousMeeting.find((m: any) => m.action.id === ACT.A3);
    expect(a3.changesSince.map((h: any) => `${h.at.slice(0, 10)} ${h.byLabel} ${h.kind} ${h.to}`)).toEqual(['2027-03-08 TN status proposed-complete', '2027-04-22 MG status closed']);

    // Matters arising for meeting 3: what meeting 2 agreed, and what it carried over (the deferral said so).
    const forM3 = await mattersArising('M3');
    expect(forM3.previousMeeting).toMatchObject({ id: MTG.M2, date: '2027-04-22' });
    expect(forM3.fromPreviousMeeting.map((m: any) => `${keyOf(m.action.id)} ${m.arrival}`)).toEqual(['A1 rolled-over', 'B1 agreed', 'A2 deferred', 'B2 agreed', 'A4 rolled-over', 'A5 rolled-over']);
    expect(forM3.rolledOverMoreThanOnce).toEqual([]);

    // The day after: the new owners, and JK who was given the OPCC data action, are told once.
    await sweepOn('2027-04-23', [assigned('B1', 'HS'), assigned('B2', 'TN'), assigned('B2', 'TW'), assigned('A4', 'JK', a4OwnersLine)]);
  }, 60_000);

  it('Q3: meeting 3 is moved and meeting 4 cancelled; owners who update stop their reminders; the July papers are chased', async () => {
    at('2027-06-01', '10:00');
    const m3 = await meeting('M3');
    const moved = await expectOk('AM', 'PUT', `/api/tab/meetings/${MTG.M3}`, { version: m3.version, date: '2027-07-29', startTime: '10:00', title: 'Safer Plymouth Exec', agenda: AGENDA });
    expect(moved).toMatchObject({ date: '2027-07-29', paperDeadline: '2027-07-20', status: 'scheduled' });
    const stale = await call('AM', 'PUT', `/api/tab/meetings/${MTG.M3}`, { version: m3.version, date: '2027-07-27', startTime: '10:00', title: 'Safer Plymouth Exec', agenda: AGENDA });
    expect(stale.status).toBe(409);
    expect((await round('M3')).round).toEqual({ id: `round-${MTG.M3}`, deadline: '2027-07-20', closed: false });
    const m4 = await meeting('M4');
    await expectOk('AM', 'POST', `/api/tab/meetings/${MTG.M4}/cancel`, { version: m4.version, reason: 'Clashes with the PCC budget consultation.' });
    expect((await round('M4')).round.closed).toBe(true);
    expect(await actionLog()).toMatchObject({ A1: 'in-progress due 2027-07-29 x1 [HS]', B1: 'open due 2027-07-29 x0 [HS]' });

    await sweepOn('2027-06-25', [reminder('B2', '2027-06-30', 'before', 'TN'), reminder('B2', '2027-06-30', 'before', 'TW'), digestId('2027-06-21')]);
    at('2027-06-28', '11:00');
    await change('TN', 'B2', { kind: 'add-note', note: 'Walkabout booked for September with the fire service.' });
    // TN has updated it: no "due today" reminder for either owner. Meeting 3's papers are not yet asked for (moved deadline).
    await sweepOn('2027-06-30', [digestId('2027-06-28')]);

    await sweepOn('2027-07-06', [prompt('M3', 'DA', 'prompt'), prompt('M3', 'SF', 'prompt'), prompt('M3', 'SC', 'prompt'), digestId('2027-07-05')]);
    expect(textOf(prompt('M3', 'DA', 'prompt'))).toContain('Exec, 29 Jul 2027');
    at('2027-07-07', '11:00');
    expect(await submitReport('TN', 'M3', 'SC')).toContain('Saved as version 1');
    at('2027-07-08', '11:00');
    expect(await submitReport('HS', 'M3', 'DA')).toContain('Saved as version 1');
    await sweepOn('2027-07-20', [prompt('M3', 'SF', 'deadline'), digestId('2027-07-19')]);
    const digest = textOf(digestId('2027-07-19'));
    expect(digest).toContain('Theme reports in: 2');
    expect(digest).toContain('Theme reports not in: 1');
    expect(digest).toContain('Safer families: SH');

    await sweepOn('2027-07-26', [
      reminder('A1', '2027-07-29', 'before', 'HS'),
      reminder('A2', '2027-07-29', 'before', 'JK'),
      reminder('A2', '2027-07-29', 'before', 'SH'),
      reminder('A2', '2027-07-29', 'before', 'TW'),
      reminder('A4', '2027-07-29', 'before', 'JK'),
      reminder('B1', '2027-07-29', 'before', 'HS'),
      digestId('2027-07-26'),
    ]);
    at('2027-07-27', '15:00');
    expect((await change('SH', 'A2', { kind: 'set-status', status: 'proposed-complete', note: 'Exploitation data reviewed with the police.' })).status).toBe('proposed-complete');
  }, 60_000);

  it('Q3: meeting 3 is held with no next meeting: the roll-over waits, then the replacement meeting picks the actions up', async () => {
    at('2027-07-29', '12:00');
    const m3 = await meeting('M3');
    await expectOk('AM', 'PUT', `/api/tab/meetings/${MTG.M3}/attendance`, { version: m3.version, attendeeIds: ['AM', 'MG', 'TN', 'HS', 'SH', 'JK'].map((w) => M[w as Initials]), apologyIds: [M.TW, M.TM] });
    await change('MG', 'A1', { kind: 'set-status', status: 'closed', note: 'Needs assessment presented.' });
    await change('MG', 'A2', { kind: 'set-status', status: 'closed' });
    const noReason = await change('MG', 'A5', { kind: 'set-status', status: 'dropped' }, 422);
    expect(noReason.error.message).toContain('Say why the action is dropped');
    await change('MG', 'A5', { kind: 'set-status', status: 'dropped', note: 'The IOM review was overtaken by the national probation reform.' });
    await agree('C1', 'M3', '3.1', 'HS to circulate the MARAC audit findings.', [member('HS')], nextMeeting, 'DA');
    await agree('C2', 'M3', '4.1', 'Safer Families to map early help referrals.', [group('SF')], onDate('2027-09-30'), 'SF');

    at('2027-07-29', '13:00');
    const held = await hold('AM', 'M3');
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      rolledOver: 3,
      alreadyHeld: false,
      nextMeeting: null,
      waitingForNextMeeting: 3,
      message: '3 actions carried over. No next meeting is scheduled yet: schedule it, and they become due at it.',
    });
    expect(await round('M3')).toEqual({
      round: { id: `round-${MTG.M3}`, deadline: '2027-07-20', closed: true },
      reported: 2,
      expected: 3,
      themes: { 'Domestic abuse': 'submitted v1 amber', 'Safer communities': 'submitted v1 amber', 'Safer families': 'missing v0' },
    });
    expect(await actionLog()).toEqual({
      A1: 'closed due 2027-07-29 x1 [HS]',
      A2: 'closed due 2027-07-29 x1 [Safer Families]',
      A3: 'closed due 2027-02-26 x0 [TN]',
      A4: 'open due unscheduled x2 [JK]',
      A5: 'dropped due 2027-07-29 x1 [Reducing Reoffending]',
      A6: 'closed due 2027-04-22 x0 [MG, RS]',
      B1: 'open due unscheduled x1 [HS]',
      B2: 'in-progress due unscheduled x1 [TN, TW]',
      C1: 'open due unscheduled x0 [HS]',
      C2: 'open due 2027-09-30 x0 [Safer Families]',
    });

    at('2027-07-30', '09:30');
    MTG.M4R = (await create('AM', '/api/tab/meetings', { groupId: GRP.EXEC, date: '2027-11-04', startTime: '10:00', title: 'Safer Plymouth Exec (rearranged)', agenda: AGENDA, requestId: 'year-meeting-M4R' })).id;
    expect(await actionLog()).toMatchObject({
      A4: 'open due 2027-11-04 x2 [JK]',
      B1: 'open due 2027-11-04 x1 [HS]',
      B2: 'in-progress due 2027-11-04 x1 [TN, TW]',
      C1: 'open due 2027-11-04 x0 [HS]',
    });
    const forM4 = await mattersArising('M4R');
    expect(forM4.previousMeeting).toMatchObject({ id: MTG.M3, date: '2027-07-29' });
    expect(forM4.fromPreviousMeeting.map((m: any) => `${keyOf(m.action.id)} ${m.arrival}`)).toEqual(['B1 rolled-over', 'C1 agreed', 'C2 agreed', 'B2 rolled-over', 'A4 rolled-over']);
    expect(forM4.rolledOverMoreThanOnce.map((a: any) => keyOf(a.id))).toEqual(['A4']);

    await sweepOn('2027-07-30', [assigned('C1', 'HS'), assigned('C2', 'JK'), assigned('C2', 'SH'), assigned('C2', 'TW')]);
  }, 60_000);

  it('Q4: a theme is added, the rearranged meeting gathers its papers (not the cancelled one), and meeting 4 rolls over into next year', async () => {
    at('2027-08-02', '10:00');
    TH.MH = (await create('AM', '/api/tab/themes', { name: 'Mental health', leadMemberIds: [M.JK], requestId: 'year-theme-MH' })).id;
    expect((await round('M4R')).expected).toBe(4);

    await sweepOn('2027-09-27', [reminder('C2', '2027-09-30', 'before', 'JK'), reminder('C2', '2027-09-30', 'before', 'SH'), reminder('C2', '2027-09-30', 'before', 'TW'), digestId('2027-09-27')]);
    at('2027-10-01', '10:00');
    await change('SH', 'C2', { kind: 'set-status', status: 'proposed-complete', note: 'Referral map shared with the early help hub.' });

    // The cancelled meeting's papers were due on 12 October: nobody is asked for them, and the digest reads the rearranged meeting's round.
    await sweepOn('2027-10-11', [digestId('2027-10-11')]);
    const digest = textOf(digestId('2027-10-11'));
    expect(digest).toContain('Theme reports not in: 4');
    expect(digest).toContain('Mental health: JK');
    // And a lead who types "report" gets the rearranged meeting's report to write.
    const hs = teamsUser('HS');
    const repliesBefore = connector.messagesIn(hs.personalConversationId).length;
    expect((await postActivity(app.url, message(personal(connector.serviceUrl, hs), hs, 'report'))).status).toBe(200);
    const reply = connector.messagesIn(hs.personalConversationId).slice(repliesBefore);
    expect(reply).toHaveLength(1);
    expect(cardText(cardOf(reply[0]!.activity))).toMatch(/Exec, 4 Nov 2027[\s\S]*26 Oct 2027/);
    await sweepOn('2027-10-12', [prompt('M4R', 'DA', 'prompt'), prompt('M4R', 'SF', 'prompt'), prompt('M4R', 'SC', 'prompt'), prompt('M4R', 'MH', 'prompt')]);
    expect(textOf(prompt('M4R', 'MH', 'prompt'))).toContain('Exec, 4 Nov 2027');

    at('2027-10-14', '11:00');
    expect(await submitReport('TN', 'M4R', 'SC')).toContain('Saved as version 1');
    at('2027-10-15', '11:00');
    expect(await submitReport('HS', 'M4R', 'DA')).toContain('Saved as version 1');
    at('2027-10-18', '09:00');
    expect(await submitReport('JK', 'M4R', 'MH')).toContain('Saved as version 1');
    at('2027-10-18', '09:30');
    expect(await submitReport('SH', 'M4R', 'SF')).toContain('Saved as version 1');
    at('2027-10-18', '09:45');
    expect(await submitReport('SH', 'M4R', 'SF', { rag: 'amber', risks: 'Schools data arrives late; two schools have not shared it.' })).toContain('Saved as version 2');
    await sweepOn('2027-10-18', [digestId('2027-10-18')]);
    const reportsIn = textOf(digestId('2027-10-18'));
    expect(reportsIn).toContain('Theme reports in: 4');
    expect(reportsIn).toContain('Safer families: SH, 18 Oct 2027 (2 versions)');
    expect(reportsIn).toContain('Theme reports not in: none');

    at('2027-11-01', '09:00');
    MTG.M5 = (await create('AM', '/api/tab/meetings', { groupId: GRP.EXEC, date: '2028-01-27', startTime: '10:00', title: 'Safer Plymouth Exec', agenda: AGENDA, requestId: 'year-meeting-M5' })).id;
    await sweepOn('2027-11-01', [
      reminder('A4', '2027-11-04', 'before', 'JK'),
      reminder('B1', '2027-11-04', 'before', 'HS'),
      reminder('B2', '2027-11-04', 'before', 'TN'),
      reminder('B2', '2027-11-04', 'before', 'TW'),
      reminder('C1', '2027-11-04', 'before', 'HS'),
      digestId('2027-11-01'),
    ]);

    at('2027-11-04', '12:00');
    const m4 = await meeting('M4R');
    await expectOk('AM', 'PUT', `/api/tab/meetings/${MTG.M4R}/attendance`, { version: m4.version, attendeeIds: ['AM', 'MG', 'TN', 'HS', 'SH', 'TW', 'JK', 'TM'].map((w) => M[w as Initials]), apologyIds: [] });
    await change('MG', 'C2', { kind: 'set-status', status: 'closed' });
    await change('MG', 'B2', { kind: 'set-status', status: 'closed', note: 'Walkabout held in September.' });
    await change('MG', 'A4', { kind: 'set-status', status: 'closed', note: 'Data released under the new sharing agreement.' });
    await change('HS', 'C1', { kind: 'set-status', status: 'proposed-complete', note: 'Findings circulated on 2 November.' });
    await agree('D1', 'M4R', '3.2', 'JK to bring the mental health crisis pathway data.', [member('JK')], nextMeeting, 'MH');
    at('2027-11-04', '13:00');
    const [held, again] = await Promise.all([hold('AM', 'M4R'), hold('AM', 'M4R')]);
    expect([held.body.alreadyHeld, again.body.alreadyHeld].sort()).toEqual([false, true]);
    expect(held.body).toMatchObject({ rolledOver: 1, nextMeeting: { id: MTG.M5, date: '2028-01-27' }, waitingForNextMeeting: 0 });
    const b1 = await detail('B1');
    expect(b1.history.filter((h: any) => h.kind === 'rolled-over').map((h: any) => h.to)).toEqual([MTG.M3, MTG.M4R]);
    expect(await round('M4R')).toEqual({
      round: { id: `round-${MTG.M4R}`, deadline: '2027-10-26', closed: true },
      reported: 4,
      expected: 4,
      themes: { 'Domestic abuse': 'submitted v1 amber', 'Mental health': 'submitted v1 red', 'Safer communities': 'submitted v1 amber', 'Safer families': 'submitted v2 green/amber' },
    });
    const forM5 = await mattersArising('M5');
    expect(forM5.fromPreviousMeeting.map((m: any) => `${keyOf(m.action.id)} ${m.arrival}`)).toEqual(['B1 rolled-over', 'D1 agreed']);
    expect(forM5.rolledOverMoreThanOnce.map((a: any) => keyOf(a.id))).toEqual(['B1']);

    await sweepOn('2027-11-05', [assigned('D1', 'JK')]);
  }, 60_000);

  it('the year in the log and the ledger: totals by status, every message once, none twice', async () => {
    expect(await actionLog()).toEqual({
      A1: 'closed due 2027-07-29 x1 [HS]',
      A2: 'closed due 2027-07-29 x1 [Safer Families]',
      A3: 'closed due 2027-02-26 x0 [TN]',
      A4: 'closed due 2027-11-04 x2 [JK]',
      A5: 'dropped due 2027-07-29 x1 [Reducing Reoffending]',
      A6: 'closed due 2027-04-22 x0 [MG, RS]',
      B1: 'open due 2028-01-27 x2 [HS]',
      B2: 'closed due 2027-11-04 x1 [TN, TW]',
      C1: 'proposed-complete due 2027-11-04 x0 [HS]',
      C2: 'closed due 2027-09-30 x0 [Safer Families]',
      D1: 'open due 2028-01-27 x0 [JK]',
    });
    const page = await expectOk('AM', 'GET', '/api/tab/actions?limit=500');
    const totals: Record<string, number> = {};
    for (const a of page.items) totals[a.status] = (totals[a.status] ?? 0) + 1;
    expect(totals).toEqual({ closed: 7, dropped: 1, open: 2, 'proposed-complete': 1 });

    const all = await ledger();
    // A personal install's welcome answers the install event (a reply, once per install): not one of the sweeps' messages.
    const welcomes = all.filter((d) => d.kind === 'welcome');
    expect(welcomes.every((d) => d.status === 'sent')).toBe(true);
    expect(new Set(welcomes.map((d) => d.conversationId)).size).toBe(welcomes.length);
    const lines = all.filter((d) => d.kind !== 'welcome');
    expect(new Set(lines.map((d) => d.id)).size).toBe(lines.length);
    expect(lines.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
    expect(lines.length).toBe(Object.keys(sent).length);
    const byKind: Record<string, number> = {};
    for (const d of lines) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
    expect(byKind).toEqual({ 'owner-assigned': 16, 'action-reminder': 24, 'report-prompt': 13, 'report-chase': 8, digest: 20 });

    // Every post the connector holds is one ledger line's message; no two carry the same card to the same chat.
    const posts = proactivePosts();
    expect(posts.length).toBe(lines.length);
    expect(new Set(lines.map((d) => d.activityId)).size).toBe(lines.length);
    const byCard = new Map<string, string[]>();
    for (const d of lines) {
      const message = connector.messages.get(d.activityId!)!;
      expect(message.conversationId, d.id).toBe(d.conversationId);
      const key = `${message.conversationId}\n${JSON.stringify(cardOf(message.activity))}`;
      byCard.set(key, [...(byCard.get(key) ?? []), d.id]);
    }
    // The one card a person may get more than once is the chase for a report still not in, once per
    // chase slot: SH and TN were chased for January's papers on the 8th and 11th (and SH on the 19th).
    const repeated = [...byCard.values()].filter((ids) => ids.length > 1);
    expect(repeated.map((ids) => ids.map((id) => id.slice(id.lastIndexOf(':') + 1)).join(' ')).sort()).toEqual(['chase-1 chase-2', 'chase-1 chase-2 deadline']);
    for (const ids of repeated) expect(new Set(ids.map((id) => id.slice(0, id.lastIndexOf(':')))).size, ids.join()).toBe(1);
    // Only personal chats of people with something to be told (AM owns nothing; TM never added the app);
    // everyone who added the app was welcomed once, in that chat.
    const welcomed = new Set(welcomes.map((d) => d.activityId));
    expect(welcomes.map((d) => connector.messages.get(d.activityId!)?.conversationId)).toEqual(welcomes.map((d) => d.conversationId));
    expect([...new Set([...connector.messages.values()].filter((m) => !welcomed.has(m.id)).map((m) => m.conversationId))].sort()).toEqual((['HS', 'JK', 'MG', 'RS', 'SH', 'TN', 'TW'] as const).map(personalChat).sort());
  }, 60_000);
});
