/**
 * Issue 14, item 8: reminders in the board's channel, privately. The sweep posts a weekly "due and
 * overdue" card into the Exec channel (EXEC_CHANNEL_ID): titles and owners' initials only, with
 * Universal Actions' `refresh` naming the owners in `userIds`. Each viewer's client sends the
 * refresh as an `adaptiveCard/action` invoke and gets its own view: an owner's holds buttons on
 * their own actions, anyone else's none. A press answers only the presser's view and changes only
 * what they may change; the card is then updated in place (same activity id, new content), as it
 * is at each sweep that week when actions change. All through the real server and CloudAdapter to
 * the Bot Connector stand-in.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_VERBS } from '../../bot/cards/verbs.js';
import type { Clock } from '../../bot/services/clock.js';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn, type StoredMessage } from '../stand-ins/bot-connector.js';
import {
  EXEC_TEAM_ID,
  botAdded,
  cardOf,
  cardText,
  execChannel,
  execute,
  groupChat,
  personal,
  postActivity,
  submit,
  teamsUser,
  type TeamsUser,
} from '../stand-ins/bot-connector-activities.js';

/** Monday 23 Nov 2026, 10:00 London: the demo's "today", the first working day of the week. */
const MONDAY = new Date('2026-11-23T10:00:00Z');
const WEEK = '2026-11-23';
const HEADING = 'Actions due and overdue: week of 23 Nov 2026';

let now = MONDAY;
const clock: Clock = { now: () => new Date(now.getTime()) };
let app: TestApp;
let connector: BotConnectorStandIn;

/**
 * The owners of what is open and due by Sunday 29 Nov in the demo, in due-date order: TN (20 Oct),
 * MG and JK (3 Nov), TW (10 Nov), TN and AM (17 Nov), TM (24 Nov). Youth Justice owns one too,
 * and has no current members.
 */
const OWNERS = ['TN', 'MG', 'JK', 'TW', 'AM', 'TM'];
/** Members of the board with a personal chat who own nothing on the card. */
const OTHERS = ['HS', 'SH'];
const TN = teamsUser('TN');
const TW = teamsUser('TW');
const MG = teamsUser('MG');
const HS = teamsUser('HS');

const channelCards = () => connector.messagesIn(EXEC_TEAM_ID).filter((m) => cardText(cardOf(m.activity)).includes('Actions due and overdue'));

/** Where a press or refresh on a channel post comes from: Teams names the post in the conversation id. */
function onPost(post: StoredMessage) {
  const channel = execChannel(connector.serviceUrl);
  return { ...channel, conversation: { ...channel.conversation, id: `${EXEC_TEAM_ID};messageid=${post.id}` } };
}

/** The refresh a viewer's client sends when they look at the card (Universal Actions, trigger "automatic"). */
async function refreshAs(post: StoredMessage, user: TeamsUser) {
  // As the card was posted: a client may still hold that version.
  const refresh = (cardOf(post.versions[0]) as { refresh: { action: { verb: string; data: Record<string, unknown> } } }).refresh.action;
  const invoke = execute(onPost(post), user, refresh.verb, refresh.data);
  const response = await postActivity(app.url, { ...invoke, value: { ...invoke.value, trigger: 'automatic' } });
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return response.body.value;
}

/** Every Action.Execute on a card's body (the refresh is not a button), as "verb actionId". */
function buttons(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj['type'] === 'Action.Execute') found.push(`${String(obj['verb'])} ${String((obj['data'] as { actionId?: string }).actionId)}`);
      Object.values(obj).forEach(walk);
    }
  };
  walk((card as { body: unknown }).body);
  return found.sort();
}

const markDoneButtons = (card: unknown): string[] => buttons(card).filter((b) => b.startsWith(CHANNEL_VERBS.markDone)).map((b) => b.split(' ')[1]!);

/** The actions a member owns by name among these, for the assertions. */
async function ownedBy(initials: string, actionIds: readonly string[]): Promise<string[]> {
  const memberId = `mem-${initials.toLowerCase()}`;
  const owned: string[] = [];
  for (const id of actionIds) if ((await app.store.actions.get(id))!.owners.some((o) => o.kind === 'member' && o.memberId === memberId)) owned.push(id);
  return owned.sort();
}

/** Everything a person could read that is not the board's public minutes: names, notes, reasons, report text. */
async function privateTexts(): Promise<string[]> {
  const texts = new Set<string>();
  for (const member of await listAll(app.store.members, {})) texts.add(member.name);
  for (const action of await listAll(app.store.actions, {})) {
    for (const line of action.history) if (line.note) texts.add(line.note.slice(0, 40));
    if (action.dateChangeRequest) texts.add(action.dateChangeRequest.reason.slice(0, 40));
  }
  for (const report of await listAll(app.store.themeReports, {})) for (const v of report.versions) for (const text of [v.content.progress, v.content.risks]) if (text.length > 12) texts.add(text.slice(0, 40));
  return [...texts].filter((t) => t.trim().length > 4);
}

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp({ env: { EXEC_CHANNEL_ID: EXEC_TEAM_ID }, clock });
  for (const initials of [...OWNERS, ...OTHERS]) {
    const user = teamsUser(initials);
    expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
  }
  expect((await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG))).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

let post: StoredMessage;

describe('the weekly card in the board channel', () => {
  it('is posted once by the sweep, recorded in the ledger with its activity id', async () => {
    await app.sweep(MONDAY);
    await app.sweep(MONDAY);
    const cards = channelCards();
    expect(cards).toHaveLength(1);
    post = cards[0]!;
    expect(cardText(cardOf(post.activity))).toContain(HEADING);
    const line = await app.store.deliveries.get(`channel-due:${WEEK}`);
    expect(line).toMatchObject({ kind: 'channel-due', status: 'sent', conversationId: EXEC_TEAM_ID, activityId: post.id });
    // The counts-only cards are still there too.
    expect(connector.messagesIn(EXEC_TEAM_ID).some((m) => cardText(cardOf(m.activity)).includes('This week in the action log'))).toBe(true);
  });

  it('carries refresh: an Action.Execute with its verb and week, and userIds with the owners\' Teams ids (at most 60)', () => {
    const card = cardOf(post.activity);
    expect(card.version).toBe('1.5');
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: CHANNEL_VERBS.view, data: { verb: CHANNEL_VERBS.view, week: WEEK } });
    expect(card.refresh.userIds).toEqual(OWNERS.map((i) => teamsUser(i).id));
    expect(card.refresh.userIds.length).toBeLessThanOrEqual(60);
  });

  it('lists titles and owners\' initials as the minutes print them, and nothing else a person wrote; no buttons', async () => {
    const card = cardOf(post.activity);
    const text = cardText(card);
    const minute = (await app.store.actions.get('act-exec-3-08'))!.minuteRef;
    expect(text).toContain(`${minute}: TN to enquire about what safeguarding training the street pastors`);
    expect(text).toMatch(/TN · due 17 Nov 2026 \(6 days overdue\)/);
    expect(text).toMatch(/MG, JK · due 3 Nov 2026 \(20 days overdue\)/);
    expect(text).toMatch(/TM · due 24 Nov 2026 \(in 1 day\)/);
    expect(text).not.toMatch(/AM to put on theme leads meeting agenda/); // proposed complete: not due, counted
    expect(text).toContain('1 action is proposed complete, waiting to be closed.');
    expect(buttons(card)).toEqual([]);
    const json = JSON.stringify(card);
    for (const secret of await privateTexts()) expect(json, secret).not.toContain(secret);
  });

  it('an owner\'s refresh gives their own view: buttons on their own actions, and only theirs', async () => {
    const view = await refreshAs(post, TN);
    const shown = markDoneButtons(view);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(await ownedBy('TN', shown));
    expect(shown).toEqual(['act-exec-3-08', 'act-exec-3-10']);
    expect(buttons(view).filter((b) => b.startsWith(CHANNEL_VERBS.addUpdate)).map((b) => b.split(' ')[1])).toEqual(shown);
    // The same list as everyone else's, with the buttons added.
    expect(cardText(view)).toContain(cardText(cardOf(post.activity)).split('\n')[0]!);
    for (const owner of ['MG', 'TW', 'AM']) {
      const theirs = markDoneButtons(await refreshAs(post, teamsUser(owner)));
      expect(theirs.length, owner).toBeGreaterThan(0);
      expect(theirs, owner).toEqual(await ownedBy(owner, theirs));
    }
  });

  it('anyone else\'s refresh (a member who owns nothing on it, someone Teams knows but the board does not) gives a read-only view', async () => {
    expect(buttons(await refreshAs(post, HS))).toEqual([]);
    const stranger: TeamsUser = { initials: 'XX', id: '29:stranger', aadObjectId: '99999999-0000-4000-8000-000000000099', personalConversationId: 'a:personal-xx' };
    expect(buttons(await refreshAs(post, stranger))).toEqual([]);
  });

  it('a press answers only the presser\'s view, changes the action, and the card is updated in place', async () => {
    const action = (await app.store.actions.get('act-exec-3-08'))!;
    const before = cardText(cardOf(post.activity));
    const press = await postActivity(app.url, execute(onPost(post), TN, CHANNEL_VERBS.markDone, { actionId: action.id, version: action.version, week: WEEK }));
    expect(press.ms).toBeLessThan(5000);
    const answer = press.body.value;
    expect(cardText(answer)).toContain(`Marked done: action ${action.minuteRef} is now proposed complete. The chair will close it at or before the next meeting.`);
    expect(markDoneButtons(answer)).toEqual(['act-exec-3-10']);
    expect((await app.store.actions.get(action.id))!.status).toBe('proposed-complete');

    // The card everyone sees is replaced in place (PUT to the same activity): 8.3 has gone from it.
    await vi.waitFor(() => expect(connector.messages.get(post.id)!.versions.length).toBe(2), { timeout: 5000 });
    const updated = cardOf(connector.messages.get(post.id)!.activity);
    expect(connector.received.filter((c) => c.method === 'PUT' && c.activityId === post.id)).toHaveLength(1);
    expect(cardText(updated)).not.toEqual(before);
    expect(cardText(updated)).not.toMatch(/TN to enquire about what safeguarding training/);
    expect(cardText(updated)).toContain('2 actions are proposed complete');
    expect(buttons(updated)).toEqual([]);
    expect(updated.refresh.userIds).toContain(TN.id);
  });

  it('a press on someone else\'s action changes nothing (the domain\'s mayChange) and still shows only the presser\'s buttons', async () => {
    const theirs = (await app.store.actions.get('act-exec-3-04'))!; // TW's
    const press = await postActivity(app.url, execute(onPost(post), TN, CHANNEL_VERBS.markDone, { actionId: theirs.id, version: theirs.version, week: WEEK }));
    expect(cardText(press.body.value)).toMatch(/Not saved: Only the owners of this action, the chair or the secretariat can change it/);
    expect(markDoneButtons(press.body.value)).toEqual(['act-exec-3-10']);
    expect((await app.store.actions.get(theirs.id))!.version).toBe(theirs.version);
  });

  it('an update from the card goes to the action log, not into the channel', async () => {
    const mine = (await app.store.actions.get('act-exec-3-10'))!;
    const note = 'Sent the list to the violence reduction unit lead.';
    const press = await postActivity(app.url, execute(onPost(post), TN, CHANNEL_VERBS.addUpdate, { actionId: mine.id, version: mine.version, week: WEEK, noteInput: 'note-1', 'note-1': note }));
    expect(cardText(press.body.value)).toContain('Update saved on action');
    expect(JSON.stringify(press.body.value)).not.toContain('violence reduction unit');
    expect((await app.store.actions.get(mine.id))!.history.at(-1)).toMatchObject({ kind: 'note', note, byMemberId: 'mem-tn' });
    await vi.waitFor(() => expect(connector.messages.get(post.id)!.versions.length).toBe(3), { timeout: 5000 });
    for (const body of connector.received.filter((c) => c.conversationId === EXEC_TEAM_ID).map((c) => JSON.stringify(c.body ?? null))) expect(body).not.toContain('violence reduction unit');
  });

  it('the Action.Submit fallback (a client without Universal Actions) changes the action but writes no one\'s view into the channel', async () => {
    const action = (await app.store.actions.get('act-exec-3-04'))!;
    const versions = connector.messages.get(post.id)!.versions.length;
    await postActivity(app.url, submit(onPost(post), TW, { verb: CHANNEL_VERBS.markDone, actionId: action.id, version: action.version, week: WEEK }, post.id));
    expect((await app.store.actions.get(action.id))!.status).toBe('proposed-complete');
    await vi.waitFor(() => expect(connector.messages.get(post.id)!.versions.length).toBe(versions + 1), { timeout: 5000 });
    for (const version of connector.messages.get(post.id)!.versions) expect(buttons(cardOf(version))).toEqual([]);
  });

  it('at each sweep that week it is updated in place when actions changed, and left alone when nothing did', async () => {
    const versions = connector.messages.get(post.id)!.versions.length;
    now = new Date('2026-11-25T10:00:00Z');
    expect((await app.sweep(now)).updated).toBe(1); // the due dates read differently on Wednesday
    expect(connector.messages.get(post.id)!.versions.length).toBe(versions + 1);
    expect(cardText(cardOf(connector.messages.get(post.id)!.activity))).toMatch(/MG, JK · due 3 Nov 2026 \(22 days overdue\)/);
    expect((await app.sweep(now)).updated).toBe(0);

    // A change made elsewhere (the tab): the next sweep brings the card up to date.
    const action = (await app.store.actions.get('act-exec-3-12'))!;
    const changed = await app.as('AM', `/api/tab/actions/${action.id}/changes`, { method: 'POST', body: JSON.stringify({ version: action.version, changeId: 'tab-channel-due-1', change: { kind: 'set-status', status: 'proposed-complete' } }) });
    expect(changed.status).toBe(200);
    now = new Date('2026-11-25T10:15:00Z');
    expect((await app.sweep(now)).updated).toBe(1);
    expect(cardText(cardOf(connector.messages.get(post.id)!.activity))).not.toMatch(/AM to write up and feed back/);
    expect(channelCards()).toHaveLength(1);
  });

  it('a press from a group chat, or for a card that was never posted there, is answered with nothing of the card and changes nothing', async () => {
    const action = (await app.store.actions.get('act-exec-3-11'))!;
    const tm = teamsUser('TM');
    const fromGroup = await postActivity(app.url, execute(groupChat(connector.serviceUrl), tm, CHANNEL_VERBS.markDone, { actionId: action.id, version: action.version, week: WEEK }));
    expect(cardText(fromGroup.body.value)).toMatch(/works only there\. Nothing was changed\./);
    expect(cardText(fromGroup.body.value)).not.toMatch(/Tamasine|OPCC|8\.|TM ·/);
    const wrongWeek = await postActivity(app.url, execute(onPost(post), tm, CHANNEL_VERBS.markDone, { actionId: action.id, version: action.version, week: '2026-11-09' }));
    expect(cardText(wrongWeek.body.value)).toMatch(/Nothing was changed/);
    expect((await app.store.actions.get(action.id))!.version).toBe(action.version);
  });

  it('next week a new card is posted, and last week\'s gives way (no list, no refresh)', async () => {
    now = new Date('2026-11-30T10:00:00Z');
    await app.sweep(now);
    const cards = channelCards();
    expect(cards).toHaveLength(2);
    const next = cards[1]!;
    expect(next.id).not.toBe(post.id);
    expect(cardText(cardOf(next.activity))).toContain('week of 30 Nov 2026');
    const old = cardOf(connector.messages.get(post.id)!.activity);
    expect(old.refresh).toBeUndefined();
    expect(cardText(old)).toMatch(/Replaced by the card for the week of 30 Nov 2026/);
    expect(cardText(old)).not.toMatch(/TN ·/);
    // A client still holding the old card gets the short card back, without buttons.
    const late = await refreshAs(post, TN);
    expect(buttons(late)).toEqual([]);
    expect(cardText(late)).toMatch(/Replaced by the card/);
  });

  it('logs carry ids and codes, no titles, notes or names', () => {
    const all = app.logs.map((l) => l.line).join('\n');
    expect(all).not.toMatch(/street pastors|violence reduction|Tracey|Naismith|Garrett/);
    expect(app.logs.some((l) => l.event === 'channel_due.update')).toBe(true);
  });
});

describe('with more than 60 owners', () => {
  let many: TestApp;
  afterAll(async () => {
    await many?.close();
  });

  it('refresh.userIds names the first 60 (owners of the earliest-due actions first)', async () => {
    many = await startTestApp({ env: { EXEC_CHANNEL_ID: EXEC_TEAM_ID } });
    const store = many.store;
    await store.groups.create({ id: 'grp-many', name: 'Community Safety Forum', kind: 'sub-group', parentGroupId: null, themeId: null });
    for (let i = 0; i < 70; i++) {
      const id = `mem-many-${String(i).padStart(2, '0')}`;
      await store.members.create({ id, name: `Forum member ${i}`, initials: `F${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`, otherInitials: [], organisationId: null, jobTitle: '', email: null, entraObjectId: null, teamsUserId: `29:forum-${String(i).padStart(2, '0')}` });
      await store.memberships.create({ id: `ms-many-${i}`, groupId: 'grp-many', memberId: id, role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-01-01', endDate: null });
    }
    const existing = (await store.actions.get('act-exec-3-11'))!;
    await store.actions.create({ ...existing, id: 'act-many', minuteRef: '9.1', text: 'The forum to review the night-time economy plan.', owners: [{ kind: 'group', groupId: 'grp-many' }], due: { kind: 'date', date: '2026-11-26' }, history: [] });
    await postActivity(many.url, botAdded(execChannel(connector.serviceUrl), MG));
    await postActivity(many.url, botAdded(personal(connector.serviceUrl, TN), TN));
    await many.sweep(MONDAY);
    const card = cardOf(connector.messagesIn(EXEC_TEAM_ID).filter((m) => cardText(cardOf(m.activity)).includes('Actions due and overdue')).at(-1)!.activity);
    expect(card.refresh.userIds).toHaveLength(60);
    // TN (linked by the install) owns the earliest-due action, so comes first; 59 of the forum's 70 after.
    expect(card.refresh.userIds[0]).toBe(TN.id);
    const forum = new Set(Array.from({ length: 70 }, (_, i) => `29:forum-${String(i).padStart(2, '0')}`));
    expect(new Set(card.refresh.userIds.slice(1)).size).toBe(59);
    for (const id of card.refresh.userIds.slice(1)) expect(forum.has(id), id).toBe(true);
    expect(cardText(card)).toMatch(/Community Safety Forum · due 26 Nov 2026/);
    expect(cardText(card)).not.toMatch(/Forum member/);
  });
});
