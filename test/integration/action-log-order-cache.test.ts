/**
 * Issue 13, item 6: the action log keeps its views and sorted orders between requests instead of
 * reading and sorting the whole log for every page. What the chair sees must still follow every
 * change at once: an edit to an action, a new action, a person's initials changed in the
 * directory, and the next page of a sorted log continuing the same order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

const log = async (query = '') => {
  const res = await app.as('MG', `/api/tab/actions?limit=500${query}`);
  expect(res.status).toBe(200);
  return res.body as { total: number; items: { id: string; version: string; owners: { label: string }[]; lastUpdate: { note?: string } | null }[] };
};

describe('the action log between requests', () => {
  it('shows an edit made since the last read, in the same sorted page', async () => {
    const before = await log('&sort=due');
    const again = await log('&sort=due');
    expect(again.items.map((a) => a.id)).toEqual(before.items.map((a) => a.id));
    const detail = await app.as('TN', '/api/tab/actions/act-exec-3-08');
    const note = `Cache check ${Date.now()}`;
    const changed = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', {
      method: 'POST',
      body: JSON.stringify({ version: detail.body.version, changeId: `chg-cache-${Date.now()}`, change: { kind: 'add-note', note } }),
    });
    expect(changed.status).toBe(200);
    const after = await log('&sort=due');
    const row = after.items.find((a) => a.id === 'act-exec-3-08')!;
    expect(row.version).toBe(changed.body.version);
    expect(row.lastUpdate?.note).toBe(note);
    expect((await log(`&q=${encodeURIComponent(note)}`)).items.map((a) => a.id)).toEqual(['act-exec-3-08']);
  });

  it('shows a person’s new initials on the actions they own', async () => {
    const tn = (await app.store.members.all({ initials: 'TN' }))[0]!;
    expect((await log()).items.some((a) => a.owners.some((o) => o.label === 'TN'))).toBe(true);
    const { version, ...record } = tn;
    await app.store.members.update({ ...record, initials: 'TNX' }, version);
    const owners = (await log()).items.flatMap((a) => a.owners.map((o) => o.label));
    expect(owners).toContain('TNX');
    expect(owners).not.toContain('TN');
  });

  it('pages through one sorted order, every action once', async () => {
    const whole = await log('&sort=owner&order=desc');
    const pages: string[] = [];
    for (let offset = 0; offset < whole.total; offset += 5) {
      const res = await app.as('MG', `/api/tab/actions?limit=5&offset=${offset}&sort=owner&order=desc`);
      pages.push(...(res.body.items as { id: string }[]).map((a) => a.id));
    }
    expect(pages).toEqual(whole.items.map((a) => a.id));
    expect(new Set(pages).size).toBe(whole.total);
  });
});
