/**
 * The bot over HTTP, as Teams drives it: install events, typed commands, card buttons
 * (Action.Execute invokes and the Action.Submit fallback). Replies go to a local Bot Connector
 * stand-in; assertions are on what it received and what the store holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import {
  botAdded,
  botRemoved,
  cardOf,
  cardText,
  execChannel,
  execute,
  groupChat,
  installationUpdate,
  message,
  personal,
  postActivity,
  submit,
  teamsUser,
} from '../stand-ins/bot-connector-activities.js';

let app: TestApp;
let connector: BotConnectorStandIn;
const TN = teamsUser('TN');
const AM = teamsUser('AM');
const MG = teamsUser('MG');

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp();
  for (const user of [TN, AM, MG]) expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

const lastMessageTo = (conversationId: string) => connector.messagesIn(conversationId).at(-1)?.activity;

describe('where the bot lives', () => {
  it('records a personal install with its conversation reference and links the Teams user to the member', async () => {
    const install = await app.store.installs.get(TN.personalConversationId);
    expect(install).toMatchObject({ scope: 'personal', memberId: 'mem-tn', serviceUrl: connector.serviceUrl, tenantId: '00000000-0000-4000-8000-000000000000' });
    expect(install!.reference).toMatchObject({ conversation: { id: TN.personalConversationId }, serviceUrl: connector.serviceUrl });
    expect(install!.reference['activityId']).toBeUndefined();
    expect((await app.store.members.get('mem-tn'))!.teamsUserId).toBe(TN.id);
  });

  it('records team and group-chat installs, and forgets them on removal', async () => {
    await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG));
    await postActivity(app.url, installationUpdate(groupChat(connector.serviceUrl), MG, 'add'));
    expect((await app.store.installs.get('19:exec-team-general@thread.tacv2'))?.scope).toBe('team');
    expect((await app.store.installs.get('19:exec-leads@thread.v2'))?.scope).toBe('groupChat');
    await postActivity(app.url, botRemoved(groupChat(connector.serviceUrl), MG));
    expect(await app.store.installs.get('19:exec-leads@thread.v2')).toBeUndefined();
  });

  it('an install event sent again (Teams and the Playground do) leaves one record', async () => {
    await postActivity(app.url, installationUpdate(personal(connector.serviceUrl, TN), TN, 'add'));
    const installs = await listAll(app.store.installs, { memberId: 'mem-tn' });
    expect(installs).toHaveLength(1);
  });

  it('lists members the bot cannot reach for the secretariat, and only for the secretariat or chair', async () => {
    const asSecretariat = await app.as('AM', '/api/tab/bot/unreachable');
    expect(asSecretariat.status).toBe(200);
    const initials = asSecretariat.body.members.map((m: { initials: string }) => m.initials);
    expect(initials).toContain('HS');
    expect(initials).not.toContain('TN');
    expect((await app.as('TN', '/api/tab/bot/unreachable')).status).toBe(403);
  });
});

describe('typed commands in a personal chat', () => {
  it('"my actions" answers with a card of the member\'s own open actions', async () => {
    const response = await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'my actions'));
    expect(response.status).toBe(200);
    const text = cardText(cardOf(lastMessageTo(TN.personalConversationId)));
    expect(text).toContain('Your actions');
    expect(text).toContain('street pastors');
    expect(text).not.toContain('Home Office');
  });

  it('"help" answers with a card, not text', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'Help'));
    const reply = lastMessageTo(TN.personalConversationId);
    expect(reply.text ?? '').toBe('');
    expect(cardText(cardOf(reply))).toContain('my actions');
  });

  it('"report" gives a theme lead their report card', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'report'));
    const text = cardText(cardOf(lastMessageTo(TN.personalConversationId)));
    expect(text).toContain('Safer communities');
    expect(text).toContain('Not yet submitted');
  });

  it('in a channel, "my actions" shows nothing personal and points to the personal chat', async () => {
    await postActivity(app.url, message(execChannel(connector.serviceUrl), TN, '<at>Safer Exec</at> my actions'));
    const text = cardText(cardOf(lastMessageTo('19:exec-team-general@thread.tacv2')));
    expect(text).toContain('personal chat');
    expect(text).not.toContain('street pastors');
  });
});

describe('card buttons (Action.Execute)', () => {
  const ACTION = 'act-exec-3-08';

  it('"mark done" is answered well inside 5 s with the refreshed card, and the tab API shows the new status', async () => {
    const before = await app.store.actions.get(ACTION);
    const press = execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.markDone, { actionId: ACTION, version: before!.version });
    const response = await postActivity(app.url, press);
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(5000);
    expect(response.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(response.body.value)).toContain('Proposed complete');
    expect(cardText(response.body.value)).toContain('Marked done');
    const viaTab = await app.as('TN', `/api/tab/actions/${ACTION}`);
    expect(viaTab.body.status).toBe('proposed-complete');

    // Teams re-delivers the same turn: nothing changes the second time.
    const after = await app.store.actions.get(ACTION);
    const again = await postActivity(app.url, press);
    expect(again.body.statusCode).toBe(200);
    const afterAgain = await app.store.actions.get(ACTION);
    expect(afterAgain!.version).toBe(after!.version);
    expect(afterAgain!.history.filter((h) => h.kind === 'status')).toHaveLength(1);
  });

  it('"add an update" with an empty note changes nothing and the card says what to fix', async () => {
    const action = await app.store.actions.get('act-exec-2-02');
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: action!.id, version: action!.version, note: '   ' }));
    expect(cardText(response.body.value)).toMatch(/Not saved: The update is empty/);
    expect((await app.store.actions.get(action!.id))!.version).toBe(action!.version);
  });

  it('"ask for a new date" records the request for the chair to decide', async () => {
    const action = await app.store.actions.get('act-exec-2-02');
    const response = await postActivity(
      app.url,
      execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.requestDate, { actionId: action!.id, version: action!.version, proposedDate: '2027-02-28', reason: 'Theme meeting moved to January.' }),
    );
    expect(cardText(response.body.value)).toContain('Sent to the chair');
    expect((await app.store.actions.get(action!.id))!.dateChangeRequest).toMatchObject({ proposedDate: '2027-02-28', requestedByMemberId: 'mem-tn' });
  });

  it('someone who does not own an action cannot change it from a card', async () => {
    const action = await app.store.actions.get('act-exec-3-11');
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.markDone, { actionId: action!.id, version: action!.version }));
    expect(cardText(response.body.value)).toMatch(/Not saved: Only the owners/);
    expect((await app.store.actions.get(action!.id))!.status).toBe('open');
  });

  it('a stale card (the action changed since) is refused with a fresh card, not merged', async () => {
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: 'act-exec-2-02', version: '1', note: 'late news' }));
    expect(cardText(response.body.value)).toMatch(/Someone else changed this action/);
  });

  it('the chair closes a proposed-complete action from the digest; an owner cannot', async () => {
    const action = await app.store.actions.get('act-exec-3-15');
    const byOwner = await postActivity(app.url, execute(personal(connector.serviceUrl, AM), AM, 'digest.closeAction', { actionId: action!.id, version: action!.version }));
    // AM is the secretariat: the rules let the secretariat close too.
    expect(cardText(byOwner.body.value)).toMatch(/closed/);
    const tn = await app.store.actions.get('act-exec-3-08');
    const byTN = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, 'digest.closeAction', { actionId: tn!.id, version: tn!.version }));
    expect(cardText(byTN.body.value)).toMatch(/Not done: Owners can update the status/);
    expect((await app.store.actions.get('act-exec-3-08'))!.status).toBe('proposed-complete');
  });

  it('an unknown Teams user gets a card saying how to be added, and nothing changes', async () => {
    const stranger = { initials: 'XX', id: '29:stranger', aadObjectId: '99999999-0000-4000-8000-000000000099', personalConversationId: 'a:personal-xx' };
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, stranger), stranger, ACTION_VERBS.list, {}));
    expect(cardText(response.body.value)).toContain('I do not know you yet');
  });
});

describe('the Action.Submit fallback is handled by the same code', () => {
  it('replaces the card it came from (PUT to the connector) and saves the update', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, AM), AM, 'my actions'));
    const cardMessage = connector.messagesIn(AM.personalConversationId).at(-1)!;
    const action = await app.store.actions.get('act-exec-3-12');
    const response = await postActivity(
      app.url,
      submit(personal(connector.serviceUrl, AM), AM, { verb: ACTION_VERBS.addUpdate, actionId: action!.id, version: action!.version, note: 'Ask drafted; with the analyst.' }, cardMessage.id),
    );
    expect(response.status).toBe(200);
    const put = connector.received.filter((c) => c.method === 'PUT' && c.activityId === cardMessage.id);
    expect(put).toHaveLength(1);
    expect(cardText(cardOf(connector.messages.get(cardMessage.id)!.activity))).toContain('Update saved');
    const saved = await app.store.actions.get(action!.id);
    expect(saved!.history.at(-1)).toMatchObject({ kind: 'note', note: 'Ask drafted; with the analyst.', byMemberId: 'mem-am' });
  });
});

describe('privacy', () => {
  it('no action text, note, report text or name reaches the logs', () => {
    const all = app.logs.map((l) => l.line).join('\n');
    expect(all).not.toMatch(/street pastors|Ask drafted|Theme meeting moved|Tracey|Naismith|Anna Moss/);
    expect(app.logs.some((l) => l.event === 'bot.card_action')).toBe(true);
  });
});
