/**
 * Thousands of malformed and hostile inputs against the real app (restify, CloudAdapter,
 * SQLite store, demo data), drawn from one seed:
 *   1. activities to /api/messages that are not what Teams sends: wrong types, missing fields,
 *      1 MB strings, 10,000 levels of nesting, control characters, odd unicode, invalid JSON,
 *      wrong content types and encodings, empty bodies;
 *   2. card buttons (Action.Execute invokes and Action.Submit messages) that are well formed
 *      but carry unknown verbs, wrong types, missing or foreign ids, stale versions, huge,
 *      control, markdown, template and OData-like text;
 *   3. every tab API and bot admin route, as the chair, the secretariat, an owner, a plain
 *      member, a former member, unknown initials and no one, with hostile ids, queries and bodies.
 * None may get a 5xx, crash the server or leave an unhandled rejection; each refusal is a 4xx
 * in the app's error shape with a message a person can act on, small whatever the input; and
 * every record in the store is as it was. Valid but hostile text (a note that is markdown, a
 * template, HTML) is stored exactly as sent and shows literally in the cards made from it.
 *
 * The seed is printed; FUZZ_SEED=<n> replays a run or explores another set of inputs.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionReminderCard } from '../../bot/cards/action-cards.js';
import { ACTION_VERBS, ALL_VERBS, DIGEST_VERBS, REPORT_VERBS } from '../../bot/cards/verbs.js';
import { botAdminRoutes } from '../../bot/http/bot-admin-api.js';
import { tabApiRoutes } from '../../bot/http/tab-api.js';
import { getActionDetail } from '../../bot/services/action-log.js';
import { loadRequestContext } from '../../bot/services/request-context.js';
import { MAX_BODY_BYTES } from '../../bot/http/server.js';
import { fixedClock } from '../../bot/services/clock.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardOf, execute, message, personal, postActivity, submit, teamsUser, type TeamsUser } from '../stand-ins/bot-connector-activities.js';
import { DEFAULT_TEST_NOW, startTestApp, type TestApp } from '../support/app.js';
import { activeMarkdown, displayedText, markdownFields } from '../support/markdown-reader.js';
import { fuzzSeed, seededRandom, type Random } from '../support/seeded-random.js';
import { answerProblems, httpClient, inBatches, snapshotStore, type Failure, type FuzzCase, type FuzzResponse } from './fuzz-http.js';
import {
  CONTROL_TEXTS,
  JSON_CONTENT_HEADERS,
  MARKUP_TEXTS,
  NOT_JSON_BODIES,
  ONE_MB,
  QUERY_TEXTS,
  UNICODE_TEXTS,
  WRONG_CONTENT_HEADERS,
  anyValue,
  clone,
  deepArrays,
  deepObjects,
  hostileText,
  longText,
  setPath,
  toJson,
  wrongTypedValue,
} from './fuzz-inputs.js';

const SEED = fuzzSeed(20261123);
const CONCURRENCY = 8;
const CASES_PER_FAMILY = 1200;
const TODAY = '2026-11-23';

const TN = teamsUser('TN');
const MG = teamsUser('MG');
const AM = teamsUser('AM');
const CC = teamsUser('CC');
const HS = teamsUser('HS');
const STRANGER: TeamsUser = { initials: 'ZZ', id: '29:fuzz-stranger', aadObjectId: '99999999-0000-4000-8000-000000000099', personalConversationId: 'a:personal-fuzz-stranger' };
const KNOWN_USERS = [TN, MG, AM, CC, HS];

let app: TestApp;
let connector: BotConnectorStandIn;
let http: ReturnType<typeof httpClient>;
const unhandled: string[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason instanceof Error ? reason.name : typeof reason);

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run test/security/fuzz.test.ts)`);
  process.on('unhandledRejection', onUnhandled);
  connector = await startBotConnectorStandIn();
  app = await startTestApp();
  http = httpClient(app.url);
  // Each Teams user installs the app (and is linked to their member) before any snapshot: from
  // then on a turn writes nothing unless it changes something.
  for (const user of KNOWN_USERS) expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  http?.close();
  await app?.close();
  await connector?.close();
});

/** Sends every case, `CONCURRENCY` at a time; returns what was wrong with the answers. */
async function run(cases: readonly FuzzCase[], check: (c: FuzzCase, response: FuzzResponse) => string[] = () => []): Promise<Failure[]> {
  const failures: Failure[] = [];
  await inBatches(cases, CONCURRENCY, async (c) => {
    let response: FuzzResponse;
    try {
      response = await http.send(c.request);
    } catch (error) {
      failures.push({ label: c.label, problem: `no answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})` });
      return;
    }
    for (const problem of [...answerProblems(response), ...check(c, response)]) failures.push({ label: c.label, problem });
  });
  return failures;
}

/** Failures grouped by problem, a few case labels each: readable when thousands fail the same way. */
function summary(failures: readonly Failure[]): string[] {
  const byProblem = new Map<string, string[]>();
  for (const f of failures) byProblem.set(f.problem, [...(byProblem.get(f.problem) ?? []), f.label]);
  return [...byProblem].map(([problem, labels]) => `${problem} ×${labels.length} (e.g. ${labels.slice(0, 4).join(', ')}) [seed ${SEED}]`);
}

/** Errors the app logged (caught, but each one is a code path that threw) since `from`. */
function loggedErrors(from: number, allowed: readonly string[] = []): string[] {
  return app.logs
    .slice(from)
    .filter((l) => l.level === 'error' && !allowed.includes(l.event))
    .map((l) => `${l.event}:${String(l.fields['errorName'] ?? l.fields['status'] ?? '')}`);
}

const json = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({ headers, body: toJson(body) });

/** Problems with a card the bot answered: user text must not be live markdown, and the card stays small. */
function cardProblems(card: unknown): string[] {
  if (!card || typeof card !== 'object' || (card as { type?: unknown }).type !== 'AdaptiveCard') return ['no Adaptive Card in the answer'];
  const problems = markdownFields(card).flatMap((text) => activeMarkdown(text).map((m) => `live markdown in a card: ${m}`));
  const size = JSON.stringify(card).length;
  if (size > 40_000) problems.push(`card of ${size} characters`);
  return problems;
}

/** A 200 from /api/messages: empty for a message turn, an Adaptive Card for an invoke. */
function botAnswerProblems(response: FuzzResponse): string[] {
  if (response.status !== 200 || !response.text) return [];
  const body = response.json as { statusCode?: unknown; value?: unknown; activities?: unknown } | undefined;
  if (body && typeof body === 'object' && 'activities' in body) return []; // deliveryMode: expectReplies
  if (!body || body.statusCode !== 200) return [`unexpected 200 body ${JSON.stringify(response.text.slice(0, 80))}`];
  return cardProblems(body.value);
}

// ---------------------------------------------------------------------------------------------
// 1. Malformed activities
// ---------------------------------------------------------------------------------------------

const ACTIVITY_PATHS = [
  'type', 'id', 'name', 'channelId', 'serviceUrl', 'conversation', 'conversation.id', 'conversation.conversationType', 'conversation.tenantId',
  'conversation.isGroup', 'from', 'from.id', 'from.aadObjectId', 'from.name', 'recipient', 'recipient.id', 'text', 'textFormat', 'value',
  'value.verb', 'value.action', 'value.action.type', 'value.action.verb', 'value.action.data', 'locale', 'replyToId', 'timestamp', 'channelData',
  'channelData.tenant', 'channelData.tenant.id', 'entities', 'attachments', 'membersAdded', 'membersRemoved', 'deliveryMode', 'relatesTo',
  '__proto__', 'constructor', 'zz-unknown-field',
];

/** Types that change nothing by themselves; install events would (rightly) write, so they are left out. */
const ACTIVITY_TYPES = ['', 'Message', 'MESSAGE', ' message', 'message\u0000', 'invoke', 'event', 'typing', 'messageReaction', 'messageUpdate', 'messageDelete', 'endOfConversation', 'handoff', 'trace', 'command', 'commandResult', 'delay', 'suggestion', 'x'.repeat(65)];

function badServiceUrls(standInPort: string): string[] {
  // Never an https URL, never a host off this machine: a reply must not leave it.
  return ['not a url', '', 'http://evil.example/', 'http://127.0.0.1.evil.example/', 'http://localhost@evil.example/', 'http://localhost:80@evil.example/', 'ftp://127.0.0.1/', 'javascript:alert(1)', 'file:///etc/passwd', '//evil.example/', 'http://[::1', 'http:///', `http://${'x'.repeat(3000)}/`, `http://localhost:${standInPort}/`];
}

function activityCases(random: Random, count: number): FuzzCase[] {
  const where = personal(connector.serviceUrl, TN);
  const standInPort = new URL(connector.url).port;
  const bases: (() => Record<string, unknown>)[] = [
    () => message(where, TN, 'help'),
    () => submit(where, TN, { verb: 'fuzz.unknown', actionId: 'act-exec-3-08' }),
    () => execute(where, TN, 'fuzz.unknown', { actionId: 'act-exec-3-08' }),
    () => ({ ...message(where, TN, ''), type: 'typing' }),
  ];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const label = `activity#${i}`;
    const activity = { ...clone(random.pick(bases)()), id: `f:${SEED}-${i}`, timestamp: '2026-11-23T10:00:00.000Z' };
    const roll = random.next();
    if (roll < 0.1) {
      const body = random.chance(0.8) ? random.pick(NOT_JSON_BODIES) : toJson(random.pick([deepArrays(10_000), deepObjects(10_000), deepArrays(100_000)]));
      cases.push({ label: `${label} not-an-activity`, request: { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body } });
      continue;
    }
    if (roll < 0.2) {
      const headers = { ...random.pick(WRONG_CONTENT_HEADERS) } as Record<string, string>;
      cases.push({ label: `${label} content ${JSON.stringify(headers)}`, request: { method: 'POST', path: '/api/messages', headers, body: toJson(activity) } });
      continue;
    }
    const changed: string[] = [];
    for (let m = random.int(1, 3); m > 0; m--) {
      const path = random.pick(ACTIVITY_PATHS);
      const choice = random.next();
      const value =
        choice < 0.25
          ? undefined
          : path === 'serviceUrl' && choice < 0.6
            ? random.pick(badServiceUrls(standInPort))
            : path === 'type' && choice < 0.6
              ? random.pick(ACTIVITY_TYPES)
              : anyValue(random);
      setPath(activity, path, value);
      changed.push(`${path}${value === undefined ? '-' : ''}`);
    }
    const headers = { ...random.pick([...JSON_CONTENT_HEADERS, { 'content-type': 'application/json' }, { 'content-type': 'application/json' }]) } as Record<string, string>;
    cases.push({ label: `${label} ${changed.join(',')}`, request: { method: 'POST', path: '/api/messages', headers, body: toJson(activity) } });
  }
  return cases;
}

describe('1. malformed activities to /api/messages', () => {
  it(`${CASES_PER_FAMILY} generated activities: no 5xx, refusals in the app's error shape, nothing stored`, async () => {
    const before = await snapshotStore(app.store);
    const logFrom = app.logs.length;
    const cases = activityCases(seededRandom(SEED), CASES_PER_FAMILY);
    const failures = await run(cases, (_c, response) => botAnswerProblems(response));
    expect(summary(failures)).toEqual([]);
    // Nothing threw inside a turn either: what botbuilder or the bot cannot handle is refused at the edge.
    expect(loggedErrors(logFrom)).toEqual([]);
    expect(await snapshotStore(app.store)).toEqual(before);
    expect(connector.received.every((call) => call.path.startsWith('/v3/'))).toBe(true);
  }, 120_000);

  it('the shapes that broke servers before: deep nesting, 1 MB strings, gzip bombs, multipart uploads', async () => {
    const activity = message(personal(connector.serviceUrl, TN), TN, 'help');
    const cases: FuzzCase[] = [
      { label: '10,000 nested arrays', request: { method: 'POST', path: '/api/messages', ...json(deepArrays(10_000)) } },
      { label: '10,000 nested objects', request: { method: 'POST', path: '/api/messages', ...json(deepObjects(10_000)) } },
      { label: '100,000 nested arrays', request: { method: 'POST', path: '/api/messages', ...json(deepArrays(100_000)) } },
      { label: 'nesting inside value', request: { method: 'POST', path: '/api/messages', ...json({ ...activity, value: deepObjects(10_000) }) } },
      { label: 'nesting inside conversation', request: { method: 'POST', path: '/api/messages', ...json({ ...activity, conversation: { ...activity.conversation, zz: deepArrays(10_000) } }) } },
      // The reply cannot be delivered: the turn fails inside, the caller still gets its answer.
      { label: 'unreachable loopback serviceUrl', request: { method: 'POST', path: '/api/messages', ...json({ ...activity, serviceUrl: 'http://127.0.0.1:1/' }) } },
      { label: '1 MB text', request: { method: 'POST', path: '/api/messages', ...json({ ...activity, text: 'x'.repeat(ONE_MB) }) } },
      { label: '1 MB unknown field', request: { method: 'POST', path: '/api/messages', ...json({ ...activity, zz: '🙂'.repeat(ONE_MB / 4) }) } },
      {
        label: 'gzip bomb',
        request: { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(50 * ONE_MB, 32)) },
      },
      {
        label: 'multipart upload',
        request: { method: 'POST', path: '/api/messages', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: `--b\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n${'A'.repeat(ONE_MB)}\r\n--b--\r\n` },
      },
    ];
    const answers: Record<string, number> = {};
    const failures = await run(cases, (c, response) => {
      answers[c.label] = response.status;
      return [];
    });
    expect(summary(failures)).toEqual([]);
    expect(answers).toMatchObject({ 'unreachable loopback serviceUrl': 200, '1 MB text': 413, '1 MB unknown field': 413, 'gzip bomb': 415, 'multipart upload': 415, '10,000 nested arrays': 400, '10,000 nested objects': 400 });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Card buttons with mutated data
// ---------------------------------------------------------------------------------------------

const WRITE_VERBS = [ACTION_VERBS.markDone, ACTION_VERBS.addUpdate, ACTION_VERBS.requestDate, DIGEST_VERBS.approveDate, DIGEST_VERBS.refuseDate, DIGEST_VERBS.close];
const READ_VERBS = [ACTION_VERBS.list, ACTION_VERBS.show, REPORT_VERBS.open];
const UNKNOWN_VERBS = ['action.delete', 'actions.purge', 'ACTION.MARKDONE', 'action.markdone', ' action.markDone', 'action.markDone ', 'action.markDone\u0000', 'report.approve', 'digest.closeAll', '', '*', '${verbs.markDone}', '__proto__', 'x'.repeat(5000)];
/** Versions no action has: the store's versions are counters, "1", "2", … */
const STALE_VERSIONS = ['0', '-1', '999999999', '01', '1.0', ' 1', '1 ', "1' or '1'='1", '%31', 'W/"1"', '*', '$filter=version eq 1', '${version}', '**1**', 'x'.repeat(200)];
const BAD_DATES = ['2026-02-30', '2026-13-01', '9999-99-99', 'tomorrow', '2027-01-01T25:00:00Z', '0000-00-00', "2027-01-01' or 1 eq 1", '{{DATE(2017-02-14T06:08:39Z, SHORT)}}'];
const BAD_RAGS = ['', 'purple', 'RED', 'Red', ' red', 'green\u0000', '${rag}', "red' or 1 eq 1"];
const PAYLOAD_FIELDS = ['verb', 'actionId', 'version', 'note', 'proposedDate', 'reason', 'reportId', 'progress', 'asks', 'risks', 'data', 'rag', '__proto__', 'constructor', 'zz-unknown'];

interface CardWorld {
  readonly actionIds: readonly string[];
  readonly versions: ReadonlyMap<string, string>;
  /** Actions owned only by members other than CC: CC (a plain member) may not change them. */
  readonly notCcs: readonly string[];
  readonly openReportId: string;
  readonly lockedReportIds: readonly string[];
}

async function cardWorld(): Promise<CardWorld> {
  const actions = await app.store.actions.all({});
  const reports = await app.store.themeReports.all({});
  return {
    actionIds: actions.map((a) => a.id),
    versions: new Map(actions.map((a) => [a.id, a.version])),
    notCcs: actions.filter((a) => a.owners.length > 0 && a.owners.every((o) => o.kind === 'member' && o.memberId !== 'mem-cc') && a.status !== 'closed').map((a) => a.id),
    openReportId: 'rnd-exec-4:thm-safer-communities',
    lockedReportIds: reports.filter((r) => r.roundId === 'rnd-exec-3').map((r) => r.id),
  };
}

const hostileId = (random: Random) => random.pick([...QUERY_TEXTS, 'act-exec-9-99', 'act-exec-3-08 ', ' act-exec-3-08', 'ACT-EXEC-3-08', 'act-exec-3-08\u0000', 'act-exec-3-08/../act-exec-3-10', '${actionId}', 'x'.repeat(201)]);

/** A card payload that must be refused (or, for a read-only verb, change nothing), whoever sends it. */
function refusedPayload(random: Random, world: CardWorld): { user: TeamsUser; payload: Record<string, unknown>; kind: string } {
  const text = () => (random.chance(0.8) ? hostileText(random) : longText(random, random.pick([2001, 4001, 30_000])));
  const anyAction = () => (random.chance(0.75) ? random.pick(world.actionIds) : hostileId(random));
  const roll = random.next();
  let user = random.pick([...KNOWN_USERS, STRANGER]);
  let payload: Record<string, unknown>;
  let kind: string;
  if (roll < 0.15) {
    kind = 'unknown-verb';
    payload = { verb: random.pick(UNKNOWN_VERBS), actionId: anyAction(), version: random.pick(STALE_VERSIONS), note: text() };
  } else if (roll < 0.5) {
    kind = 'stale-version';
    payload = { verb: random.pick(WRITE_VERBS), actionId: anyAction(), version: random.pick(STALE_VERSIONS), note: text(), reason: text(), proposedDate: random.pick(['2027-03-31', ...BAD_DATES]) };
  } else if (roll < 0.62) {
    kind = 'not-theirs';
    user = CC;
    const actionId = random.pick(world.notCcs);
    payload = { verb: random.pick(WRITE_VERBS), actionId, version: world.versions.get(actionId)!, note: text(), reason: text(), proposedDate: '2027-03-31' };
  } else if (roll < 0.77) {
    kind = 'report-refused';
    const guard = random.int(0, 2);
    payload = {
      verb: REPORT_VERBS.submit,
      reportId: guard === 0 ? hostileId(random) : guard === 1 ? random.pick(world.lockedReportIds) : world.openReportId,
      progress: text(),
      asks: text(),
      risks: text(),
      data: text(),
      rag: guard === 2 ? random.pick(BAD_RAGS) : random.pick(['red', 'amber', 'green', ...BAD_RAGS]),
    };
  } else if (roll < 0.9) {
    kind = 'read';
    payload = { verb: random.pick(READ_VERBS), actionId: anyAction() };
  } else {
    kind = 'wrong-types';
    payload = { verb: random.pick(ALL_VERBS), actionId: wrongTypedValue(random), version: wrongTypedValue(random), reportId: wrongTypedValue(random) };
  }
  for (let m = random.int(0, 2); m > 0; m--) setPath(payload, random.pick(PAYLOAD_FIELDS), anyValue(random));
  return { user, payload, kind };
}

function cardCases(random: Random, world: CardWorld, count: number, cardMessageIds: readonly string[]): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const { user, payload, kind } = refusedPayload(random, world);
    const where = personal(connector.serviceUrl, user);
    let activity: Record<string, any>;
    if (random.chance(0.5)) {
      activity = execute(where, user, 'placeholder', {}, `inv:${SEED}-${i}`);
      const { verb, ...data } = payload;
      activity['value'].action.verb = verb;
      activity['value'].action.data = { verb, ...data };
    } else {
      // Teams' ids are printable ASCII (others are refused at the edge): a hostile one still is.
      const replyToId = random.pick([undefined, undefined, random.pick(cardMessageIds), random.pick(QUERY_TEXTS)]);
      activity = { ...submit(where, user, payload, replyToId), id: `sub:${SEED}-${i}` };
    }
    cases.push({ label: `card#${i} ${kind} ${activity['type']} by ${user.initials}`, request: { method: 'POST', path: '/api/messages', ...json(activity) } });
  }
  return cases;
}

describe('2. card buttons with mutated data', () => {
  it(`${CASES_PER_FAMILY} refused or read-only presses (Action.Execute and Action.Submit): every answer a card, nothing stored`, async () => {
    // Cards the users were sent, for Action.Submit presses that reply to one.
    for (const user of KNOWN_USERS) await postActivity(app.url, message(personal(connector.serviceUrl, user), user, 'my actions'));
    const cardMessageIds = [...connector.messages.keys()];
    const before = await snapshotStore(app.store);
    const logFrom = app.logs.length;
    const sentBefore = connector.received.length;
    const cases = cardCases(seededRandom(SEED + 2), await cardWorld(), CASES_PER_FAMILY, cardMessageIds);
    const failures = await run(cases, (c, response) => {
      const oversized = Buffer.byteLength(c.request.body ?? '') > MAX_BODY_BYTES;
      const problems = response.status === 200 ? botAnswerProblems(response) : oversized && response.status === 413 ? [] : [`status ${response.status} for a well-formed card press`];
      if (c.label.includes(' invoke ') && !response.text) problems.push('an invoke answered with no card');
      return problems;
    });
    expect(summary(failures)).toEqual([]);
    expect(loggedErrors(logFrom)).toEqual([]);
    expect(await snapshotStore(app.store)).toEqual(before);
    // Action.Submit answers go to the chat: every card sent or replaced there is safe too.
    const sentCards = connector.received.slice(sentBefore).filter((call) => call.method === 'POST' || call.method === 'PUT').map((call) => cardOf(call.body));
    expect(sentCards.length).toBeGreaterThan(CASES_PER_FAMILY / 4);
    expect(sentCards.flatMap(cardProblems)).toEqual([]);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 3. Tab API and bot admin routes
// ---------------------------------------------------------------------------------------------

/** The chair, the secretariat, an owner, a plain member; then a former member, unknown initials, no one, and malformed initials. */
const DEV_USERS: (string | null)[] = ['MG', 'AM', 'TN', 'CC', 'PD', 'ZZ', null, '', 'tn', ' TN ', 'T N', 'TNTNT', '12', 'TN,MG', "'", '%54N', '${x}', 'x'.repeat(5000)];
const QUERY_KEYS = ['owner', 'ownerGroup', 'theme', 'meeting', 'status', 'overdue', 'q', 'sort', 'order', 'limit', 'offset', 'group', 'meetings', '$filter', '$top', 'owner[]', 'owner[a]', '__proto__[x]', 'constructor', 'a.b', ''];
const KNOWN_IDS = ['act-exec-3-08', 'act-exec-3-05', 'ms-exec-tn', 'ms-exec-mg', 'mtg-exec-4', 'grp-exec', 'mem-tn'];

/** Percent-encodes for a path or query, or (sometimes) sends printable ASCII as it is. A lone surrogate has no UTF-8: a client sends U+FFFD. */
function encode(random: Random, text: string): string {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return random.chance(0.7) ? encodeURIComponent(wellFormed) : wellFormed.replace(/[^\x21-\x7e]|[?#]/gu, (c) => encodeURIComponent(c));
}

function queryString(random: Random): string {
  const pairs: string[] = [];
  for (let n = random.int(1, 4); n > 0; n--) {
    const key = random.chance(0.7) ? random.pick(QUERY_KEYS) : random.chance(0.9) ? hostileText(random) : longText(random, 3000);
    const value = String(random.pick([hostileText(random), random.pick(KNOWN_IDS), String(random.int(-5, 1000)), 'true', '1e3', 'Infinity', '', longText(random, random.pick([300, 4000]))]));
    pairs.push(`${encode(random, key)}=${encode(random, value)}`);
    if (random.chance(0.1)) pairs.push(`${encode(random, key)}=${encode(random, value)}`);
  }
  return `?${pairs.join('&')}`;
}

const changeTemplates = (): Record<string, unknown>[] => [
  { kind: 'add-note', note: 'A note' },
  { kind: 'set-status', status: 'proposed-complete', note: 'Done' },
  { kind: 'request-date-change', proposedDate: '2027-03-31', reason: 'Because' },
  { kind: 'decide-date-change', approve: true },
  { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-tn' }] },
  { kind: 'set-due', due: { kind: 'next-meeting' } },
];
const MEMBERSHIP = { groupId: 'grp-exec', memberId: 'mem-cc', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-11-23', endDate: null };
const REQUIRED_MEMBERSHIP_FIELDS = ['groupId', 'memberId', 'role', 'decisionMaker', 'startDate'];

/** A JSON body for a POST or PUT route that must be refused: stale versions, and for a new membership always a schema error. */
function refusedBody(random: Random, routePath: string): unknown {
  let body: Record<string, unknown>;
  if (routePath.endsWith('/changes')) {
    body = { version: random.pick(STALE_VERSIONS), changeId: `fuzz-${random.int(0, 1e9)}`, change: clone(random.pick(changeTemplates())) };
    for (let m = random.int(0, 3); m > 0; m--) setPath(body, random.pick(['version', 'changeId', 'change', 'change.kind', 'change.note', 'change.status', 'change.proposedDate', 'change.reason', 'change.approve', 'change.owners', 'change.due', 'change.due.kind', 'zz']), anyValue(random));
  } else if (routePath.endsWith('/:id')) {
    body = { ...MEMBERSHIP, version: random.pick(STALE_VERSIONS) };
    for (let m = random.int(0, 3); m > 0; m--) setPath(body, random.pick([...Object.keys(MEMBERSHIP), 'version', 'membershipId', 'zz']), anyValue(random));
  } else {
    body = { ...MEMBERSHIP };
    // Guaranteed invalid: a new membership that passed the schema would be created.
    const field = random.pick(REQUIRED_MEMBERSHIP_FIELDS);
    const guard = random.int(0, 2);
    if (guard === 0) delete body[field];
    else if (guard === 1) setPath(body, field, field === 'decisionMaker' ? random.pick<unknown>(['true', 1, null, []]) : wrongTypedValue(random));
    else setPath(body, random.pick(['zz', '__proto__', 'constructor', 'membershipId ', hostileText(random), longText(random, 5000)]), anyValue(random));
    for (let m = random.int(0, 2); m > 0; m--) setPath(body, random.pick([...Object.keys(MEMBERSHIP), 'membershipId']), anyValue(random));
  }
  // Unknown fields are named in the refusal: many of them, or a long one, must not come back whole.
  if (random.chance(0.1)) for (let k = 0; k < 15; k++) setPath(body, `${longText(random, random.pick([10, 3000]))}-${k}`, k);
  return body;
}

function tabCases(random: Random, count: number): FuzzCase[] {
  const deps = { store: app.store, clock: fixedClock(DEFAULT_TEST_NOW), identity: { localMode: true } };
  const routes = [...tabApiRoutes(deps), ...botAdminRoutes(deps)];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const route = random.pick(routes);
    const id = random.chance(0.3) ? random.pick(KNOWN_IDS) : random.chance(0.95) ? hostileText(random) : longText(random, random.pick([2000, 20_000]));
    let path = route.path.replace(':id', encode(random, id));
    if (random.chance(0.08)) path = random.pick([`${path}/`, `${path}//`, `${path}/..`, `${path}%00`, `${path};x=1`, path.toUpperCase(), path.replace('/api/tab/', '/api/tab//'), `${path}/../../../../etc/passwd`]);
    if (random.chance(0.6)) path += queryString(random);
    const headers: Record<string, string> = {};
    // Mostly current members, so most cases reach the route's own checks, not only the identity gate.
    const user = random.chance(0.6) ? random.pick(DEV_USERS.slice(0, 4)) : random.pick(DEV_USERS);
    if (user !== null) headers['x-dev-user'] = user;
    if (random.chance(0.05)) headers['x-forwarded-for'] = '203.0.113.9';
    if (random.chance(0.05)) headers['authorization'] = random.pick(['Bearer x', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(3000)}`, 'Bearer ${token}', "Bearer ' or 1 eq 1"]);
    let body: string | Buffer | undefined;
    const writes = route.method === 'post' || route.method === 'put';
    if (writes || random.chance(0.05)) {
      const roll = random.next();
      if (roll < 0.65) {
        Object.assign(headers, random.pick(JSON_CONTENT_HEADERS));
        body = toJson(refusedBody(random, route.path));
      } else if (roll < 0.75) {
        Object.assign(headers, random.pick(WRONG_CONTENT_HEADERS));
        body = toJson(refusedBody(random, route.path));
      } else if (roll < 0.9) {
        headers['content-type'] = 'application/json';
        body = random.pick([...NOT_JSON_BODIES, toJson(deepArrays(10_000)), toJson(deepObjects(10_000)), toJson([refusedBody(random, route.path)])]);
      } else {
        headers['content-type'] = 'application/json';
        body = toJson({ ...(refusedBody(random, route.path) as object), zz: longText(random, random.pick([100_000, ONE_MB])) });
      }
    }
    const method = random.chance(0.03) ? random.pick(['DELETE', 'PATCH', 'OPTIONS', writes ? 'GET' : 'POST']) : route.method.toUpperCase();
    cases.push({ label: `tab#${i} ${method} ${route.path} as ${user === null ? 'nobody' : JSON.stringify(user.slice(0, 8))}`, request: { method, path, headers, ...(body === undefined ? {} : { body }) } });
  }
  return cases;
}

describe('3. tab API and bot admin routes', () => {
  it(`${CASES_PER_FAMILY} generated requests over every route as every kind of caller: no 5xx, refusals in the app's shape, nothing stored`, async () => {
    const before = await snapshotStore(app.store);
    const logFrom = app.logs.length;
    const cases = tabCases(seededRandom(SEED + 3), CASES_PER_FAMILY);
    const statuses = new Map<number, number>();
    const failures = await run(cases, (_c, response) => {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      return [];
    });
    expect(summary(failures)).toEqual([]);
    expect(loggedErrors(logFrom)).toEqual([]);
    expect(await snapshotStore(app.store)).toEqual(before);
    // The generator reaches the routes' own logic, not only the front door.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(CASES_PER_FAMILY / 20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(CASES_PER_FAMILY / 20);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(CASES_PER_FAMILY / 20);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 4. Valid but hostile text
// ---------------------------------------------------------------------------------------------

/** Hostile text that the domain accepts as it is (it trims, and UTF-8 cannot hold a lone surrogate). */
function acceptedHostileText(random: Random, max: number): string {
  const text = Array.from({ length: random.int(1, 3) }, () => random.pick([...CONTROL_TEXTS, ...UNICODE_TEXTS, ...MARKUP_TEXTS, ...MARKUP_TEXTS, ...QUERY_TEXTS])).join(random.pick([' ', '\n', '\n\n', '']));
  const stable = text.trim() === text && text !== '' ? text : `«${text}»`;
  return stable.slice(0, max);
}

/** The card shows `expected` to a reader, and no field of it is live markdown. */
function showsLiterally(card: unknown, expected: string): string[] {
  const problems = cardProblems(card);
  const shown = markdownFields(card).map(displayedText).join('\n');
  if (!shown.includes(expected)) problems.push(`card does not show ${JSON.stringify(expected.slice(0, 60))}`);
  return problems;
}

describe('4. valid but hostile text is stored as sent and shown literally', () => {
  const random = () => seededRandom(SEED + 4);
  const N = 30;

  it('an update from a card (Action.Execute): stored byte for byte, shown literally on the refreshed card', async () => {
    const r = random();
    const problems: string[] = [];
    for (let i = 0; i < N; i++) {
      const note = acceptedHostileText(r, 2000);
      const action = (await app.store.actions.get('act-exec-3-10'))!;
      const answer = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: action.id, version: action.version, note }, `ok-inv:${SEED}-${i}`));
      expect(answer.status).toBe(200);
      expect((await app.store.actions.get(action.id))!.history.at(-1)!.note).toBe(note);
      problems.push(...showsLiterally(answer.body.value, `by TN: ${note}`).map((p) => `#${i}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('an update from the Action.Submit fallback: stored as sent, and the replaced card shows it literally', async () => {
    const r = random();
    await postActivity(app.url, message(personal(connector.serviceUrl, AM), AM, 'my actions'));
    const cardMessage = connector.messagesIn(AM.personalConversationId).at(-1)!;
    const problems: string[] = [];
    for (let i = 0; i < N; i++) {
      const note = acceptedHostileText(r, 2000);
      const action = (await app.store.actions.get('act-exec-3-12'))!;
      const answer = await postActivity(app.url, { ...submit(personal(connector.serviceUrl, AM), AM, { verb: ACTION_VERBS.addUpdate, actionId: action.id, version: action.version, note }, cardMessage.id), id: `ok-sub:${SEED}-${i}` });
      expect(answer.status).toBe(200);
      expect((await app.store.actions.get(action.id))!.history.at(-1)!.note).toBe(note);
      problems.push(...showsLiterally(cardOf(connector.messages.get(cardMessage.id)!.activity), `by AM: ${note}`).map((p) => `#${i}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it("a reason for a new date: stored as sent, and shown literally on the chair's digest", async () => {
    const r = random();
    const problems: string[] = [];
    for (let i = 0; i < N / 2; i++) {
      // One line, short: the digest collapses whitespace and clips long details.
      const reason = acceptedHostileText(r, 100).replace(/\s+/g, ' ').trim() || 'x';
      const action = (await app.store.actions.get('act-exec-2-02'))!;
      const asked = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.requestDate, { actionId: action.id, version: action.version, proposedDate: '2027-03-31', reason }, `ok-req:${SEED}-${i}`));
      expect(cardProblems(asked.body.value)).toEqual([]);
      const asStored = (await app.store.actions.get(action.id))!;
      expect(asStored.dateChangeRequest?.reason).toBe(reason);
      // The chair's stale press answers with the digest, which lists the request and its reason.
      const digest = await postActivity(app.url, execute(personal(connector.serviceUrl, MG), MG, DIGEST_VERBS.refuseDate, { actionId: action.id, version: STALE_VERSIONS[2] }, `ok-dig:${SEED}-${i}`));
      problems.push(...showsLiterally(digest.body.value, `Reason: ${reason}`).map((p) => `#${i}: ${p}`));
      const refused = await postActivity(app.url, execute(personal(connector.serviceUrl, MG), MG, DIGEST_VERBS.refuseDate, { actionId: action.id, version: asStored.version }, `ok-ref:${SEED}-${i}`));
      expect(refused.status).toBe(200);
      expect((await app.store.actions.get(action.id))!.dateChangeRequest).toBeNull();
    }
    expect(problems).toEqual([]);
  });

  it('a theme report: stored as sent, and put back in the card inputs unchanged', async () => {
    const r = random();
    const reportId = 'rnd-exec-4:thm-safer-communities';
    for (let i = 0; i < N / 2; i++) {
      const content = { progress: acceptedHostileText(r, 4000), asks: acceptedHostileText(r, 4000), risks: acceptedHostileText(r, 4000), data: acceptedHostileText(r, 4000), rag: r.pick(['red', 'amber', 'green']) };
      const answer = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, { reportId, ...content }, `ok-rep:${SEED}-${i}`));
      expect(cardProblems(answer.body.value)).toEqual([]);
      expect((await app.store.themeReports.get(reportId))!.versions.at(-1)!.content).toEqual(content);
      const inputs: Record<string, unknown> = {};
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          const obj = node as Record<string, unknown>;
          if (typeof obj['type'] === 'string' && obj['type'].startsWith('Input.')) inputs[String(obj['id'])] = obj['value'];
          Object.values(obj).forEach(walk);
        }
      };
      walk(answer.body.value);
      expect(inputs).toEqual(content);
    }
  });

  it('a note from the tab API: stored as sent, and shown literally on the reminder card the sweep would send', async () => {
    const r = random();
    const problems: string[] = [];
    for (let i = 0; i < N; i++) {
      const note = acceptedHostileText(r, 2000);
      const action = (await app.store.actions.get('act-exec-3-08'))!;
      const answer = await app.as('TN', `/api/tab/actions/${action.id}/changes`, { method: 'POST', body: JSON.stringify({ version: action.version, changeId: `fuzz-note-${SEED}-${i}`, change: { kind: 'add-note', note } }) });
      expect(answer.status).toBe(200);
      expect((await app.store.actions.get(action.id))!.history.at(-1)!.note).toBe(note);
      const detail = await getActionDetail(app.store, action.id, await loadRequestContext(app.store, 'mem-tn', DEFAULT_TEST_NOW));
      if (!detail.ok) throw new Error(detail.error.message);
      const card = actionReminderCard(detail.value, { stage: 'overdue', today: TODAY });
      problems.push(...showsLiterally(card, `by TN: ${note}`).map((p) => `#${i}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('a search for hostile text is just a search: 200 and a list, whatever the text', async () => {
    const failures: string[] = [];
    // Lone surrogates cannot be percent-encoded as UTF-8: a client sends them as broken byte sequences.
    const encoded = [...MARKUP_TEXTS, ...QUERY_TEXTS, ...CONTROL_TEXTS, ...UNICODE_TEXTS].map((t) => encodeURIComponent(t));
    for (const q of [...encoded, '%ED%A0%80', '%FF%FE', '%C0%AF', '%', '%%', '%E2%82']) {
      const answer = await app.as('MG', `/api/tab/actions?q=${q}`);
      if (answer.status !== 200 || !Array.isArray(answer.body?.items)) failures.push(`${JSON.stringify(q)}: ${answer.status}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('after all of it', () => {
  it('the server still answers /healthz and no promise was left rejected', async () => {
    const health = await http.send({ method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
    expect(unhandled).toEqual([]);
  });
});
