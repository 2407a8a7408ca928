import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Every action the tab API answers with carries `allowed`: what the person asking may do with
 * it, decided by the domain's one rule. The tab draws its forms from it, so it must differ by
 * person and agree with what the server then accepts or refuses.
 */
describe('tab API: each action says what the caller may do with it', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const detailAs = async (who: string) => {
    const res = await app.as(who, '/api/tab/actions/act-exec-3-08');
    expect(res.status).toBe(200);
    return res.body;
  };

  it('an owner may mark it done, add a note and ask for a new date; not close, re-date or reassign it', async () => {
    const detail = await detailAs('TN');
    expect(detail.owners.map((o: { label: string }) => o.label)).toContain('TN');
    expect(detail.allowed).toMatchObject({ markDone: true, addNote: true, requestDate: true, close: false, setDue: false, setOwners: false, drop: false, decideDate: false });
    expect(detail.allowed.status).not.toContain('closed');
  });

  it('the chair and the secretariat may close, drop, re-date and reassign it, and set the date rather than ask for one', async () => {
    for (const who of ['MG', 'AM']) {
      expect((await detailAs(who)).allowed, who).toMatchObject({ close: true, drop: true, setDue: true, setOwners: true, editText: true, addNote: true, requestDate: false });
    }
  });

  it('a member who neither owns nor manages it may read it and do nothing, in the log as in the detail', async () => {
    const detail = await detailAs('CC');
    expect(detail.allowed.status).toEqual([]);
    expect(Object.entries(detail.allowed).filter(([key, value]) => key !== 'status' && value !== false)).toEqual([]);
    const log = await app.as('CC', '/api/tab/actions?limit=500');
    expect(log.status).toBe(200);
    expect(log.body.items.length).toBeGreaterThan(0);
    for (const item of log.body.items) expect(item.allowed?.close, item.id).toBe(false);
  });

  it('what allowed withholds, the server refuses; what it offers, the server does, and the answer carries the new allowed', async () => {
    const before = await detailAs('TN');
    const closing = await app.as('TN', `/api/tab/actions/${before.id}/changes`, {
      method: 'POST',
      body: JSON.stringify({ version: before.version, changeId: 'chg-allowed-close', change: { kind: 'set-status', status: 'closed' } }),
    });
    expect(closing.status).toBe(403);
    const done = await app.as('TN', `/api/tab/actions/${before.id}/changes`, {
      method: 'POST',
      body: JSON.stringify({ version: before.version, changeId: 'chg-allowed-done', change: { kind: 'set-status', status: 'proposed-complete' } }),
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('proposed-complete');
    expect(done.body.allowed).toMatchObject({ markDone: false, status: ['open', 'in-progress'] });
  });
});
