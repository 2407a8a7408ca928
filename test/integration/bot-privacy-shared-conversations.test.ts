/**
 * Issue 14, item 1: named owners, action text and report text reach only the person they belong to,
 * in their personal chat. Every verb the cards expose is pressed, and every command typed, from a
 * group chat and from a channel, each way Teams can deliver it (an Action.Execute press, the same
 * invoke sent as a card refresh, the Action.Submit fallback, a typed message). Nothing the bot
 * answers there, nor anything it posts or updates there, may hold any of that text. The same
 * requests from a personal chat still get the person's own actions and report.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_VERBS, ALL_VERBS, CHANNEL_VERBS, DIGEST_VERBS, REPORT_VERBS, type CardVerb } from '../../bot/cards/verbs.js';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import {
  botAdded,
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
  type TeamsUser,
} from '../stand-ins/bot-connector-activities.js';

let app: TestApp;
let connector: BotConnectorStandIn;
/** A theme lead with a personal chat: owns actions, writes a report during the test. */
const TN = teamsUser('TN');
/** The chair, with a personal chat: the digest's buttons are hers. */
const MG = teamsUser('MG');
/** A theme lead who never opened a personal chat with the bot: owns an action and has a submitted report. */
const HS = teamsUser('HS');

const TN_REPORT = {
  progress: 'Zebra crossing pilot on Mutley Plain agreed with the highways team.',
  asks: 'Quorum of the licensing panel for the Union Street review.',
  risks: 'Night-time economy patrols thin over the Christmas weekends.',
  data: 'Street drinking complaints down a fifth since the summer.',
  rag: 'amber',
};

/** Lower case, every run of anything but letters and digits as one space: card escaping and JSON quoting cannot hide a match. */
const normalise = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

interface Secrets {
  /** Normalised fragments of action text, notes, report text and member names. */
  readonly fragments: readonly string[];
  /** Owners' initials, as the cards print them. */
  readonly initials: readonly string[];
}

let secrets: Secrets;

/** The opening words of a text someone wrote: enough to be unmistakable, short enough to survive a card's clipping. */
function fragmentOf(text: string): string | null {
  const words = normalise(text).split(' ').filter(Boolean);
  if (words.length < 3) return null;
  return words.slice(0, 6).join(' ');
}

async function collectSecrets(): Promise<Secrets> {
  const fragments = new Set<string>();
  const initials = new Set<string>();
  const add = (text: string | null | undefined) => {
    const fragment = text ? fragmentOf(text) : null;
    if (fragment) fragments.add(fragment);
  };
  const members = await listAll(app.store.members, {});
  const byId = new Map(members.map((m) => [m.id, m]));
  for (const member of members) fragments.add(normalise(member.name));
  for (const action of await listAll(app.store.actions, {})) {
    add(action.text);
    for (const line of action.history) add((line as { note?: string | null }).note);
    add(action.dateChangeRequest?.reason);
    for (const owner of action.owners) if (owner.kind === 'member') initials.add(byId.get(owner.memberId)!.initials);
  }
  for (const report of await listAll(app.store.themeReports, {})) {
    for (const version of report.versions) for (const field of ['progress', 'asks', 'risks', 'data'] as const) add(version.content[field]);
  }
  return { fragments: [...fragments], initials: [...initials] };
}

/** What in `payload` a person could read that belongs to someone: [] when it is clean. */
function leaksIn(payload: unknown): string[] {
  const json = JSON.stringify(payload ?? null);
  const flat = ` ${normalise(json)} `;
  const found = secrets.fragments.filter((f) => flat.includes(` ${f} `));
  const readable = cardText(payload);
  for (const initials of secrets.initials) if (new RegExp(`(?<![A-Za-z])${initials}(?![A-Za-z])`).test(readable)) found.push(`initials ${initials}`);
  return found;
}

/** Everything the bot wrote into a conversation (posts, replies, updates), in order. */
const writesTo = (conversationId: string) =>
  connector.received.filter((call) => call.conversationId === conversationId && (call.method === 'POST' || call.method === 'PUT') && call.body !== undefined).map((call) => call.body);

const personalWritesTo = (user: TeamsUser) => writesTo(user.personalConversationId);

interface Place {
  readonly name: string;
  readonly conversationId: string;
  where(serviceUrl: string): ReturnType<typeof groupChat>;
}

const PLACES: readonly Place[] = [
  { name: 'a group chat', conversationId: '19:exec-leads@thread.v2', where: groupChat },
  { name: 'a channel', conversationId: '19:exec-team-general@thread.tacv2', where: execChannel },
];

/** The data a real card would send with each verb, for `user`'s own action and report. */
async function dataFor(verb: CardVerb, user: TeamsUser): Promise<Record<string, unknown>> {
  const actionId = user === MG ? 'act-exec-3-15' : user === HS ? 'act-exec-2-03' : 'act-exec-3-10';
  const action = (await app.store.actions.get(actionId))!;
  const reportId = user === HS ? 'rnd-exec-4:thm-domestic-abuse' : 'rnd-exec-4:thm-safer-communities';
  switch (verb) {
    case ACTION_VERBS.list:
    case REPORT_VERBS.open:
      return {};
    case ACTION_VERBS.show:
      return { actionId };
    case ACTION_VERBS.markDone:
    case DIGEST_VERBS.approveDate:
    case DIGEST_VERBS.refuseDate:
    case DIGEST_VERBS.close:
      return { actionId, version: action.version };
    case ACTION_VERBS.addUpdate:
      return { actionId, version: action.version, note: 'Pressed in a shared conversation.' };
    case ACTION_VERBS.requestDate:
      return { actionId, version: action.version, proposedDate: '2027-03-01', reason: 'Pressed in a shared conversation.' };
    case REPORT_VERBS.submit:
      return { reportId, ...TN_REPORT, progress: 'Typed into a card in a shared conversation.' };
    // The board channel's weekly card, pressed where no such card was posted (its own test, with the
    // card posted by the sweep, is test/integration/bot-channel-due.test.ts).
    case CHANNEL_VERBS.view:
      return { week: '2026-11-23' };
    case CHANNEL_VERBS.markDone:
      return { actionId, version: action.version, week: '2026-11-23' };
    case CHANNEL_VERBS.addUpdate:
      return { actionId, version: action.version, week: '2026-11-23', noteInput: 'note-1', 'note-1': 'Pressed in a shared conversation.' };
  }
}

/** A snapshot of everything a press could change: action versions and report version counts. */
async function storeState(): Promise<string> {
  const actions = (await listAll(app.store.actions, {})).map((a) => `${a.id}@${a.version}`).sort();
  const reports = (await listAll(app.store.themeReports, {})).map((r) => `${r.id}#${r.versions.length}`).sort();
  return JSON.stringify({ actions, reports });
}

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp();
  for (const user of [TN, MG]) expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
  expect((await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG))).status).toBe(200);
  expect((await postActivity(app.url, installationUpdate(groupChat(connector.serviceUrl), MG, 'add'))).status).toBe(200);
  // TN writes a report in the personal chat, so there is report text of TN's own to protect.
  const saved = await postActivity(
    app.url,
    execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, { reportId: 'rnd-exec-4:thm-safer-communities', ...TN_REPORT }),
  );
  expect(cardText(saved.body.value)).toContain('Saved as version 1');
  secrets = await collectSecrets();
  expect(secrets.fragments).toContain(fragmentOf(TN_REPORT.progress));
  expect(secrets.fragments).toContain(fragmentOf('TN to enquire about what safeguarding training the street pastors have had.'));
  expect(await app.store.installs.get(HS.personalConversationId)).toBeUndefined();
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

describe('the leak check itself', () => {
  it('finds action text, owners and report text in the cards a personal chat gets', async () => {
    const list = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.list, {}));
    expect(leaksIn(list.body.value)).toEqual(expect.arrayContaining([fragmentOf('TN to enquire about what safeguarding training the street pastors have had.')]));
    const report = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.open, {}));
    expect(leaksIn(report.body.value)).toContain(fragmentOf(TN_REPORT.progress));
  });
});

describe.each(PLACES)('in $name', (place) => {
  const TYPED = ['my actions', 'My  Actions', 'report', '<at>Safer Exec</at> my actions', '<at>Safer Exec</at> report', 'help', 'my acitons'];
  let before: string;

  beforeAll(async () => {
    before = await storeState();
  });

  it.each(TYPED)('typing "%s" answers there with nothing personal', async (text) => {
    for (const user of [TN, MG, HS]) {
      const response = await postActivity(app.url, message(place.where(connector.serviceUrl), user, text));
      expect(response.status).toBe(200);
    }
    const written = writesTo(place.conversationId);
    expect(written.length).toBeGreaterThan(0);
    for (const body of written) expect(leaksIn(body)).toEqual([]);
  });

  it.each(ALL_VERBS)('pressing %s (Action.Execute, and the same invoke as a card refresh) answers there with nothing personal', async (verb) => {
    for (const user of [TN, MG, HS]) {
      const press = execute(place.where(connector.serviceUrl), user, verb, await dataFor(verb, user));
      const refresh = { ...press, id: `${press.id}-refresh`, value: { ...press.value, trigger: 'automatic' } };
      for (const invoke of [press, refresh]) {
        const response = await postActivity(app.url, invoke);
        expect(response.status).toBe(200);
        expect(leaksIn(response.body)).toEqual([]);
      }
    }
    for (const body of writesTo(place.conversationId)) expect(leaksIn(body)).toEqual([]);
  });

  it.each(ALL_VERBS)('pressing %s on the Action.Submit fallback replaces the card there with nothing personal', async (verb) => {
    for (const user of [TN, MG, HS]) {
      await postActivity(app.url, message(place.where(connector.serviceUrl), user, 'help'));
      const helpMessage = connector.messagesIn(place.conversationId).at(-1)!;
      const response = await postActivity(app.url, submit(place.where(connector.serviceUrl), user, { verb, ...(await dataFor(verb, user)) }, helpMessage.id));
      expect(response.status).toBe(200);
      const replaced = connector.messages.get(helpMessage.id)!;
      expect(replaced.versions.length).toBeGreaterThan(1);
      expect(leaksIn(replaced.activity)).toEqual([]);
    }
    for (const body of writesTo(place.conversationId)) expect(leaksIn(body)).toEqual([]);
  });

  it('no press there changed an action or a report', async () => {
    expect(await storeState()).toBe(before);
  });

  it('the answer there says the list goes to the personal chat, and TN finds it there', async () => {
    const sentBefore = personalWritesTo(TN).length;
    const response = await postActivity(app.url, execute(place.where(connector.serviceUrl), TN, ACTION_VERBS.list, {}));
    expect(cardText(response.body.value)).toMatch(/personal chat/);
    await vi.waitFor(() => expect(personalWritesTo(TN).length).toBeGreaterThan(sentBefore), { timeout: 10_000 });
    const delivered = personalWritesTo(TN).slice(sentBefore).map((body) => cardText(cardOf(body))).join('\n');
    expect(delivered).toContain('street pastors');

    const typedBefore = personalWritesTo(TN).length;
    await postActivity(app.url, message(place.where(connector.serviceUrl), TN, 'report'));
    await vi.waitFor(() => expect(personalWritesTo(TN).length).toBeGreaterThan(typedBefore), { timeout: 10_000 });
    expect(personalWritesTo(TN).slice(typedBefore).map((body) => JSON.stringify(body)).join('\n')).toContain('Mutley Plain');
  });

  it('a card refresh there (sent whenever someone views the card) posts nothing to anyone\'s personal chat', async () => {
    const callsBefore = connector.received.length;
    for (const verb of ALL_VERBS) {
      const press = execute(place.where(connector.serviceUrl), TN, verb, await dataFor(verb, TN));
      const response = await postActivity(app.url, { ...press, value: { ...press.value, trigger: 'automatic' } });
      expect(cardText(response.body.value)).toMatch(/personal chat/);
    }
    expect(connector.received.slice(callsBefore)).toEqual([]);
  });

  it('someone with no personal chat with the bot is told to open one, and nothing of theirs is posted anywhere', async () => {
    const callsBefore = connector.received.length;
    const response = await postActivity(app.url, execute(place.where(connector.serviceUrl), HS, ACTION_VERBS.list, {}));
    expect(cardText(response.body.value)).toMatch(/personal chat/);
    expect(cardText(response.body.value)).toMatch(/open|start/i);
    const since = connector.received.slice(callsBefore);
    for (const call of since) expect(leaksIn(call.body)).toEqual([]);
  });
});

describe('from a personal chat the same requests still work', () => {
  it('typed "my actions" and "report" give the member their own actions and report', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'my actions'));
    expect(cardText(cardOf(connector.messagesIn(TN.personalConversationId).at(-1)!.activity))).toContain('street pastors');
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'report'));
    expect(JSON.stringify(connector.messagesIn(TN.personalConversationId).at(-1)!.activity)).toContain('Mutley Plain');
  });

  it('the help card\'s buttons, pressed or refreshed, answer with the list and the report', async () => {
    for (const trigger of ['manual', 'automatic']) {
      const list = execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.list, {});
      const listed = await postActivity(app.url, { ...list, value: { ...list.value, trigger } });
      expect(cardText(listed.body.value)).toContain('street pastors');
      const open = execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.open, {});
      const opened = await postActivity(app.url, { ...open, value: { ...open.value, trigger } });
      expect(JSON.stringify(opened.body.value)).toContain('Mutley Plain');
    }
    const shown = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.show, { actionId: 'act-exec-3-10' }));
    expect(cardText(shown.body.value)).toContain('involved in developing a proposal');
  });

  it('the Action.Submit fallback replaces the help card in the personal chat with the list', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'help'));
    const helpMessage = connector.messagesIn(TN.personalConversationId).at(-1)!;
    await postActivity(app.url, submit(personal(connector.serviceUrl, TN), TN, { verb: ACTION_VERBS.list }, helpMessage.id));
    expect(cardText(cardOf(connector.messages.get(helpMessage.id)!.activity))).toContain('street pastors');
  });

  it('a button that changes an action still works there', async () => {
    const action = (await app.store.actions.get('act-exec-3-10'))!;
    const response = await postActivity(
      app.url,
      execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: action.id, version: action.version, note: 'Steer received from the OPCC.' }),
    );
    expect(cardText(response.body.value)).toContain('Update saved');
    expect((await app.store.actions.get(action.id))!.history.at(-1)).toMatchObject({ kind: 'note', note: 'Steer received from the OPCC.' });
  });
});
