/**
 * The board's team in Teams, through the real server and CloudAdapter against the Bot Connector
 * stand-in: the secretariat lists the team's roster and adds people from it; the sweep opens a
 * personal chat with members who never installed the app but are in the team, and reminds them
 * there; everyone else is listed as unreachable, with the reason in words.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { personalConversationIdFor, startBotConnectorStandIn, type BotConnectorStandIn, type TeamsChannelAccountWire } from '../stand-ins/bot-connector.js';
import { BOT_ACCOUNT, EXEC_TEAM_ID, TENANT_ID, botAdded, cardOf, cardText, execChannel, installationUpdate, personal, postActivity, teamsUser, type TeamsUser } from '../stand-ins/bot-connector-activities.js';

/** Monday 23 Nov 2026, 10:00 London: TN's action act-exec-3-08 is due a reminder. */
const MONDAY = new Date('2026-11-23T10:00:00Z');

let app: TestApp;
let connector: BotConnectorStandIn;

/** A demo member as Teams' roster lists them (the documented wire: `objectId`, not `aadObjectId`). */
function onRoster(user: TeamsUser, name: string, extra: Partial<TeamsChannelAccountWire> = {}): TeamsChannelAccountWire {
  return { id: user.id, name, objectId: user.aadObjectId, userPrincipalName: `${user.initials.toLowerCase()}@saferplymouth.example`, email: `${user.initials.toLowerCase()}@saferplymouth.example`, tenantId: TENANT_ID, userRole: 'user', ...extra };
}

const NEWCOMER: TeamsChannelAccountWire = {
  id: '29:user-newcomer',
  name: 'Priya Newcombe',
  objectId: '11111111-2222-4333-8444-555555555555',
  givenName: 'Priya',
  surname: 'Newcombe',
  email: 'Priya.Newcombe@plymouth.example',
  userPrincipalName: 'P.Newcombe@plymouth.example',
  tenantId: TENANT_ID,
  userRole: 'user',
};

async function addAppToTeam(): Promise<void> {
  expect((await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), teamsUser('MG')))).status).toBe(200);
}

async function installPersonally(initials: string): Promise<void> {
  const user = teamsUser(initials);
  expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
}

const pagedCalls = () => connector.received.filter((c) => c.method === 'GET' && c.path.endsWith('/pagedmembers'));
const createCalls = () => connector.received.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
const cardsIn = (conversationId: string) => connector.messagesIn(conversationId).map((m) => cardText(cardOf(m.activity)));

beforeAll(async () => {
  // Two members a page, whatever the bot asks: a team of five takes three pages.
  connector = await startBotConnectorStandIn({ maxPageSize: 2 });
});

afterAll(async () => {
  await connector?.close();
});

afterEach(async () => {
  await app?.close();
  connector.reset();
});

describe('the team roster in the tab', () => {
  it('lists every member of the board\u2019s team across pages, each with the person they already are', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [
      onRoster(teamsUser('TN'), 'Tracey Naismith'),
      // Matched by UPN alone, whatever its case.
      { id: teamsUser('HS').id, name: 'Hannah Shead', userPrincipalName: 'HS@SaferPlymouth.Example', tenantId: TENANT_ID, userRole: 'user' },
      NEWCOMER,
      onRoster(teamsUser('AM'), 'Anna Moss'),
      { id: '29:user-guest', name: 'A Guest', email: 'guest@partner.example', userPrincipalName: 'guest_partner.example#EXT#@tenant.example', tenantId: TENANT_ID, userRole: 'guest' },
    ]);

    const listed = await app.as('AM', '/api/tab/bot/roster');
    expect(listed.status).toBe(200);
    const byId = new Map(listed.body.members.map((m: any) => [m.teamsUserId, m]));
    expect(byId.size).toBe(5);
    expect(byId.get(teamsUser('TN').id)).toMatchObject({ aadObjectId: teamsUser('TN').aadObjectId, person: { id: 'mem-tn', initials: 'TN' } });
    expect(byId.get(teamsUser('HS').id)).toMatchObject({ person: { id: 'mem-hs', initials: 'HS' } });
    expect(byId.get(NEWCOMER.id)).toMatchObject({ name: 'Priya Newcombe', userPrincipalName: 'P.Newcombe@plymouth.example', aadObjectId: NEWCOMER.objectId, person: null });
    expect(byId.get('29:user-guest')).toMatchObject({ person: null });

    // Three pages, each asked for at Teams' largest page size, following the continuation tokens.
    const calls = pagedCalls();
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.conversationId === EXEC_TEAM_ID && new URLSearchParams(c.query).get('pageSize') === '500')).toBe(true);
    expect(new URLSearchParams(calls[0]!.query).has('continuationToken')).toBe(false);
    expect(new URLSearchParams(calls[1]!.query).get('continuationToken')).toBeTruthy();
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('adds a person from the roster with the object id, UPN and Teams id Teams gave, once however often it is sent', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [onRoster(teamsUser('TN'), 'Tracey Naismith'), NEWCOMER]);
    const body = { people: [{ teamsUserId: NEWCOMER.id, name: 'Priya Newcombe', initials: 'PN', jobTitle: 'Head of Community Safety', organisationId: 'org-council' }] };

    const first = await app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify(body) });
    expect(first.status).toBe(201);
    expect(first.body.people).toEqual([expect.objectContaining({ teamsUserId: NEWCOMER.id, outcome: 'added' })]);
    const personId = first.body.people[0].person.id;
    const stored = await app.store.members.get(personId);
    expect(stored).toMatchObject({
      name: 'Priya Newcombe',
      initials: 'PN',
      jobTitle: 'Head of Community Safety',
      organisationId: 'org-council',
      email: 'p.newcombe@plymouth.example',
      entraObjectId: NEWCOMER.objectId,
      teamsUserId: NEWCOMER.id,
    });

    // The same request again, and the same person with other initials: still one person.
    const again = await app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify(body) });
    expect(again.status).toBe(200);
    expect(again.body.people).toEqual([expect.objectContaining({ outcome: 'already-a-person', person: expect.objectContaining({ id: personId }) })]);
    const renamed = await app.as('MG', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify({ people: [{ ...body.people[0], initials: 'PNE' }] }) });
    expect(renamed.status).toBe(200);
    const people = await listAll(app.store.members, {});
    expect(people.filter((p) => p.teamsUserId === NEWCOMER.id || p.entraObjectId === NEWCOMER.objectId)).toHaveLength(1);

    // A member who is already a person is not added again.
    const existing = await app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify({ people: [{ teamsUserId: teamsUser('TN').id, name: 'Tracey Naismith', initials: 'TNA' }] }) });
    expect(existing.status).toBe(200);
    expect(existing.body.people[0]).toMatchObject({ outcome: 'already-a-person', person: { id: 'mem-tn', initials: 'TN' } });
    expect(await listAll(app.store.members, {})).toHaveLength(people.length);

    // The roster now shows the newcomer as that person.
    const listed = await app.as('AM', '/api/tab/bot/roster');
    expect(listed.body.members.find((m: any) => m.teamsUserId === NEWCOMER.id).person).toEqual({ id: personId, initials: 'PN' });
  });

  it('is the secretariat\u2019s and the chair\u2019s only: a theme lead is refused both, and nothing is added', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [NEWCOMER]);
    const before = (await listAll(app.store.members, {})).length;
    expect((await app.as('MG', '/api/tab/bot/roster')).status).toBe(200);
    const list = await app.as('TN', '/api/tab/bot/roster');
    expect(list.status).toBe(403);
    expect(list.body.error.message).toMatch(/secretariat or the chair/);
    const add = await app.as('TN', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify({ people: [{ teamsUserId: NEWCOMER.id, name: 'Priya Newcombe', initials: 'PN' }] }) });
    expect(add.status).toBe(403);
    expect((await app.as(null, '/api/tab/bot/roster')).status).toBe(401);
    expect((await listAll(app.store.members, {})).length).toBe(before);
  });

  it('refuses bad input with a 400 or 422 that says what to fix, and adds nobody', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [NEWCOMER, onRoster(teamsUser('TN'), 'Tracey Naismith')]);
    const before = (await listAll(app.store.members, {})).length;
    const post = (body: unknown) => app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify(body) });
    const newcomer = { teamsUserId: NEWCOMER.id, name: 'Priya Newcombe', initials: 'PN' };

    for (const body of [{}, { people: [] }, { people: [{ ...newcomer, initials: 'P1' }] }, { people: [{ ...newcomer, name: '' }] }, { people: [newcomer], extra: true }]) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('REQUEST.INVALID');
    }
    // The object id and UPN come from Teams, never from the request.
    const forged = await post({ people: [{ ...newcomer, aadObjectId: '99999999-9999-4999-8999-999999999999', email: 'someone.else@plymouth.example' }] });
    expect(forged.status).toBe(400);
    expect(forged.body.error.issues.join(' ')).toMatch(/aadObjectId|email|Unrecognized/);
    // Listed twice.
    expect((await post({ people: [newcomer, newcomer] })).status).toBe(400);
    // Not in the team.
    const stranger = await post({ people: [{ teamsUserId: '29:user-not-in-team', name: 'Not In Team', initials: 'NIT' }] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.message).toMatch(/not a member of the board\u2019s team/);
    // Initials already used by a current member.
    const clashInitials = await post({ people: [{ ...newcomer, initials: 'TN' }] });
    expect(clashInitials.status).toBe(422);
    expect(clashInitials.body.error.message).toMatch(/initials TN are already used/);
    // Two people in one request with the same initials: refused, and the first is not added either.
    connector.setRoster(EXEC_TEAM_ID, [NEWCOMER, { id: '29:user-other', name: 'Pat Nolan', objectId: '22222222-2222-4222-8222-222222222222', userPrincipalName: 'pat.nolan@plymouth.example', tenantId: TENANT_ID }]);
    const twice = await post({ people: [newcomer, { teamsUserId: '29:user-other', name: 'Pat Nolan', initials: 'PN' }] });
    expect(twice.status).toBe(422);
    expect(await listAll(app.store.members, {})).toHaveLength(before);
  });

  it('says to add the app to the team first when it is in no team (409), for the list and the import', async () => {
    app = await startTestApp();
    const listed = await app.as('AM', '/api/tab/bot/roster');
    expect(listed.status).toBe(409);
    expect(listed.body.error.message).toMatch(/^Add the app to the board\u2019s team first/);
    const add = await app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify({ people: [{ teamsUserId: NEWCOMER.id, name: 'Priya Newcombe', initials: 'PN' }] }) });
    expect(add.status).toBe(409);
    expect(pagedCalls()).toHaveLength(0);
  });

  it('answers 503 with a plain message when Teams cannot be reached, and adds nobody', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [NEWCOMER]);
    connector.failNext(2, { status: 503, code: 'ServiceUnavailable' }, (call) => call.path.endsWith('/pagedmembers'));
    const listed = await app.as('AM', '/api/tab/bot/roster');
    expect(listed.status).toBe(503);
    expect(listed.body.error.message).toBe('Teams could not be reached to list the team\u2019s members. Try again in a few minutes.');
    const before = (await listAll(app.store.members, {})).length;
    const add = await app.as('AM', '/api/tab/bot/roster/import', { method: 'POST', body: JSON.stringify({ people: [{ teamsUserId: NEWCOMER.id, name: 'Priya Newcombe', initials: 'PN' }] }) });
    expect(add.status).toBe(503);
    expect(await listAll(app.store.members, {})).toHaveLength(before);
    // Teams back: the same request works.
    expect((await app.as('AM', '/api/tab/bot/roster')).status).toBe(200);
  });
});

describe('reaching members through the team', () => {
  const TN = teamsUser('TN');
  const tnChat = personalConversationIdFor(TN.id);

  it('opens a 1:1 chat with a team member who never installed the app, and reminds them there, once across two sweeps', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [onRoster(TN, 'Tracey Naismith')]);
    expect(await app.store.installs.get(tnChat)).toBeUndefined();

    const first = await app.sweep(MONDAY);
    // The conversation was created as Teams documents it: a 1:1 with that member, in the tenant.
    expect(connector.created).toEqual([{ id: tnChat, isGroup: false, botId: BOT_ACCOUNT.id, memberIds: [TN.id], tenantId: TENANT_ID, channelDataTenantId: TENANT_ID }]);
    expect(createCalls()).toHaveLength(1);
    expect(createCalls()[0]!.body).toMatchObject({ isGroup: false, bot: { id: BOT_ACCOUNT.id }, members: [{ id: TN.id }], tenantId: TENANT_ID, channelData: { tenant: { id: TENANT_ID } } });
    // Then the reminder card went into the new chat, after it was created.
    const posts = connector.received.filter((c) => c.method === 'POST' && c.conversationId === tnChat && c.status === 201);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.at).toBeGreaterThanOrEqual(createCalls()[0]!.at);
    expect(cardsIn(tnChat)).toHaveLength(1);
    expect(cardsIn(tnChat)[0]).toContain('Reminder');
    expect(first.sent).toBeGreaterThanOrEqual(1);
    // Recorded as TN's personal chat, with a reference the next sweep posts through.
    expect(await app.store.installs.get(tnChat)).toMatchObject({ scope: 'personal', memberId: 'mem-tn', teamsUserId: TN.id, tenantId: TENANT_ID, serviceUrl: connector.serviceUrl });
    expect((await app.store.installs.get(tnChat))!.reference).toMatchObject({ conversation: { id: tnChat, conversationType: 'personal' }, serviceUrl: connector.serviceUrl, bot: { id: BOT_ACCOUNT.id } });

    const second = await app.sweep(MONDAY);
    expect(second.sent).toBe(0);
    expect(createCalls()).toHaveLength(1);
    expect(cardsIn(tnChat)).toHaveLength(1);
    // One read of the roster per sweep that needed it; the second needed none for TN.
    expect(pagedCalls().length).toBeLessThanOrEqual(2);
  });

  it('leaves alone a member who removed the app from their personal chat, until they add it again', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [onRoster(TN, 'Tracey Naismith')]);
    await installPersonally('TN');
    expect((await postActivity(app.url, installationUpdate(personal(connector.serviceUrl, TN), TN, 'remove'))).status).toBe(200);
    expect((await app.store.members.get('mem-tn'))!.removedAppAt).toBeTruthy();

    const sentBefore = connector.received.length;
    await app.sweep(MONDAY);
    // No chat reopened through the team, and nothing sent to TN anywhere (the welcome came before).
    expect(connector.created.filter((c) => c.memberIds.includes(TN.id))).toEqual([]);
    expect(connector.received.slice(sentBefore).filter((c) => c.method === 'POST' && c.status === 201 && (c.conversationId === tnChat || c.conversationId === TN.personalConversationId) && c.path.includes('/activities'))).toEqual([]);
    const unreachable = await app.as('AM', '/api/tab/bot/unreachable');
    expect(unreachable.body.members.find((m: { initials: string }) => m.initials === 'TN')).toMatchObject({ reason: 'removed-app', reasonLabel: expect.stringMatching(/^Removed the app/) });

    // Adding the app again asks for the reminders back.
    await installPersonally('TN');
    expect((await app.store.members.get('mem-tn'))!.removedAppAt).toBeNull();
    await app.sweep(new Date('2026-11-23T11:00:00Z'));
    expect(cardsIn(TN.personalConversationId).some((t) => t.includes('Reminder'))).toBe(true);
  });

  it('reads the roster once per sweep, however many members it opens chats with', async () => {
    app = await startTestApp();
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, ['TN', 'TW', 'JK', 'TM', 'AM'].map((i) => onRoster(teamsUser(i), i)));
    await app.sweep(MONDAY);
    // Five members on two-member pages: three calls, one read.
    expect(pagedCalls()).toHaveLength(3);
    expect(connector.created.map((c) => c.memberIds[0]).sort()).toEqual(['TN', 'TW', 'JK', 'TM', 'AM'].map((i) => teamsUser(i).id).sort());
    for (const initials of ['TN', 'TW', 'JK', 'TM', 'AM']) {
      expect(cardsIn(personalConversationIdFor(teamsUser(initials).id)).filter((t) => t.includes('Reminder')), initials).toHaveLength(1);
    }
  });

  it('lists members outside the team as unreachable, each with the reason in words', async () => {
    app = await startTestApp();
    await installPersonally('MG');
    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [onRoster(TN, 'Tracey Naismith'), onRoster(teamsUser('MG'), 'Matt Garrett')]);
    // HS has no email, object id or Teams id on her record: nothing to find her by in the team.
    const hs = (await app.store.members.get('mem-hs'))!;
    const { version, ...record } = hs;
    await app.store.members.update({ ...record, email: null, entraObjectId: null, teamsUserId: null }, version);

    const view = await app.as('AM', '/api/tab/bot/unreachable');
    expect(view.status).toBe(200);
    expect(view.body.team).toBe('ok');
    const byInitials = new Map(view.body.members.map((m: any) => [m.initials, m]));
    // TN is in the team (the next sweep opens her chat); MG has a personal chat.
    expect(byInitials.has('TN')).toBe(false);
    expect(byInitials.has('MG')).toBe(false);
    expect(byInitials.get('SH')).toMatchObject({ memberId: 'mem-sh', reason: 'not-in-team', reasonLabel: expect.stringMatching(/^Not a member of the board\u2019s team in Teams/) });
    expect(byInitials.get('HS')).toMatchObject({ reason: 'no-teams-account-linked', reasonLabel: expect.stringMatching(/email \/ UPN/) });
    for (const m of view.body.members) expect(m.reasonLabel).not.toMatch(/[a-z]+-[a-z]+-|HTTP|403|ROSTER|_/);

    // After a sweep TN has her chat; SH still cannot be reached.
    await app.sweep(MONDAY);
    const after = await app.as('AM', '/api/tab/bot/unreachable');
    const initials = after.body.members.map((m: any) => m.initials);
    expect(initials).not.toContain('TN');
    expect(initials).toContain('SH');
  });

  it('with the app in no team, says so for everyone without a chat; with Teams down, says Teams could not be asked', async () => {
    app = await startTestApp();
    await installPersonally('TN');
    const none = await app.as('AM', '/api/tab/bot/unreachable');
    expect(none.body.team).toBe('no-team-install');
    expect(none.body.members.find((m: any) => m.initials === 'SH')).toMatchObject({ reason: 'no-team-install', reasonLabel: expect.stringMatching(/add the app to the team/) });
    expect(none.body.members.some((m: any) => m.initials === 'TN')).toBe(false);

    await addAppToTeam();
    connector.setRoster(EXEC_TEAM_ID, [onRoster(teamsUser('SH'), 'Simon Hardwick')]);
    connector.failNext(1, { status: 503 }, (call) => call.path.endsWith('/pagedmembers'));
    const down = await app.as('AM', '/api/tab/bot/unreachable');
    expect(down.status).toBe(200);
    expect(down.body.team).toBe('unavailable');
    expect(down.body.members.find((m: any) => m.initials === 'SH')).toMatchObject({ reason: 'teams-unavailable' });
    const back = await app.as('AM', '/api/tab/bot/unreachable');
    expect(back.body.members.some((m: any) => m.initials === 'SH')).toBe(false);
  });

  it('a member who blocked the bot (403 on the message, or on the chat itself) is listed as blocked', async () => {
    app = await startTestApp();
    await addAppToTeam();
    const TW = teamsUser('TW');
    connector.setRoster(EXEC_TEAM_ID, [onRoster(TN, 'Tracey Naismith'), onRoster(TW, 'Tracey Watkinson')]);
    // TN's chat opens, but Teams refuses the message in it; TW's chat is refused outright.
    connector.block(tnChat);
    connector.blockUser(TW.id);
    await app.sweep(MONDAY);
    expect(connector.created.map((c) => c.memberIds[0])).toEqual([TN.id]);
    expect(cardsIn(tnChat)).toHaveLength(0);
    const failed = await listAll(app.store.deliveries, { status: 'failed' });
    expect(failed).toEqual(expect.arrayContaining([expect.objectContaining({ conversationId: tnChat, failureCode: 'MessageWritesBlocked' })]));
    expect(await app.store.installs.get(personalConversationIdFor(TW.id))).toBeUndefined();

    const view = await app.as('AM', '/api/tab/bot/unreachable');
    const byInitials = new Map(view.body.members.map((m: any) => [m.initials, m]));
    expect(byInitials.get('TN')).toMatchObject({ reason: 'blocked', reasonLabel: expect.stringMatching(/blocked or removed the app/) });
    expect(byInitials.get('TW')).toMatchObject({ reason: 'blocked' });
  });
});
