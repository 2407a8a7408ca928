/**
 * Everything the app prints during a full run, as an operator's log collector would see it:
 * the server started the way production starts it (`node --import tsx bot/main.ts`), and a
 * sweep run as `scripts/sweep.ts` against the same store, with their whole stdout and stderr
 * (the logger's lines and anything botbuilder, restify or Node print by themselves).
 *
 * The run goes through the tab API as several demo members (reads, writes, a stale version,
 * bad bodies, unknown users, CSV and Word exports), the bot endpoint (installs, commands,
 * card buttons, a theme-lead report, an unknown Teams user, a turn whose reply fails), a bogus
 * bearer token on both, and a sweep whose sends meet 429, 503 and a blocked chat. Then no
 * line may hold a name, an email, an action's or report's text, or anything token-shaped.
 *
 * Both processes get the loopback-only preload: a JWT-shaped token makes botbuilder try to
 * fetch its signing keys, and nothing in a test may reach past this machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS, REPORT_VERBS } from '../../bot/cards/verbs.js';
import { buildDemoData } from '../../bot/demo/demo-data.js';
import { addDays, isWorkingTime, londonDate, type Action } from '../../bot/domain/index.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { listAll } from '../../bot/store/store.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import {
  EXEC_TEAM_ID,
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
  type TeamsUser,
} from '../stand-ins/bot-connector-activities.js';
import { spawnCaptured, type CapturedProcess } from '../support/captured-process.js';
import { describeLeaks, eventOf, findLeaks, needles, type CapturedLine, type Needle } from '../support/log-leaks.js';
import { mulberry32 } from '../support/seeded-random.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOOPBACK_ONLY = join(projectRoot, 'test/support/loopback-only.cjs');
const SEED = Number(process.env.LOG_CAPTURE_SEED ?? 20261123);

const random = mulberry32(SEED);
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomChars = (n: number, alphabet = ALPHABET) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
/** A word no log would contain by chance. */
const marker = () => `qv${randomChars(8)}`;

/** Every text this test sends, each unmistakable. */
const SENT = {
  actionA: `Commission a ${marker()} review of street lighting on the Barbican before the winter`,
  actionB: `Bring the ${marker()} night-time economy figures to the Exec`,
  actionC: `Write to the ${marker()} fire service about attendance at the Exec`,
  tabNote: `Spoke to the ${marker()} licensing team; draft terms agreed`,
  staleNote: `Late news from ${marker()} that should be refused`,
  dateReason: `The ${marker()} partners meet in January, not before`,
  decisionNote: `Agreed: the ${marker()} date moves`,
  statusNote: `Started with the ${marker()} survey of residents`,
  replayedNote: `A retried change about ${marker()} housing`,
  tooLongNote: `Overlong ${marker()} note `,
  unknownField: `Unexpected ${marker()} field content`,
  brokenJson: `Broken ${marker()} body text`,
  plainText: `Plain ${marker()} text body`,
  forbiddenNote: `Not my ${marker()} action to update`,
  search: `${marker()} lighting`,
  badDevUser: `Ottoline ${marker()} Quibble`,
  missingPath: `Safeguarding ${marker()} concern`,
  typed: `can you remind me about the ${marker()} safeguarding case`,
  cardNote: `Card update: ${marker()} lighting survey booked`,
  cardReason: `Card request: the ${marker()} contractor is late`,
  staleCardNote: `Stale card: ${marker()} note that must not save`,
  submitNote: `Submitted from the fallback: ${marker()} budget found`,
  reportProgress: `Met in November: ${marker()} street pastors scheme extended`,
  reportAsks: `Funding decision on ${marker()} CCTV for the city centre`,
  reportRisks: `ASB rising around the ${marker()} night-time economy`,
  reportData: `Incidents up 8% in ${marker()} wards on last year`,
  reportAsksAmended: `Amended ask: ${marker()} youth outreach funding`,
  notMyReport: `Not my ${marker()} theme report`,
  strangerName: `Quentin ${marker()} Zarathustra`,
  strangerEmail: `${marker()}@outsider.example`,
} as const;

/** Token-like strings no log line may carry: an opaque one and a JWT-shaped one. */
const OPAQUE_TOKEN = `sxa_${randomChars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT_TOKEN = [
  b64url({ alg: 'RS256', typ: 'JWT', kid: marker() }),
  b64url({ iss: 'https://api.botframework.com', aud: '00000000-0000-4000-8000-0000000000b0', exp: 4102444800, serviceurl: 'http://127.0.0.1/', note: marker() }),
  randomChars(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
].join('.');

/** The first working instant (London hours, working day) from now: when the sweep sends. */
function nextWorkingInstant(from: Date): Date {
  for (let t = from.getTime(), i = 0; i < 24 * 30; t += 30 * 60_000, i++) {
    if (isWorkingTime(new Date(t))) return new Date(t);
  }
  throw new Error('no working time in the next fortnight');
}

/** The environment a deployment would give, minus anything of this machine's that config reads. */
function childEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(BOT_|TAB_|ENTRA_|GRAPH_|SHAREPOINT_|AZURE_|SWEEP_|EXEC_CHANNEL_ID$|STORE$|PORT$|DATA_DIR$|SEED_DEMO$|SCHEDULER$|NODE_ENV$|VITEST)/.test(key)) delete env[key];
  }
  return { ...env, NODE_ENV: 'development', DATA_DIR: dataDir, SCHEDULER: 'off', EXEC_CHANNEL_ID: EXEC_TEAM_ID, LOOPBACK_ONLY_LOG: join(dataDir, 'loopback-only.log'), ...extra };
}

const nodeArgs = (script: string, ...rest: string[]) => ['--require', LOOPBACK_ONLY, '--import', 'tsx', script, ...rest];

/** A Teams user as Teams describes them: with their real display name. */
const named = <T extends { from: Record<string, unknown> }>(activity: T, name: string): T => ({ ...activity, from: { ...activity.from, name } });

let dataDir: string;
let connector: BotConnectorStandIn;
let app: CapturedProcess | undefined;
let sweep: CapturedProcess | undefined;
let appUrl = '';
const ranAt = new Date();
const sweepAt = nextWorkingInstant(ranAt);
const demo = buildDemoData(londonDate(ranAt), ranAt);
const nameOf = (initials: string) => demo.members.find((m) => m.initials === initials)!.name;
const ids = { a: `act-logcheck-${marker()}`, b: `act-logcheck-${marker()}`, c: `act-logcheck-${marker()}` };
let changeCounter = 0;
const changeId = () => `logcheck-${SEED}-${++changeCounter}`;

/** What the run saw, for the assertions (statuses, events) that prove each path really ran. */
const seen: Record<string, number> = {};
let sweepResult: { sent?: number; failed?: number } = {};
let finalNeedles: Needle[] = [];

async function tab(initials: string | null, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (initials !== null) headers.set('x-dev-user', initials);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${appUrl}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: any;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    body = bytes.toString('utf8');
  }
  return { status: response.status, body, bytes };
}

const change = (initials: string, actionId: string, version: string, body: Record<string, unknown>, id = changeId()) =>
  tab(initials, `/api/tab/actions/${actionId}/changes`, { method: 'POST', body: JSON.stringify({ version, changeId: id, change: body }) });

const versionOf = async (actionId: string, initials = 'TN'): Promise<string> => (await tab(initials, `/api/tab/actions/${actionId}`)).body.version;

async function createActions(): Promise<void> {
  const store = new SqliteStore({ filename: join(dataDir, 'safer-exec.db') });
  try {
    const existing = (await listAll(store.actions, {}))[0]!;
    const base = (id: string, text: string, memberId: string, dueDate: string): Action => ({
      id,
      meetingId: existing.meetingId,
      minuteRef: '99',
      text,
      themeId: null,
      owners: [{ kind: 'member', memberId }],
      due: { kind: 'date', date: dueDate },
      status: 'open',
      rolloverCount: 0,
      createdAt: ranAt.toISOString(),
      dateChangeRequest: null,
      history: [],
    });
    const sweepDay = londonDate(sweepAt);
    await store.actions.create(base(ids.a, SENT.actionA, 'mem-tn', addDays(londonDate(ranAt), 30)));
    await store.actions.create(base(ids.b, SENT.actionB, 'mem-tn', sweepDay));
    await store.actions.create(base(ids.c, SENT.actionC, 'mem-am', sweepDay));
  } finally {
    await store.close();
  }
}

async function driveTabApi(): Promise<void> {
  const readers = ['TN', 'MG', 'AM', 'HS', 'SH'];
  const meetingId = (await tab('MG', `/api/tab/actions/${ids.a}`)).body.meetingId as string;
  for (const who of readers) {
    for (const path of ['/api/tab/me', '/api/tab/actions', `/api/tab/actions?q=${encodeURIComponent(SENT.search)}`, `/api/tab/actions/${ids.a}`, '/api/tab/members', '/api/tab/groups', '/api/tab/meetings', '/api/tab/governance', `/api/tab/matters-arising?meeting=${meetingId}`]) {
      expect((await tab(who, path)).status, `${who} GET ${path}`).toBe(200);
    }
  }
  expect((await tab(null, '/api/tab/dev/members')).status).toBe(200);
  expect((await tab('AM', '/api/tab/bot/unreachable')).status).toBe(200);

  // Writes, as the owner, the chair and the secretariat.
  const first = await versionOf(ids.a);
  const noted = await change('TN', ids.a, first, { kind: 'add-note', note: SENT.tabNote });
  expect(noted.status, 'add-note').toBe(200);
  const stale = await change('TN', ids.a, first, { kind: 'add-note', note: SENT.staleNote });
  expect(stale.status, 'stale version').toBe(409);
  seen['conflict'] = stale.status;
  const requested = await change('TN', ids.a, noted.body.version, { kind: 'request-date-change', proposedDate: addDays(londonDate(ranAt), 60), reason: SENT.dateReason });
  expect(requested.status, 'request-date-change').toBe(200);
  const decided = await change('MG', ids.a, requested.body.version, { kind: 'decide-date-change', approve: true, note: SENT.decisionNote });
  expect(decided.status, 'decide-date-change').toBe(200);
  const started = await change('TN', ids.a, decided.body.version, { kind: 'set-status', status: 'open', note: SENT.statusNote });
  expect(started.status, `set-status ${JSON.stringify(started.body?.error?.code)}`).toBe(200);
  const replayId = changeId();
  const replayed = await change('TN', ids.a, started.body.version, { kind: 'add-note', note: SENT.replayedNote }, replayId);
  expect(replayed.status).toBe(200);
  expect((await change('TN', ids.a, started.body.version, { kind: 'add-note', note: SENT.replayedNote }, replayId)).status, 'replayed change').toBe(200);

  // Refusals: bad bodies, someone else's action, unknown and unauthenticated callers.
  const current = await versionOf(ids.a);
  expect((await change('TN', ids.a, current, { kind: 'add-note', note: SENT.tooLongNote.repeat(120) })).status, 'too long').toBe(400);
  expect(
    (await tab('TN', `/api/tab/actions/${ids.a}/changes`, { method: 'POST', body: JSON.stringify({ version: current, changeId: changeId(), change: { kind: 'add-note', note: 'x' }, extra: SENT.unknownField }) })).status,
    'unknown field',
  ).toBe(400);
  expect((await tab('TN', `/api/tab/actions/${ids.a}/changes`, { method: 'POST', body: `{"version":"${current}","note":"${SENT.brokenJson}"` })).status, 'broken JSON').toBe(400);
  expect((await tab('TN', `/api/tab/actions/${ids.a}/changes`, { method: 'POST', body: SENT.plainText, headers: { 'content-type': 'text/plain' } })).status, 'plain text').toBeGreaterThanOrEqual(400);
  expect((await change('HS', ids.a, current, { kind: 'add-note', note: SENT.forbiddenNote })).status, 'not the owner').toBe(403);
  expect((await tab('ZZ', '/api/tab/actions')).status, 'unknown initials').toBe(403);
  expect((await tab(SENT.badDevUser, '/api/tab/actions')).status, 'a name as X-Dev-User').toBe(401);
  expect((await tab(null, '/api/tab/actions')).status, 'nobody').toBe(401);
  const bogusBearer = await tab(null, '/api/tab/actions', { headers: { authorization: `Bearer ${OPAQUE_TOKEN}` } });
  expect(bogusBearer.status, 'bogus bearer on the tab API').toBe(401);
  const bogusJwt = await tab(null, `/api/tab/actions/${ids.a}`, { headers: { authorization: `Bearer ${JWT_TOKEN}` } });
  expect(bogusJwt.status, 'JWT-shaped bearer on the tab API').toBe(401);
  expect((await tab('TN', `/api/tab/actions/act-missing-${marker()}`)).status).toBe(404);
  expect((await tab('TN', `/nowhere/${encodeURIComponent(SENT.missingPath)}`)).status).toBe(404);

  // Exports: the texts are in the files (so they were in play), never in the logs.
  const csv = await tab('MG', `/api/tab/exports/actions.csv?q=${encodeURIComponent(SENT.search.split(' ')[0]!)}`);
  expect(csv.status).toBe(200);
  const all = await tab('MG', '/api/tab/exports/actions.csv');
  expect(all.bytes.toString('utf8')).toContain(SENT.actionA);
  const docx = await tab('AM', '/api/tab/exports/actions.docx');
  expect(docx.status).toBe(200);
  expect(docx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  expect((await tab('MG', `/api/tab/exports/matters-arising.csv?meeting=${meetingId}`)).status).toBe(200);
  expect((await tab('MG', `/api/tab/exports/matters-arising.docx?meeting=${meetingId}`)).status).toBe(200);
}

async function driveBot(): Promise<void> {
  const serviceUrl = connector.serviceUrl;
  const users = Object.fromEntries(['TN', 'MG', 'AM', 'SH', 'TW', 'RS', 'HS', 'JKE'].map((i) => [i, teamsUser(i)])) as Record<string, TeamsUser>;
  const say = (who: string, text: string) => postActivity(appUrl, named(message(personal(serviceUrl, users[who]!), users[who]!, text), nameOf(who)));
  const press = (who: string, verb: string, data: Record<string, unknown>) =>
    postActivity(appUrl, named(execute(personal(serviceUrl, users[who]!), users[who]!, verb, data), nameOf(who)));

  // Installs: personal chats (one linked by email through the connector's member lookup), the Exec channel, a group chat added and removed.
  for (const who of ['TN', 'MG', 'AM', 'SH', 'TW', 'RS', 'HS']) {
    expect((await postActivity(appUrl, named(botAdded(personal(serviceUrl, users[who]!), users[who]!), nameOf(who)))).status, `install ${who}`).toBe(200);
  }
  const jke = users['JKE']!;
  const jkeEmail = demo.members.find((m) => m.initials === 'JKE')!.email!;
  connector.members.set(jke.id, { id: jke.id, name: nameOf('JKE'), email: jkeEmail, userPrincipalName: jkeEmail });
  const byEmail = named(installationUpdate(personal(serviceUrl, jke), jke, 'add'), nameOf('JKE'));
  delete (byEmail.from as { aadObjectId?: string }).aadObjectId;
  expect((await postActivity(appUrl, byEmail)).status).toBe(200);
  expect((await postActivity(appUrl, named(botAdded(execChannel(serviceUrl), users['MG']!), nameOf('MG')))).status).toBe(200);
  await postActivity(appUrl, named(installationUpdate(groupChat(serviceUrl), users['MG']!, 'add'), nameOf('MG')));
  await postActivity(appUrl, named(botRemoved(groupChat(serviceUrl), users['MG']!), nameOf('MG')));

  // Commands.
  for (const text of ['my actions', 'report', 'help', SENT.typed]) expect((await say('TN', text)).status).toBe(200);
  await postActivity(appUrl, named(message(execChannel(serviceUrl), users['TN']!, '<at>Safer Exec</at> my actions'), nameOf('TN')));
  const reportCard = connector.messagesIn(users['TN']!.personalConversationId).map((m) => JSON.stringify(cardOf(m.activity) ?? {})).find((json) => json.includes('"reportId"'));
  const reportId = /"reportId":"([^"]+)"/.exec(reportCard ?? '')?.[1];
  expect(reportId, 'TN has a theme report to write').toBeTruthy();

  // Card buttons (Action.Execute): an update, a date request, a stale card.
  const updated = await press('TN', ACTION_VERBS.addUpdate, { actionId: ids.a, version: await versionOf(ids.a), note: SENT.cardNote });
  expect(cardText(updated.body.value)).toContain('Update saved');
  const dated = await press('TN', ACTION_VERBS.requestDate, { actionId: ids.a, version: await versionOf(ids.a), proposedDate: addDays(londonDate(ranAt), 70), reason: SENT.cardReason });
  expect(cardText(dated.body.value)).toContain('Sent to the chair');
  const staleCard = await press('TN', ACTION_VERBS.addUpdate, { actionId: ids.a, version: '1', note: SENT.staleCardNote });
  expect(cardText(staleCard.body.value)).toMatch(/Someone else changed this action/);

  // The Action.Submit fallback, replying to a card the connector does not know: its update fails and it sends a new card.
  const fallback = named(
    submit(personal(serviceUrl, users['TN']!), users['TN']!, { verb: ACTION_VERBS.addUpdate, actionId: ids.a, version: await versionOf(ids.a), note: SENT.submitNote }, '1999999999999'),
    nameOf('TN'),
  );
  expect((await postActivity(appUrl, fallback)).status).toBe(200);

  // A theme-lead report: refused without risks, then saved, then amended; someone else may not.
  const report = { reportId, progress: SENT.reportProgress, asks: SENT.reportAsks, risks: SENT.reportRisks, data: SENT.reportData, rag: 'amber' };
  expect(cardText((await press('TN', REPORT_VERBS.submit, { ...report, risks: '' })).body.value)).toMatch(/Not saved/);
  expect(cardText((await press('TN', REPORT_VERBS.submit, report)).body.value)).toContain('Saved as version 1');
  expect(cardText((await press('TN', REPORT_VERBS.submit, { ...report, asks: SENT.reportAsksAmended, rag: 'red' })).body.value)).toContain('Saved as version 2');
  expect(cardText((await press('SH', REPORT_VERBS.submit, { ...report, progress: SENT.notMyReport })).body.value)).toMatch(/Not saved/);

  // A Teams user who is not a member: the connector gives their name and email when asked.
  const stranger: TeamsUser = { initials: 'XX', id: `29:stranger-${marker()}`, aadObjectId: '99999999-0000-4000-8000-000000000099', personalConversationId: `a:personal-${marker()}` };
  connector.members.set(stranger.id, { id: stranger.id, name: SENT.strangerName, email: SENT.strangerEmail, userPrincipalName: SENT.strangerEmail });
  const strangerPress = await postActivity(appUrl, named(execute(personal(serviceUrl, stranger), stranger, ACTION_VERBS.list, {}), SENT.strangerName));
  expect(cardText(strangerPress.body.value)).toContain('I do not know you yet');
  await postActivity(appUrl, named(message(personal(serviceUrl, stranger), stranger, SENT.typed), SENT.strangerName));

  // A turn that throws: the connector refuses SH's reply, and the apology after it, with a 400
  // (botbuilder's client retries a 5xx by itself; a 4xx reaches the bot's turn error handler at once).
  connector.failNext(2, { status: 400, code: 'BadArgument' }, (call) => call.conversationId === users['SH']!.personalConversationId);
  await say('SH', 'my actions');
  seen['failedReplies'] = connector.received.filter((c) => c.conversationId === users['SH']!.personalConversationId && c.status === 400).length;

  // Malformed activities, and a bogus bearer token on the bot endpoint.
  const noServiceUrl: Record<string, unknown> = { ...message(personal(serviceUrl, users['TN']!), users['TN']!, SENT.typed) };
  delete noServiceUrl['serviceUrl'];
  expect((await postActivity(appUrl, noServiceUrl)).status).toBe(400);
  const broken = await fetch(`${appUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"type":"message","text":"${SENT.typed}"` });
  expect(broken.status).toBe(400);
  // Local mode authenticates nothing here (README, "Local mode"): what matters is that the token is not printed.
  for (const token of [JWT_TOKEN, OPAQUE_TOKEN]) {
    const withToken = await fetch(`${appUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(named(message(personal(serviceUrl, users['TN']!), users['TN']!, SENT.typed), nameOf('TN'))),
    });
    await withToken.text();
  }
}

async function runSweep(): Promise<void> {
  const TN = teamsUser('TN');
  const MG = teamsUser('MG');
  const AM = teamsUser('AM');
  connector.failNext(1, { status: 429, retryAfterSeconds: 1 }, (call) => call.conversationId === TN.personalConversationId);
  connector.failNext(1, { status: 503 }, (call) => call.conversationId === MG.personalConversationId);
  connector.block(AM.personalConversationId);
  sweep = spawnCaptured('sweep', process.execPath, nodeArgs('scripts/sweep.ts', '--at', sweepAt.toISOString()), { cwd: projectRoot, env: childEnv(dataDir, { SEED_DEMO: 'false' }) });
  const code = await sweep.exited;
  // Exit 1: a message failed (AM blocked the bot), as the script documents.
  expect(code, 'sweep exit code').toBe(1);
  const resultLine = sweep.lines.find((l) => l.source === 'sweep:stdout' && l.text.startsWith('{'));
  sweepResult = JSON.parse(resultLine?.text ?? '{}');
}

async function storedTexts(): Promise<Needle[]> {
  const store = new SqliteStore({ filename: join(dataDir, 'safer-exec.db') });
  try {
    const actions = await listAll(store.actions, {});
    const reports = await listAll(store.themeReports, {});
    const members = await listAll(store.members, {});
    seen['reportVersions'] = reports.find((r) => r.versions.some((v) => v.content.progress === SENT.reportProgress))?.versions.length ?? 0;
    return [
      ...needles('an action text', actions.map((a) => a.text)),
      ...needles('an action note', actions.flatMap((a) => a.history.map((h) => h.note))),
      ...needles('a date-change reason', actions.map((a) => a.dateChangeRequest?.reason)),
      ...needles('report text', reports.flatMap((r) => r.versions.flatMap((v) => [v.content.progress, v.content.asks, v.content.risks, v.content.data]))),
      ...needles('a member name', members.map((m) => m.name)),
      ...needles('an email or UPN', members.map((m) => m.email)),
    ];
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'safer-exec-logs-'));
  connector = await startBotConnectorStandIn();
  app = spawnCaptured('app', process.execPath, nodeArgs('bot/main.ts'), { cwd: projectRoot, env: childEnv(dataDir, { PORT: '0', SEED_DEMO: 'true' }) });
  appUrl = (await app.waitForLine(/Safer Exec is running at (http:\/\/127\.0\.0\.1:\d+) /, 60_000))[1]!;
  await createActions();
  await driveTabApi();
  await driveBot();
  await runSweep();
  seen['appExit'] = Number(await app.stop());
  const loopbackLog = join(dataDir, 'loopback-only.log');
  seen['refusedConnections'] = existsSync(loopbackLog) ? readFileSync(loopbackLog, 'utf8').split('\n').filter((l) => l.includes('"refused"')).length : 0;
  finalNeedles = [
    ...needles('text this test sent', Object.values(SENT)),
    ...(await storedTexts()),
    ...needles('a member name', demo.members.map((m) => m.name)),
    ...needles('an email or UPN', demo.members.map((m) => m.email)),
    ...needles('a bearer token', [OPAQUE_TOKEN, JWT_TOKEN]),
  ];
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await sweep?.stop();
  await connector?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const allLines = (): CapturedLine[] => [...(app?.lines ?? []), ...(sweep?.lines ?? [])];
const seedNote = () => `(LOG_CAPTURE_SEED=${SEED})`;

/** Lines that are not the logger's and are expected: the start-up banner, the sweep's result, Node's own warnings. */
function isExpectedOtherLine(line: CapturedLine): boolean {
  if (line.text.trim() === '') return true;
  if (line.source === 'app:stdout' && /^Safer Exec is running at http:\/\/127\.0\.0\.1:\d+ /.test(line.text)) return true;
  if (line.source === 'sweep:stdout' && /^\{"at":/.test(line.text)) return true;
  // restify 11 on Node 20: "(node:123) [DEP0111] DeprecationWarning: ..." and Node's hint after it.
  return line.source.endsWith(':stderr') && (/^\(node:\d+\) \[DEP\d+\] /.test(line.text) || /^\(Use `node --trace-/.test(line.text));
}

describe('everything the app prints during a full run', () => {
  it('the run exercised what it claims: a conflict, failed replies, a throttled and a blocked send', () => {
    expect(seen['conflict']).toBe(409);
    expect(seen['failedReplies'], 'the connector refused the reply and the apology').toBe(2);
    expect(seen['appExit'], 'the app stops cleanly on SIGTERM').toBe(0);
    expect(seen['refusedConnections'], 'nothing tried to leave this machine').toBe(0);
    expect(sweepResult.sent, 'the sweep sent something').toBeGreaterThan(0);
    expect(sweepResult.failed, 'the blocked chat failed').toBeGreaterThanOrEqual(1);
    expect(connector.received.some((c) => c.status === 429)).toBe(true);
    expect(connector.received.some((c) => c.status === 503)).toBe(true);
    expect(connector.received.some((c) => c.status === 403)).toBe(true);
    // The texts were really in play: in cards on the wire (so a logger that printed a card or a
    // failed request would have shown them) and in the stored report.
    const wire = JSON.stringify(connector.received.map((c) => c.body));
    expect(wire.includes(SENT.actionB), 'the reminder card carried the action text').toBe(true);
    expect(wire.includes(SENT.cardReason), 'the digest card carried the date-change reason').toBe(true);
    expect(seen['reportVersions'], 'the report was saved and amended').toBe(2);
  });

  it('is non-empty, and every line the logger wrote is one JSON object with a time, level and event', () => {
    const lines = allLines();
    const logLines = lines.filter((l) => l.text.startsWith('{') && eventOf(l.text).startsWith('(') === false);
    expect(logLines.length, seedNote()).toBeGreaterThan(30);
    for (const line of logLines) {
      const parsed = JSON.parse(line.text);
      expect(typeof parsed.time, `${line.source} line ${line.lineNumber}`).toBe('string');
      expect(['debug', 'info', 'warn', 'error'], `${line.source} line ${line.lineNumber}`).toContain(parsed.level);
    }
    const unexpected = lines.filter((l) => !logLines.includes(l) && !isExpectedOtherLine(l));
    expect(unexpected.map((l) => `${l.source} line ${l.lineNumber}: ${eventOf(l.text)}`), `lines nobody reviewed ${seedNote()}`).toEqual([]);
    const events = new Set(logLines.map((l) => eventOf(l.text)));
    // The logger keeps an error's class name (it used to drop it with the content fields).
    const turnError = logLines.map((l) => JSON.parse(l.text)).find((l) => l.event === 'bot.turn_error');
    expect(turnError?.errorName, 'bot.turn_error says what failed').toMatch(/^[A-Za-z]\w*$/);
    for (const event of ['server.listening', 'demo.seed', 'bot.installed', 'bot.command', 'bot.card_action', 'bot.turn_error', 'bot.submit_update_failed', 'proactive.attempt_failed', 'sweep.sent', 'sweep.failed', 'sweep.done']) {
      expect([...events], `event ${event} was logged`).toContain(event);
    }
  });

  it('holds no name, email, action or report text, token or bearer credential', () => {
    expect(finalNeedles.length).toBeGreaterThan(100);
    const leaks = findLeaks(allLines(), finalNeedles);
    expect(leaks.length, `${seedNote()}\n${describeLeaks(leaks)}`).toBe(0);
  });
});
