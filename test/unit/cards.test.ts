/**
 * Every card the bot can produce, rendered from its template with typed data, must be a valid
 * Adaptive Card for Teams: schema 1.5 at most, no unknown elements or bad values, unique input
 * ids, a verb on every Action.Execute, text in every TextBlock, no template left unbound, and
 * far under Teams' ~100 KB message limit even with the longest texts the domain allows.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { actionReminderCard, myActionsCard, toActionReminderData, toMyActionsData } from '../../bot/cards/action-cards.js';
import { helpCard, noticeCard, welcomeCard } from '../../bot/cards/common-cards.js';
import { digestCard, digestChannelCard } from '../../bot/cards/digest-cards.js';
import { channelDueCard, channelDueRetiredCard, CHANNEL_DUE_LIST_MAX } from '../../bot/cards/channel-cards.js';
import { reportPromptCard, roundProgressCard } from '../../bot/cards/report-cards.js';
import { CARD_TEMPLATES, type AdaptiveCardJson } from '../../bot/cards/render.js';
import { ACTION_VERBS, ALL_VERBS, CHANNEL_VERBS, DIGEST_VERBS, REPORT_VERBS } from '../../bot/cards/verbs.js';
import type { ChannelDueView } from '../../bot/services/channel-due.js';
import type { ActionView } from '../../bot/services/action-log.js';
import { actionAllowed, type Action, type Actor } from '../../bot/domain/index.js';
import type { DigestView } from '../../bot/services/digest.js';
import type { ReportCardView, RoundProgressView } from '../../bot/services/theme-reports.js';
import { dueLabel, plainText } from '../../bot/cards/format.js';
import { activeMarkdown, displayedText, markdownFields } from '../support/markdown-reader.js';
import { seededRandom } from '../support/seeded-random.js';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

interface Problem {
  readonly path: string;
  readonly message: string;
}

function walk(node: unknown, path: string, visit: (obj: Record<string, unknown>, path: string) => void): void {
  if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${path}[${i}]`, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>, path);
    for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`, visit);
  }
}

export function validateTeamsCard(card: AdaptiveCardJson): Problem[] {
  const problems: Problem[] = [];
  const version = String(card.version ?? '');
  if (!/^1\.[0-5]$/.test(version)) problems.push({ path: '$.version', message: `version ${version} is above what Teams renders (1.5)` });
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push({ path: 'parse', message: context.getEventAt(i).message });
  for (const event of parsed.validateProperties().validationEvents) problems.push({ path: 'validate', message: event.message });
  walk(card, '$', (obj, path) => {
    if (obj['type'] === 'Action.Execute' && (typeof obj['verb'] !== 'string' || obj['verb'] === '')) problems.push({ path, message: 'Action.Execute without a verb' });
    if (obj['type'] === 'Action.Execute' && !(ALL_VERBS as readonly string[]).includes(String(obj['verb']))) problems.push({ path, message: `unknown verb ${String(obj['verb'])}` });
    if (obj['type'] === 'Action.Execute' && (obj['fallback'] as { type?: string } | undefined)?.type !== 'Action.Submit') problems.push({ path, message: 'Action.Execute without an Action.Submit fallback' });
    if (obj['type'] === 'TextBlock' && (typeof obj['text'] !== 'string' || obj['text'].trim() === '')) problems.push({ path, message: 'TextBlock without text' });
    if (obj['type'] === 'FactSet' && Array.isArray(obj['facts'])) {
      for (const fact of obj['facts'] as { title?: unknown; value?: unknown }[]) {
        if (typeof fact.title !== 'string' || typeof fact.value !== 'string') problems.push({ path, message: 'Fact title and value must be strings' });
      }
    }
    if ((obj['isRequired'] === true) && typeof obj['errorMessage'] !== 'string') problems.push({ path, message: 'a required input needs an errorMessage' });
    if (obj['isRequired'] === true && typeof obj['label'] !== 'string') problems.push({ path, message: 'a required input needs a label' });
    if (obj['$when'] !== undefined || obj['$data'] !== undefined) problems.push({ path, message: 'template directive left in the card' });
  });
  const json = JSON.stringify(card);
  if (json.includes('${')) problems.push({ path: '$', message: 'an unbound ${...} expression is left in the card' });
  return problems;
}

/** Teams counts the whole payload in UTF-16; stay under a third of its ~100 KB limit. */
const sizeBytes = (card: AdaptiveCardJson) => JSON.stringify(card).length * 2;
const MAX_BYTES = 40 * 1024;

const LONG = 'Long text with ‘quotes’, <angle brackets>, and an emoji 🙂. '.repeat(26).slice(0, 2000);

/** The owner TN, reading: what they may do comes from the domain's rule, as the services compute it. */
const OWNER_TN: Actor = { memberId: 'mem-tn', chairsExec: false, isSecretariat: false, groupIds: [] };

function anActionView(overrides: Partial<ActionView> = {}, reader: Actor = OWNER_TN): ActionView {
  const view: Omit<ActionView, 'allowed'> = {
    id: 'act-exec-3-10',
    version: '7',
    meetingId: 'mtg-exec-3',
    meetingDate: '2026-10-06',
    minuteRef: '8.3',
    text: 'TN to share a list of people whom she feels should be involved in developing a serious violence proposal.',
    themeId: 'thm-serious-violence',
    themeName: 'Serious violence',
    owners: [{ kind: 'member', id: 'mem-tn', label: 'TN', name: 'Tracey Naismith' }],
    due: { kind: 'date', date: '2026-10-20' },
    dueDate: '2026-10-20',
    status: 'in-progress',
    statusLabel: 'In progress',
    rag: 'red',
    overdue: true,
    rolloverCount: 0,
    dateChangeRequest: null,
    lastUpdate: { id: 'h1', at: '2026-10-16T10:00:00.000Z', byMemberId: 'mem-tn', byLabel: 'TN', kind: 'note', note: 'List drafted.', from: null, to: null, summary: 'Update: List drafted.' },
    ...overrides,
  };
  const action = { ...view, owners: view.owners.map((o) => (o.kind === 'member' ? { kind: 'member' as const, memberId: o.id } : { kind: 'group' as const, groupId: o.id })), history: [] } as unknown as Action;
  return { allowed: actionAllowed(reader, action), ...view };
}

const reportView = (overrides: Partial<ReportCardView> = {}): ReportCardView => ({
  reportId: 'rnd-exec-4:thm-safer-communities',
  roundId: 'rnd-exec-4',
  themeName: 'Safer communities',
  meetingDate: '2026-12-22',
  deadline: '2026-12-15',
  content: null,
  versionCount: 0,
  lastSavedAt: null,
  editable: true,
  ...overrides,
});

const progress: RoundProgressView = {
  roundId: 'rnd-exec-4',
  meetingDate: '2026-12-22',
  deadline: '2026-12-15',
  reported: 2,
  total: 5,
  themes: [
    { name: 'Domestic abuse', reported: true },
    { name: 'Mental health', reported: false },
  ],
};

/** The chair, reading the digest: they decide dates and close actions. */
const CHAIR_MG: Actor = { memberId: 'mem-mg', chairsExec: true, isSecretariat: false, groupIds: [] };

const digest = (n: number, reader: Actor = CHAIR_MG): DigestView => ({
  today: '2026-11-23',
  overdue: Array.from({ length: n }, (_, i) => anActionView({ id: `act-${i}`, text: LONG }, reader)),
  dateRequests: Array.from({ length: n }, (_, i) =>
    anActionView({ id: `act-r${i}`, text: LONG, dateChangeRequest: { requestedByMemberId: 'mem-tn', requestedAt: '2026-11-20T10:00:00Z', proposedDate: '2027-01-31', reason: LONG } }, reader),
  ),
  proposedComplete: Array.from({ length: n }, (_, i) => anActionView({ id: `act-p${i}`, status: 'proposed-complete', statusLabel: 'Proposed complete', text: LONG }, reader)),
  missingReports: Array.from({ length: Math.min(n, 7) }, (_, i) => ({ themeName: `Theme ${i}`, leadLabel: 'TN' })),
  reportsIn: Array.from({ length: Math.min(n, 7) }, (_, i) => ({ themeName: `Theme in ${i}`, leadLabel: 'HS', submittedAt: '2026-11-20T10:00:00Z', versions: i + 1 })),
  waitingForMeeting: n,
  unowned: Array.from({ length: n }, (_, i) => anActionView({ id: `act-u${i}`, text: LONG, owners: [] })),
  unreachableCount: n,
  failedDeliveries: n,
});

/** The board channel's weekly card over n actions, half of them overdue, owned by 60 people with Teams ids. */
const dueView = (n: number): ChannelDueView => ({
  weekKey: '2026-11-23',
  today: '2026-11-23',
  windowEnd: '2026-11-29',
  items: Array.from({ length: n }, (_, i) => ({
    actionId: `act-${i}`,
    version: String(i + 1),
    minuteRef: `8.${i}`,
    text: i === 0 ? 'TN to share a list of people whom she feels should be involved.' : LONG,
    owners: i === 0 ? 'TN' : 'TN, Safer Families',
    dueDate: i % 2 ? '2026-11-17' : '2026-11-27',
    overdue: i % 2 === 1,
  })),
  proposedComplete: 2,
  // As long as Teams' own ids (29:1 and about eighty characters).
  ownerTeamsUserIds: Array.from({ length: 60 }, (_, i) => `29:1${'Ab3'.repeat(27)}${i}`),
});

const cards: Record<string, () => AdaptiveCardJson> = {
  'action given to a new owner': () => actionReminderCard(anActionView({ overdue: false, rag: 'green' }), { stage: 'assigned', today: '2026-11-23' }),
  'action reminder (before)': () => actionReminderCard(anActionView({ overdue: false, rag: 'amber' }), { stage: 'before', today: '2026-11-23' }),
  'action reminder (overdue, longest text, date request pending)': () =>
    actionReminderCard(
      anActionView({ text: LONG, lastUpdate: { id: 'h', at: '2026-11-01T10:00:00Z', byMemberId: 'mem-tn', byLabel: 'TN', kind: 'note', note: LONG, from: null, to: null, summary: `Update: ${LONG}` }, dateChangeRequest: { requestedByMemberId: 'mem-tn', requestedAt: '2026-11-20T10:00:00Z', proposedDate: '2027-01-31', reason: LONG } }),
      { stage: 'overdue', today: '2026-11-23', notice: { text: 'Not saved: the update is empty.', tone: 'attention' } },
    ),
  'action opened, read only (closed)': () => actionReminderCard(anActionView({ status: 'closed', statusLabel: 'Closed', lastUpdate: null }), { stage: 'opened', today: '2026-11-23', showBack: true }),
  'my actions (none)': () => myActionsCard([], '2026-11-23'),
  'my actions (30, capped)': () => myActionsCard(Array.from({ length: 30 }, (_, i) => anActionView({ id: `act-${i}`, text: LONG })), '2026-11-23'),
  'my actions (the chair\'s, one proposed complete)': () =>
    myActionsCard([anActionView(), anActionView({ id: 'act-p', status: 'proposed-complete', statusLabel: 'Proposed complete', overdue: false, rag: 'green' })], '2026-11-23', 'chair'),
  'report prompt (new)': () => reportPromptCard(reportView(), 'prompt'),
  'report (saved, with error and draft)': () =>
    reportPromptCard(reportView({ versionCount: 2, lastSavedAt: '2026-11-20T10:00:00Z', content: { progress: LONG + LONG, asks: '', risks: 'x', data: '', rag: 'amber' } }), 'opened', { text: 'Not saved: fill in Risks.', tone: 'attention' }, { progress: 'p', risks: '', rag: '' }),
  'report (locked, read only)': () => reportPromptCard(reportView({ editable: false, versionCount: 1, lastSavedAt: '2026-11-20T10:00:00Z', content: { progress: 'p', asks: '', risks: 'r', data: '', rag: 'green' } }), 'opened'),
  'round progress (channel)': () => roundProgressCard(progress, '2026-11-23'),
  'digest (empty)': () => digestCard(digest(0)),
  'digest (busy, capped lists)': () => digestCard(digest(40), { text: 'Action 8.3 closed.', tone: 'good' }),
  'digest (channel)': () => digestChannelCard(digest(3)),
  help: () => helpCard(),
  'help (standing in for an answer in a group chat or channel)': () => helpCard({ text: 'Actions and reports are only shown in a personal chat with Safer Exec. I have sent it there.', tone: 'good' }),
  'help (a message that was not understood)': () => helpCard({ text: 'Sorry, I did not understand that message. These are the commands I know:', tone: 'attention' }),
  notice: () => noticeCard('Something went wrong', 'Try again.', 'attention', '0f8e-ref'),
  'welcome (a member)': () => welcomeCard(true),
  'welcome (someone not linked yet)': () => welcomeCard(false),
  'channel due and overdue (the public card, capped list)': () => channelDueCard(dueView(40)),
  'channel due and overdue (an owner\'s view: buttons on their own, a notice)': () =>
    channelDueCard(dueView(40), { ownActionIds: new Set(Array.from({ length: 40 }, (_, i) => `act-${i}`)), notice: { text: 'Marked done: action 8.3 is now proposed complete.', tone: 'good' }, viewerTeamsUserId: `29:1${'Ab3'.repeat(27)}` }),
  'channel due and overdue (nothing due)': () => channelDueCard({ ...dueView(0), proposedComplete: 0, ownerTeamsUserIds: [] }),
  'channel due and overdue (last week\'s, replaced)': () => channelDueRetiredCard('2026-11-16', '2026-11-23'),
};

describe('every card the bot sends', () => {
  it('covers every template', () => {
    const used = new Set(Object.values(cards).map((make) => JSON.stringify(make())));
    expect(used.size).toBe(Object.keys(cards).length);
    expect(CARD_TEMPLATES.length).toBe(11);
  });

  for (const [name, make] of Object.entries(cards)) {
    it(`${name}: valid Adaptive Card 1.5 for Teams, under ${MAX_BYTES / 1024} KB`, () => {
      const card = make();
      expect(card.type).toBe('AdaptiveCard');
      expect(card.version).toBe('1.5');
      expect(validateTeamsCard(card)).toEqual([]);
      expect(sizeBytes(card)).toBeLessThan(MAX_BYTES);
    });
  }
});

describe('the validator itself catches what Teams would reject', () => {
  it('flags a version above 1.5, an Action.Execute without verb, an empty TextBlock and an unknown element', () => {
    const bad = { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', text: '' }, { type: "Marquee" }], actions: [{ type: 'Action.Execute', title: 'Go' }] } as unknown as AdaptiveCardJson;
    const messages = validateTeamsCard(bad).map((p) => p.message).join('\n');
    expect(messages).toMatch(/version 1\.6/);
    expect(messages).toMatch(/without a verb/);
    expect(messages).toMatch(/TextBlock without text/);
    expect(messages).toMatch(/Unknown element type "Marquee"/);
  });
});

describe('action reminder card', () => {
  it('shows the action, its meeting and minute, due date and last update, with the three owner buttons', () => {
    const card = actionReminderCard(anActionView(), { stage: 'overdue', today: '2026-11-23' });
    const json = JSON.stringify(card);
    expect(json).toContain('TN to share a list of people');
    expect(json).toContain('Exec, 6 Oct 2026');
    expect(json).toContain('"8.3"');
    expect(json).toContain('20 Oct 2026 (34 days overdue)');
    expect(json).toContain('List drafted.');
    for (const verb of [ACTION_VERBS.markDone, ACTION_VERBS.addUpdate, ACTION_VERBS.requestDate]) expect(json).toContain(`"verb":"${verb}"`);
  });

  it('has no buttons once the action is proposed complete, or for someone who may not change it', () => {
    expect(toActionReminderData(anActionView({ status: 'proposed-complete' }), { stage: 'opened', today: '2026-11-23' }).canAct).toBe(false);
    const stranger: Actor = { memberId: 'mem-xx', chairsExec: false, isSecretariat: false, groupIds: [] };
    const json = JSON.stringify(actionReminderCard(anActionView({}, stranger), { stage: 'opened', today: '2026-11-23' }));
    expect(json).not.toContain(ACTION_VERBS.markDone);
  });

  it('keeps user text as text: a ${...} in an action is shown, not evaluated', () => {
    const card = actionReminderCard(anActionView({ text: 'Budget ${total} agreed' }), { stage: 'before', today: '2026-11-23' });
    expect(markdownFields(card).map(displayedText)).toContain('Budget ${total} agreed');
    expect(JSON.stringify(card)).not.toContain('${');
  });
});

describe('due dates follow the view', () => {
  const today = '2026-11-23';
  it('"overdue" only for an overdue action; a past date of an action proposed complete, closed or dropped is just a date', () => {
    expect(dueLabel({ dueDate: '2026-11-17', overdue: true, status: 'open' }, today)).toBe('17 Nov 2026 (6 days overdue)');
    for (const status of ['proposed-complete', 'closed', 'dropped'] as const) expect(dueLabel({ dueDate: '2026-11-17', overdue: false, status }, today)).toBe('17 Nov 2026');
    expect(dueLabel({ dueDate: '2026-11-28', overdue: false, status: 'in-progress' }, today)).toBe('28 Nov 2026 (in 5 days)');
    expect(dueLabel({ dueDate: '2026-11-23', overdue: false, status: 'open' }, today)).toBe('23 Nov 2026 (today)');
    expect(dueLabel({ dueDate: null, overdue: false, status: 'open' }, today)).toBe('the next meeting (not yet scheduled)');
  });

  it('the action card after "Mark done" shows the date without "overdue", and no buttons', () => {
    const data = toActionReminderData(anActionView({ status: 'proposed-complete', statusLabel: 'Proposed complete', overdue: false, rag: 'green' }), { stage: 'opened', today });
    expect(data.dueLabel).toBe('20 Oct 2026');
    expect(data.canAct).toBe(false);
  });

  it('"my actions" counts a proposed-complete action apart from the open ones, worded for who reads it', () => {
    const views = [anActionView(), anActionView({ id: 'act-p', status: 'proposed-complete', statusLabel: 'Proposed complete', overdue: false, rag: 'green' })];
    const owner = toMyActionsData(views, today);
    expect(owner.summary).toBe('1 open action, 1 overdue. 1 action proposed complete: the chair will close it at or before the next meeting.');
    expect(owner.items[1]!.detail).toBe('Minute 8.3 · due 20 Oct 2026 · Proposed complete');
    expect(toMyActionsData(views, today, 'chair').summary).toContain('you can close it in the Safer Exec tab or from your weekly digest.');
    expect(toMyActionsData(views, today, 'manager').summary).toContain('you can close it in the Safer Exec tab.');
    expect(toMyActionsData([views[1]!], today).summary).toMatch(/^No open actions\. 1 action proposed complete/);
  });
});

describe('channel cards carry counts and titles only', () => {
  it('round progress shows "x of y themes reported" and theme titles, no report text or people', () => {
    const json = JSON.stringify(roundProgressCard(progress, '2026-11-23'));
    expect(json).toContain('2 of 5 themes reported');
    expect(json).toContain('Mental health');
    expect(json).not.toMatch(/TN|Tracey|progress/i);
  });

  it('the channel digest has counts, not action text, reasons or initials', () => {
    const view = digest(3);
    const json = JSON.stringify(digestChannelCard(view));
    expect(json).toContain('"Overdue actions"');
    expect(json).not.toContain('Long text');
    expect(json).not.toContain('TN');
    expect(json).not.toMatch(new RegExp(Object.values(DIGEST_VERBS).join('|')));
  });
});

describe('the weekly digest draws its buttons from each action\'s allowed', () => {
  const verbsIn = (card: AdaptiveCardJson) => {
    const found: string[] = [];
    walk(card.body, '$', (obj) => {
      if (obj['type'] === 'Action.Execute') found.push(String(obj['verb']));
    });
    return found;
  };

  it('the chair gets Approve and Refuse on each new date asked for, and Close on each action proposed complete', () => {
    const verbs = verbsIn(digestCard(digest(2)));
    expect(verbs.filter((v) => v === DIGEST_VERBS.approveDate)).toHaveLength(2);
    expect(verbs.filter((v) => v === DIGEST_VERBS.refuseDate)).toHaveLength(2);
    expect(verbs.filter((v) => v === DIGEST_VERBS.close)).toHaveLength(2);
  });

  it('a reader the domain does not let decide or close gets the same lists with no buttons', () => {
    const owner: Actor = { memberId: 'mem-tn', chairsExec: false, isSecretariat: false, groupIds: [] };
    const card = digestCard(digest(2, owner));
    expect(verbsIn(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('New dates asked for: 2');
    expect(JSON.stringify(card)).toContain('Proposed complete: 2');
  });
});

describe('the board channel\'s weekly card of actions due and overdue', () => {
  const executes = (card: AdaptiveCardJson) => {
    const found: { verb: string; actionId?: string }[] = [];
    walk(card.body, '$', (obj) => {
      if (obj['type'] === 'Action.Execute') found.push({ verb: String(obj['verb']), actionId: (obj['data'] as { actionId?: string }).actionId });
    });
    return found;
  };

  it('carries Universal Actions\' refresh: Action.Execute with its verb and week, and the owners\' Teams ids (at most 60)', () => {
    const card = channelDueCard(dueView(3)) as AdaptiveCardJson & { refresh: { action: { type: string; verb: string; data: Record<string, unknown> }; userIds: string[] } };
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: CHANNEL_VERBS.view, data: { verb: CHANNEL_VERBS.view, week: '2026-11-23' } });
    expect(card.refresh.userIds).toEqual(dueView(3).ownerTeamsUserIds);
    expect(card.refresh.userIds.length).toBeLessThanOrEqual(60);
  });

  it('the public card has no buttons; an owner\'s view has Mark done and Add an update on their own actions only', () => {
    expect(executes(channelDueCard(dueView(4)))).toEqual([]);
    const own = executes(channelDueCard(dueView(4), { ownActionIds: new Set(['act-1', 'act-3']) }));
    expect(own.map((e) => `${e.verb} ${e.actionId}`).sort()).toEqual([
      `${CHANNEL_VERBS.addUpdate} act-1`,
      `${CHANNEL_VERBS.addUpdate} act-3`,
      `${CHANNEL_VERBS.markDone} act-1`,
      `${CHANNEL_VERBS.markDone} act-3`,
    ]);
  });

  it('prints the minute, the action\'s words clipped, owners\' initials and the due date; lists at most 12 and counts the rest', () => {
    const text = JSON.stringify(channelDueCard(dueView(40)));
    expect(text).toContain('8.0: TN to share a list of people whom she feels should be involved.');
    expect(text).toContain('TN · due 27 Nov 2026 (in 4 days)');
    expect(text).toContain('TN, Safer Families · due 17 Nov 2026 (6 days overdue)');
    expect(text).toContain(`And ${40 - CHANNEL_DUE_LIST_MAX} more`);
    expect(text).not.toContain(LONG.slice(0, 200));
    expect(text).toContain('20 overdue, 20 due by 29 Nov 2026.');
  });
});

describe('report prompt card', () => {
  it('asks for each section, validates required fields on the card, and submits with the report id', () => {
    const card = reportPromptCard(reportView(), 'prompt');
    const inputs: Record<string, Record<string, unknown>> = {};
    walk(card, '$', (obj) => {
      if (typeof obj['type'] === 'string' && obj['type'].startsWith('Input.')) inputs[String(obj['id'])] = obj;
    });
    expect(Object.keys(inputs).sort()).toEqual(['asks', 'data', 'progress', 'rag', 'risks']);
    expect(inputs['progress']!['isRequired']).toBe(true);
    expect(inputs['risks']!['isRequired']).toBe(true);
    expect(inputs['rag']!['isRequired']).toBe(true);
    expect(inputs['asks']!['isRequired']).toBeUndefined();
    expect(JSON.stringify(card)).toContain(`"verb":"${REPORT_VERBS.submit}"`);
    expect(JSON.stringify(card)).toContain('"reportId":"rnd-exec-4:thm-safer-communities"');
  });
});

/** Text a member could type that would change a card if Teams read it as markdown or a template. */
const HOSTILE_TEXTS = [
  '**bold** and _italic_ and ***both***',
  '[a link](http://evil.example/steal) and <http://evil.example>',
  'Done.\n\n# A heading\n\n## Another',
  '- a bullet\n+ another\n* a third\n1. numbered\n2) also numbered',
  '<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>',
  '&lt;b&gt; &amp; &#42;&#42;not bold&#42;&#42; &copy;',
  '${heading} ${$root.verbs.markDone} ${if(true, 1, 2)} {{DATE(2017-02-14T06:08:39Z, SHORT)}} {{TIME(2017-02-14T06:08:39Z)}}',
  "' or 1 eq 1 -- $filter=status eq 'open' %27 %00",
  '> a quote\n---\n===\n| a | table |\n|---|---|\n~~struck~~ `code` ```fence```',
  'back\\slash \\*still literal\\* and a trailing backslash \\',
  '![image](http://evil.example/x.png) [ref]: http://evil.example',
];

describe('text a member typed is shown as typed, never as markdown or a template', () => {
  it('plainText leaves ordinary text alone', () => {
    for (const text of ['TN to share a list of people whom she feels should be involved.', 'Minute 8.3, due 20 Oct 2026 (in 5 days)', 'Tracey’s update: 50% done; costs £1,200.']) {
      expect(plainText(text)).toBe(text);
    }
  });

  it('plainText shows every hostile sample literally, with no markdown, date function or template left active', () => {
    for (const text of HOSTILE_TEXTS) {
      const escaped = plainText(text);
      expect(displayedText(escaped), text).toBe(text);
      expect(activeMarkdown(escaped), text).toEqual([]);
    }
  });

  it('plainText holds for 2,000 generated strings dense in markdown characters (seeded)', () => {
    const random = seededRandom(0x5afe);
    const alphabet = ['*', '_', '`', '[', ']', '(', ')', '<', '>', '#', '|', '~', '&', '{', '}', '$', '\\', '-', '+', '=', '!', '.', '1', '9', ' ', '\t', '\n', '\r', 'a', 'Z', 'é', '🙂', '\u200b'];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: random.int(1, 40) }, () => random.pick(alphabet)).join('');
      const escaped = plainText(text);
      expect(displayedText(escaped), JSON.stringify(text)).toBe(text);
      expect(activeMarkdown(escaped), JSON.stringify(text)).toEqual([]);
    }
  });

  const hostile = HOSTILE_TEXTS.join('\n\n');
  const checkCard = (card: AdaptiveCardJson, mustShow: readonly string[]) => {
    expect(validateTeamsCard(card)).toEqual([]);
    const fields = markdownFields(card);
    for (const field of fields) expect(activeMarkdown(field), field).toEqual([]);
    const shown = fields.map(displayedText).join('\n');
    for (const text of mustShow) expect(shown).toContain(text);
  };

  it('the action reminder shows the action text, the last note and the owner literally', () => {
    const card = actionReminderCard(
      anActionView({ text: hostile, lastUpdate: { id: 'h', at: '2026-11-01T10:00:00Z', byMemberId: 'mem-tn', byLabel: '*TN*', kind: 'note', note: hostile, from: null, to: null, summary: `Update: ${hostile}` } }),
      { stage: 'overdue', today: '2026-11-23' },
    );
    checkCard(card, [hostile, `by *TN*: ${hostile}`]);
  });

  it('"my actions" and the digest show (clipped) action text, reasons and notes literally', () => {
    const one = HOSTILE_TEXTS[1]!;
    checkCard(myActionsCard([anActionView({ text: one })], '2026-11-23'), [one]);
    const view: DigestView = {
      ...digest(0),
      dateRequests: [anActionView({ id: 'act-r', text: one, dateChangeRequest: { requestedByMemberId: 'mem-tn', requestedAt: '2026-11-20T10:00:00Z', proposedDate: '2027-01-31', reason: HOSTILE_TEXTS[6]! } })],
      proposedComplete: [anActionView({ id: 'act-p', status: 'proposed-complete', text: HOSTILE_TEXTS[0]!, lastUpdate: { id: 'h', at: '2026-11-01T10:00:00Z', byMemberId: 'mem-tn', byLabel: 'TN', kind: 'note', note: HOSTILE_TEXTS[4]!, from: null, to: null, summary: `Update: ${HOSTILE_TEXTS[4]!}` } })],
      missingReports: [{ themeName: '**Youth** justice', leadLabel: '_TN_' }],
    };
    checkCard(digestCard(view), [one, HOSTILE_TEXTS[0]!, '**Youth** justice', '_TN_']);
    checkCard(digestChannelCard(view), ['**Youth** justice']);
  });

  it('a locked report shows its sections literally; an editable one puts the text in its inputs unchanged', () => {
    const content = { progress: HOSTILE_TEXTS[0]!, asks: HOSTILE_TEXTS[2]!, risks: HOSTILE_TEXTS[6]!, data: HOSTILE_TEXTS[3]!, rag: 'amber' as const };
    checkCard(reportPromptCard(reportView({ editable: false, versionCount: 1, lastSavedAt: '2026-11-20T10:00:00Z', themeName: '# Theme', content }), 'opened'), [content.progress, content.asks, content.risks, content.data, '# Theme']);
    const editable = reportPromptCard(reportView({ versionCount: 1, lastSavedAt: '2026-11-20T10:00:00Z', content }), 'opened');
    const inputs: Record<string, unknown> = {};
    walk(editable, '$', (obj) => {
      if (obj['type'] === 'Input.Text') inputs[String(obj['id'])] = obj['value'];
    });
    expect(inputs).toEqual({ progress: content.progress, asks: content.asks, risks: content.risks, data: content.data });
  });

  it('the round progress card shows theme names literally', () => {
    checkCard(roundProgressCard({ ...progress, themes: [{ name: '[Safer](http://evil.example) <b>families</b>', reported: true }] }, '2026-11-23'), ['[Safer](http://evil.example) <b>families</b>']);
  });
});
