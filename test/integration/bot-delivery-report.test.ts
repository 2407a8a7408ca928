import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * GET /api/tab/bot/deliveries/failed reads as the secretariat reads it: what the message was,
 * to whom, about what, and what happened, in words; the ledger's codes and ids stay beside
 * them for whoever investigates.
 */
describe('the list of messages that did not arrive', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await app.store.installs.create({
      id: 'a:tn-personal',
      scope: 'personal',
      tenantId: 'tenant',
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      teamId: null,
      channelId: null,
      memberId: 'mem-tn',
      teamsUserId: '29:tn',
      installedAt: '2026-09-01T09:00:00Z',
      reference: {},
    });
    const line = { subjectId: 'act-exec-3-08', createdAt: '2026-11-23T09:00:00Z', activityId: null };
    await app.store.deliveries.create({ ...line, id: 'reminder:2026-11-23:mem-tn', kind: 'action-reminder', conversationId: 'a:tn-personal', status: 'failed', attempts: 1, lastAttemptAt: '2026-11-23T09:00:05Z', failureCode: 'MessageWritesBlocked' });
    await app.store.deliveries.create({ ...line, id: 'owner-assigned:act-exec-3-08:h1:mem-tn', kind: 'owner-assigned', conversationId: 'a:tn-personal', status: 'in-doubt', attempts: 1, lastAttemptAt: '2026-11-23T09:15:00Z', failureCode: 'HTTP_502' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('names the message, the person, the action and what to do, newest first', async () => {
    const view = await app.as('AM', '/api/tab/bot/deliveries/failed');
    expect(view.status).toBe(200);
    expect(view.body.failures).toEqual([
      expect.objectContaining({
        status: 'in-doubt',
        kind: 'owner-assigned',
        failureCode: 'HTTP_502',
        kindLabel: 'Notice of an action newly given to them',
        statusLabel: 'Sent, arrival not confirmed',
        recipient: 'TN \u2013 Tracey Naismith',
        about: expect.stringMatching(/^Minute \d+(\.\d+)? of \d{1,2} [A-Z][a-z]+ \d{4}$/),
        reasonLabel: expect.stringMatching(/may or may not have arrived.*check the chat/),
      }),
      expect.objectContaining({
        status: 'failed',
        kind: 'action-reminder',
        failureCode: 'MessageWritesBlocked',
        kindLabel: 'Reminder about an action',
        statusLabel: 'Not delivered',
        recipient: 'TN \u2013 Tracey Naismith',
        reasonLabel: expect.stringMatching(/blocked or removed the app/),
      }),
    ]);
  });

  it('is for the chair and the secretariat only', async () => {
    expect((await app.as('MG', '/api/tab/bot/deliveries/failed')).status).toBe(200);
    expect(await app.as('TN', '/api/tab/bot/deliveries/failed')).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
  });
});
