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

let duplicates400StandIn: GraphStandIn | undefined;
storeContract('SharePointStore over a Graph stand-in that answers duplicates with 400, not 409', {
  async open() {
    duplicates400StandIn = await provisionedStandIn({ maxPageSize: 7, duplicateStatus: 400 });
    return openStandInStore(duplicates400StandIn);
  },
  async dispose() {
    await duplicates400StandIn?.close();
    duplicates400StandIn = undefined;
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

  it('serves the sweep, "my actions" and a meeting\'s actions past the view threshold from memory: one delta call each, no filtered query', async () => {
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
    expect(reads.map((r) => `${r.operation} ${r.status}`)).toEqual(['items.delta 200', 'items.delta 200', 'items.delta 200']);
    // No owner index list any more: owners are answered from the actions themselves.
    expect(standIn.requests.some((r) => r.operation === 'lists.create' && /Owner/.test(r.path))).toBe(false);
  });

  it('sees what another instance wrote, changed and deleted at the next read, through delta', async () => {
    const { standIn, store } = await open({ maxPageSize: 4 });
    for (let i = 0; i < 10; i++) await store.actions.create(anAction({ id: `act-${i}` }));
    expect(await listAll(store.actions, {})).toHaveLength(10);
    const other = await openStandInStore(standIn);
    const changed = (await other.actions.get('act-3'))!;
    await other.actions.update({ ...anAction({ id: 'act-3' }), status: 'closed' }, changed.version);
    await other.actions.delete('act-5', (await other.actions.get('act-5'))!.version);
    await other.actions.create(anAction({ id: 'act-new' }));
    const before = standIn.requests.length;
    const all = await listAll(store.actions, {});
    expect(all.map((a) => a.id)).toEqual(['act-0', 'act-1', 'act-2', 'act-3', 'act-4', 'act-6', 'act-7', 'act-8', 'act-9', 'act-new']);
    expect(all.find((a) => a.id === 'act-3')?.status).toBe('closed');
    expect(await store.actions.get('act-5')).toBeUndefined();
    expect(standIn.requests.slice(before).map((r) => r.operation)).toEqual(['items.delta', 'items.delta']);
    // A write from the stale read this store held is refused, and the next read has the change.
    const stale = await store.actions.update({ ...anAction({ id: 'act-3' }), status: 'dropped' }, changed.version).catch((e: unknown) => e);
    expect(isStoreError(stale, 'STORE.CONFLICT')).toBe(true);
    expect((await store.actions.get('act-3'))?.status).toBe('closed');
  });

  it('trusts the directory for a short while, but asks again at once after a conflict there', async () => {
    const { standIn, store } = await open();
    const created = await store.members.create(aMember());
    await store.members.get('mem-tn');
    const other = await openStandInStore(standIn);
    await other.members.update({ ...aMember(), jobTitle: 'Changed elsewhere' }, (await other.members.get('mem-tn'))!.version);
    // Within the window this instance still shows what it wrote itself...
    expect((await store.members.get('mem-tn'))?.jobTitle).toBe(aMember().jobTitle);
    // ...its write from that read is refused, and the next read has the other instance's change.
    const stale = await store.members.update({ ...aMember(), jobTitle: 'Mine' }, created.version).catch((e: unknown) => e);
    expect(isStoreError(stale, 'STORE.CONFLICT')).toBe(true);
    expect((await store.members.get('mem-tn'))?.jobTitle).toBe('Changed elsewhere');
  });

  it('starts again from the Location of a 410 Gone when its delta token has expired, and reads the same records', async () => {
    const { standIn, store } = await open({ maxPageSize: 3 });
    for (let i = 0; i < 7; i++) await store.deliveries.create(aDelivery({ id: `d-${i}` }));
    expect(await listAll(store.deliveries, {})).toHaveLength(7);
    const other = await openStandInStore(standIn);
    await other.deliveries.delete('d-2', (await other.deliveries.get('d-2'))!.version);
    standIn.expireDeltaTokens('SaferExec Deliveries');
    const before = standIn.requests.length;
    expect((await listAll(store.deliveries, {})).map((d) => d.id)).toEqual(['d-0', 'd-1', 'd-3', 'd-4', 'd-5', 'd-6']);
    const statuses = standIn.requests.slice(before).map((r) => `${r.operation} ${r.status}`);
    expect(statuses[0]).toBe('items.delta 410');
    expect(statuses.slice(1).every((s) => s === 'items.delta 200')).toBe(true);
    // And the fresh token works from then on: one call, nothing new.
    const after = standIn.requests.length;
    expect(await listAll(store.deliveries, {})).toHaveLength(6);
    expect(standIn.requests.slice(after).map((r) => `${r.operation} ${r.status}`)).toEqual(['items.delta 200']);
  });

  it('falls back to full reads when Graph refuses delta on the lists, and stays correct', async () => {
    const { standIn, store } = await open({ refuseDelta: true, maxPageSize: 4 });
    for (let i = 0; i < 6; i++) await store.actions.create(anAction({ id: `act-${i}`, status: i % 2 ? 'open' : 'closed' }));
    expect((await listAll(store.actions, { statuses: ['open'] })).map((a) => a.id)).toEqual(['act-1', 'act-3', 'act-5']);
    expect(store.readModels.get('actions')?.syncMode).toBe('full');
    expect(standIn.count('items.list')).toBeGreaterThan(0);
    const other = await openStandInStore(standIn);
    await other.actions.update({ ...anAction({ id: 'act-0' }), status: 'open' }, (await other.actions.get('act-0'))!.version);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await listAll(store.actions, { statuses: ['open'] })).map((a) => a.id)).toEqual(['act-0', 'act-1', 'act-3', 'act-5']);
  });

  it('asks Graph for each list\'s changes once per request, however often a request reads it', async () => {
    const { standIn, store } = await open();
    await store.actions.create(anAction());
    await store.members.create(aMember());
    await listAll(store.members, {});
    const before = standIn.requests.length;
    await store.runInRequest(async () => {
      await store.actions.get('act-1');
      await Promise.all([store.actions.get('act-1'), listAll(store.actions, { ownerMemberId: 'mem-tn' }), store.members.get('mem-tn')]);
      const read = (await store.actions.get('act-1'))!;
      await store.actions.update({ ...anAction(), status: 'in-progress' }, read.version);
      expect((await store.actions.get('act-1'))?.status).toBe('in-progress');
    });
    // One delta for actions, none for members (read a moment ago, a list that rarely changes), one PATCH.
    expect(standIn.requests.slice(before).map((r) => r.operation)).toEqual(['items.delta', 'items.update']);
  });

  it('keeps a record it wrote while its first read of the list was still paging', async () => {
    const { standIn } = await open({ maxPageSize: 2 });
    const writer = await openStandInStore(standIn);
    for (let i = 0; i < 9; i++) await writer.actions.create(anAction({ id: `act-${i}` }));
    const fresh = await openStandInStore(standIn);
    const seen = await fresh.runInRequest(async () => {
      const [all] = await Promise.all([listAll(fresh.actions, {}), fresh.actions.create(anAction({ id: 'act-mine' }))]);
      // Inside the request the list is not asked again: this is memory speaking.
      return { listed: all.length, mine: await fresh.actions.get('act-mine') };
    });
    expect(seen.listed).toBeGreaterThanOrEqual(9);
    expect(seen.mine?.id).toBe('act-mine');
    // And one it changed while a fresh enumeration (after a 410) was paging past it.
    const last = (await fresh.actions.get('act-8'))!;
    standIn.expireDeltaTokens('SaferExec Actions');
    const changed = await fresh.runInRequest(async () => {
      await Promise.all([listAll(fresh.actions, {}), fresh.actions.update({ ...anAction({ id: 'act-8' }), status: 'closed' }, last.version)]);
      return fresh.actions.get('act-8');
    });
    expect(changed?.status).toBe('closed');
  });

  it('reads back before calling a 400 or 409 a duplicate: a bad create is not a duplicate', async () => {
    const { store, standIn } = await open({ duplicateStatus: 400 });
    await store.deliveries.create(aDelivery());
    const second = await store.deliveries.create(aDelivery()).catch((e: unknown) => e);
    expect(isStoreError(second, 'STORE.DUPLICATE')).toBe(true);
    // A list that lost a column answers creates 400 too: nothing exists, so it is not a duplicate.
    standIn.dropColumn('SaferExec Members', 'EmailKey');
    const refused = await store.members.create(aMember()).catch((e: unknown) => e);
    expect(isStoreError(refused)).toBe(false);
    expect(String(refused)).toMatch(/HTTP 400/);
    expect(await store.members.get('mem-tn')).toBeUndefined();
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



