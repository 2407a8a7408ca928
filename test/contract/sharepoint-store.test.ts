import { afterEach, describe, expect, it } from 'vitest';
import { isStoreError, listAll } from '../../bot/store/store.js';
import type { SharePointStore } from '../../bot/store/sharepoint/sharepoint-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { aDelivery, anAction, aMember } from '../support/records.js';
import { openStandInStore, provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { storeContract } from './store-contract.js';

let contractStandIn: GraphStandIn | undefined;
storeContract('SharePointStore over the Graph stand-in', {
  async open() {
    // Small pages, so the contract's paging runs through several @odata.nextLink hops.
    contractStandIn = await provisionedStandIn({ maxPageSize: 7 });
    return openStandInStore(contractStandIn);
  },
  async dispose() {
    await contractStandIn?.close();
    contractStandIn = undefined;
  },
});

describe('SharePointStore on Graph', () => {
  let standIn: GraphStandIn | undefined;
  let store: SharePointStore | undefined;
  afterEach(async () => {
    await store?.close();
    await standIn?.close();
    standIn = undefined;
    store = undefined;
  });

  async function open(options: Parameters<typeof provisionedStandIn>[0] = {}, retry = recordingRetry()) {
    standIn = await provisionedStandIn(options);
    store = await openStandInStore(standIn, retry);
    return { standIn, store, retry };
  }

  it('turns a stale eTag into STORE.CONFLICT and leaves the item unchanged', async () => {
    const { store, standIn } = await open();
    const created = await store.actions.create(anAction());
    await store.actions.update({ ...anAction(), status: 'closed' }, created.version);
    const before = standIn.count('items.update');
    const outcome = await store.actions.update({ ...anAction(), status: 'dropped' }, created.version).catch((e: unknown) => e);
    expect(isStoreError(outcome, 'STORE.CONFLICT')).toBe(true);
    expect(standIn.requests.filter((r) => r.operation === 'items.update').slice(before).map((r) => r.status)).toEqual([412]);
    expect((await store.actions.get('act-1'))?.status).toBe('closed');
  });

  it('waits for Retry-After on 429 and 503, then retries', async () => {
    const { store, standIn, retry } = await open({ retryAfterSeconds: 3 });
    const before = standIn.requests.length;
    standIn.failNext('items.create', '429');
    standIn.failNext('items.create', '503');
    await store.members.create(aMember());
    expect(retry.waits).toEqual([3000, 3000]);
    expect(standIn.requests.slice(before).filter((r) => r.operation === 'items.create').map((r) => r.status)).toEqual([429, 503, 201]);
    expect(standIn.items('SaferExec Members')).toHaveLength(1);
  });

  it('treats a retried create whose first answer was lost as done, without a second item', async () => {
    const { store, standIn } = await open();
    standIn.failNext('items.create', '504-after-write');
    const created = await store.deliveries.create(aDelivery());
    expect(standIn.items('SaferExec Deliveries')).toHaveLength(1);
    expect(await store.deliveries.get(aDelivery().id)).toEqual(created);
    standIn.failNext('items.create', 'reset-after-write');
    await store.deliveries.create(aDelivery({ id: 'd-2' }));
    expect(standIn.items('SaferExec Deliveries')).toHaveLength(2);
  });

  it('still refuses a create of an id someone else already holds, even with the same content', async () => {
    const { store } = await open();
    await store.deliveries.create(aDelivery());
    const second = await store.deliveries.create(aDelivery()).catch((e: unknown) => e);
    expect(isStoreError(second, 'STORE.DUPLICATE')).toBe(true);
  });

  it('treats a retried update whose first answer was lost as done, not as a conflict', async () => {
    const { store, standIn } = await open();
    const created = await store.actions.create(anAction());
    standIn.failNext('items.update', '504-after-write');
    const updated = await store.actions.update({ ...anAction(), status: 'in-progress' }, created.version);
    expect(updated.version).not.toBe(created.version);
    expect(await store.actions.get('act-1')).toEqual(updated);
  });

  it('sends the SharePoint User-Agent and the bearer token to the stand-in host', async () => {
    const { standIn, store } = await open();
    await store.members.get('mem-none');
    expect(standIn.requests.length).toBeGreaterThan(0);
    expect(new Set(standIn.requests.map((r) => r.userAgent))).toEqual(new Set(['NONISV|SaferPlymouth|SaferExec/0.1.0']));
    expect(standIn.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('serves the sweep and "my actions" on a list past the view threshold with indexed filters only', async () => {
    const { standIn, store } = await open({ listViewThreshold: 30 });
    for (let i = 0; i < 40; i++) {
      await store.actions.create(
        anAction({
          id: `act-${String(i).padStart(3, '0')}`,
          meetingId: i % 2 ? 'mtg-1' : 'mtg-2',
          status: i % 3 === 0 ? 'closed' : 'open',
          owners: [{ kind: 'member', memberId: i % 4 === 0 ? 'mem-tn' : 'mem-am' }, { kind: 'group', groupId: 'grp-sf' }],
        }),
      );
    }
    const before = standIn.requests.length;
    const stillOpen = await listAll(store.actions, { statuses: ['open', 'in-progress', 'proposed-complete'] });
    const mine = await listAll(store.actions, { ownerMemberId: 'mem-tn', statuses: ['open'] });
    const meeting = await listAll(store.actions, { meetingId: 'mtg-1' });
    expect(stillOpen).toHaveLength(26);
    expect(mine.map((a) => a.id)).toEqual(['act-004', 'act-008', 'act-016', 'act-020', 'act-028', 'act-032']);
    expect(meeting).toHaveLength(20);
    const reads = standIn.requests.slice(before);
    expect(reads.every((r) => r.status === 200)).toBe(true);
    const filtered = reads.filter((r) => r.filterColumn);
    expect(filtered.length).toBeGreaterThan(0);
    for (const r of filtered) expect(['Status', 'OwnerKey', 'MeetingId', 'RecordId']).toContain(r.filterColumn);
    // The stand-in does refuse an unindexed filter on this list, so the check above means something.
    const refused = await standIn.fetch(`${standIn.baseUrl}/sites/${standIn.siteId}/lists/SaferExec%20Actions/items?$filter=${encodeURIComponent("fields/Body eq 'x'")}`, {
      headers: { Authorization: `Bearer ${standIn.token}`, Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' },
    });
    expect(refused.status).toBe(400);
  });

  it('loses and doubles nothing when one request in five fails', async () => {
    const { standIn, store, retry } = await open({ faults: { rate: 0.2, kinds: ['429', '503', '504-after-write', 'reset-after-write'], seed: 7 } }, recordingRetry(12));
    const ids = Array.from({ length: 30 }, (_, i) => `act-${String(i).padStart(3, '0')}`);
    for (const id of ids) await store.actions.create(anAction({ id }));
    for (const id of ids.slice(0, 20)) {
      const current = (await store.actions.get(id))!;
      await store.actions.update({ ...anAction({ id }), status: 'in-progress', history: [{ id: 'h1', at: 'x', byMemberId: null, kind: 'note', note: 'n', from: null, to: null }] }, current.version);
    }
    standIn.setFaults(undefined);
    const all = await listAll(store.actions, {});
    expect(all.map((a) => a.id)).toEqual(ids);
    expect(all.filter((a) => a.status === 'in-progress')).toHaveLength(20);
    expect(all.every((a) => a.history.length === (a.status === 'in-progress' ? 1 : 0))).toBe(true);
    expect(standIn.items('SaferExec Actions')).toHaveLength(30);
    const faults = standIn.requests.filter((r) => r.fault).map((r) => r.fault);
    expect(faults.length).toBeGreaterThan(5);
    // Lost answers to writes that did happen are the hard case: make sure the run had some.
    expect(faults.filter((f) => f === '504-after-write' || f === 'reset-after-write').length).toBeGreaterThan(0);
    expect(retry.waits.length).toBeGreaterThan(0);
  });

  it('refuses to open on a site that was never provisioned', async () => {
    const { startGraphStandIn } = await import('../stand-ins/graph-sharepoint.js');
    standIn = await startGraphStandIn();
    await expect(openStandInStore(standIn)).rejects.toThrow(/provision:sharepoint/);
  });
});



