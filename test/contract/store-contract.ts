import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError, listAll, type RecordSet, type Store, type Versioned } from '../../bot/store/store.js';
import { aDelivery, aMeeting, aMember, anAction, aThemeReport } from '../support/records.js';

export interface StoreHarness {
  /** A new, empty store. */
  open(): Promise<Store>;
  /** Tear down whatever open() started (stand-in servers, temp files). */
  dispose?(): Promise<void>;
}

async function expectStoreError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStoreError(error), `expected a StoreError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

/** Every record of a query, by walking list() to the end with small pages. */
async function pageThrough<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, query: Q, limit: number): Promise<Versioned<T>[]> {
  const seen: Versioned<T>[] = [];
  let continuation: string | undefined;
  do {
    const page = await set.list(query, { limit, ...(continuation ? { continuation } : {}) });
    seen.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return seen;
}

/**
 * The behaviour every Store adapter must have. Run unchanged against each adapter:
 * if an adapter fails it, the adapter is wrong, not the test.
 */
export function storeContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.dispose?.();
    });

    it('creates a record with a version and reads it back unchanged', async () => {
      const created = await store.members.create(aMember());
      expect(created.version).toEqual(expect.any(String));
      const read = await store.members.get('mem-tn');
      expect(read).toEqual(created);
    });

    it('returns undefined for a record that does not exist', async () => {
      expect(await store.actions.get('act-missing')).toBeUndefined();
    });

    it('refuses a second create with the same id, so keyed creates are idempotent', async () => {
      await store.deliveries.create(aDelivery());
      await expectStoreError(store.deliveries.create(aDelivery({ attempts: 5 })), 'STORE.DUPLICATE');
      expect((await store.deliveries.get(aDelivery().id))?.attempts).toBe(0);
    });

    it('updates with the current version and gives a new version', async () => {
      const created = await store.actions.create(anAction());
      const updated = await store.actions.update({ ...anAction(), status: 'in-progress' }, created.version);
      expect(updated.version).not.toBe(created.version);
      expect((await store.actions.get('act-1'))?.status).toBe('in-progress');
    });

    it('lets only one of two writers holding the same version win', async () => {
      const created = await store.actions.create(anAction());
      await store.actions.update({ ...anAction(), status: 'in-progress' }, created.version);
      await expectStoreError(store.actions.update({ ...anAction(), status: 'dropped' }, created.version), 'STORE.CONFLICT');
      expect((await store.actions.get('act-1'))?.status).toBe('in-progress');
    });

    it('settles concurrent writers from one version with exactly one winner', async () => {
      const created = await store.actions.create(anAction());
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.actions.update({ ...anAction(), history: [{ id: `u${i}`, at: 'x', byMemberId: null, kind: 'note', note: `n${i}`, from: null, to: null }] }, created.version),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === 'rejected')) {
        expect(isStoreError((o as PromiseRejectedResult).reason, 'STORE.CONFLICT')).toBe(true);
      }
      expect((await store.actions.get('act-1'))?.history).toHaveLength(1);
    });

    it('reports NOT_FOUND when updating a record that does not exist', async () => {
      await expectStoreError(store.actions.update(anAction({ id: 'act-none' }), '1'), 'STORE.NOT_FOUND');
    });

    it('deletes only at the expected version', async () => {
      const created = await store.installs.create({
        id: 'a:conv-1',
        scope: 'personal',
        tenantId: 't',
        serviceUrl: 'https://smba.trafficmanager.net/uk/',
        teamId: null,
        channelId: null,
        memberId: 'mem-tn',
        teamsUserId: '29:1',
        installedAt: '2026-01-01T00:00:00.000Z',
        reference: { conversation: { id: 'a:conv-1' } },
      });
      const bumped = await store.installs.update({ ...created, memberId: 'mem-am' }, created.version);
      await expectStoreError(store.installs.delete('a:conv-1', created.version), 'STORE.CONFLICT');
      await store.installs.delete('a:conv-1', bumped.version);
      expect(await store.installs.get('a:conv-1')).toBeUndefined();
    });

    it('keeps nested fields exactly: owners, due, history, report versions, references', async () => {
      const action = anAction({
        owners: [
          { kind: 'member', memberId: 'mem-tn' },
          { kind: 'group', groupId: 'grp-safer-families' },
        ],
        due: { kind: 'date', date: '2026-12-01' },
        dateChangeRequest: { requestedByMemberId: 'mem-tn', requestedAt: '2026-11-20T10:00:00.000Z', proposedDate: '2027-01-10', reason: 'Waiting on "OPCC" & <data>' },
        history: [{ id: 'h1', at: '2026-11-20T10:00:00.000Z', byMemberId: 'mem-tn', kind: 'note', note: "Line 1\nLine 2 'quoted' — ünïcode", from: null, to: null }],
      });
      await store.actions.create(action);
      const { version: _v, ...read } = (await store.actions.get('act-1'))!;
      expect(read).toEqual(action);

      const report = aThemeReport({
        versions: [{ submittedAt: '2026-11-01T09:00:00.000Z', submittedByMemberId: 'mem-hs', content: { progress: 'p', asks: '', risks: 'r', data: 'd', rag: 'amber' } }],
      });
      await store.themeReports.create(report);
      const { version: _r, ...readReport } = (await store.themeReports.get(report.id))!;
      expect(readReport).toEqual(report);
    });

    it('filters actions by owner member, owner group, meeting, theme and status', async () => {
      await store.actions.create(anAction({ id: 'act-1', owners: [{ kind: 'member', memberId: 'mem-tn' }], themeId: 'thm-sc' }));
      await store.actions.create(anAction({ id: 'act-2', owners: [{ kind: 'group', groupId: 'grp-sf' }], status: 'closed' }));
      await store.actions.create(anAction({ id: 'act-3', meetingId: 'mtg-2', owners: [{ kind: 'member', memberId: 'mem-am' }, { kind: 'member', memberId: 'mem-tn' }] }));
      const ids = async (q: Parameters<Store['actions']['list']>[0]) => (await listAll(store.actions, q)).map((a) => a.id);
      expect(await ids({ ownerMemberId: 'mem-tn' })).toEqual(['act-1', 'act-3']);
      expect(await ids({ ownerGroupId: 'grp-sf' })).toEqual(['act-2']);
      expect(await ids({ meetingId: 'mtg-2' })).toEqual(['act-3']);
      expect(await ids({ themeId: 'thm-sc' })).toEqual(['act-1']);
      expect(await ids({ statuses: ['open', 'in-progress'] })).toEqual(['act-1', 'act-3']);
      expect(await ids({ statuses: ['closed'], ownerGroupId: 'grp-sf' })).toEqual(['act-2']);
      expect(await ids({ statuses: [] })).toEqual([]);
    });

    it('follows owner changes in owner queries', async () => {
      const created = await store.actions.create(anAction());
      await store.actions.update({ ...anAction(), owners: [{ kind: 'member', memberId: 'mem-am' }] }, created.version);
      expect((await listAll(store.actions, { ownerMemberId: 'mem-tn' })).map((a) => a.id)).toEqual([]);
      expect((await listAll(store.actions, { ownerMemberId: 'mem-am' })).map((a) => a.id)).toEqual(['act-1']);
    });

    it('pages through a list with continuation tokens, every record once, in order', async () => {
      for (let i = 0; i < 23; i++) await store.actions.create(anAction({ id: `act-${String(i).padStart(3, '0')}` }));
      const seen: string[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await store.actions.list({}, { limit: 5, ...(continuation ? { continuation } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((a) => a.id));
        continuation = page.continuation;
        pages++;
      } while (continuation);
      expect(pages).toBe(5);
      expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `act-${String(i).padStart(3, '0')}`));
    });

    it('reads everything a query matches in one all(), exactly as paging through list() does', async () => {
      const statuses = ['open', 'in-progress', 'closed', 'dropped'] as const;
      const owners = [
        [{ kind: 'member' as const, memberId: 'mem-tn' }],
        [{ kind: 'member' as const, memberId: 'mem-am' }],
        [{ kind: 'group' as const, groupId: 'grp-sf' }],
        [
          { kind: 'member' as const, memberId: 'mem-am' },
          { kind: 'member' as const, memberId: 'mem-tn' },
        ],
      ];
      // Created out of order, across more items than one Graph page, so order comes from the sort.
      const order = Array.from({ length: 19 }, (_, i) => (i * 7) % 19);
      for (const i of order) {
        const id = `act-${String(i).padStart(3, '0')}`;
        await store.actions.create(anAction({ id, meetingId: `mtg-${i % 3}`, status: statuses[i % 4]!, owners: owners[i % 4]!, themeId: i % 2 ? 'thm-sc' : null }));
      }
      const queries: Parameters<Store['actions']['list']>[0][] = [
        {},
        { ownerMemberId: 'mem-tn' },
        { ownerMemberId: 'mem-am' },
        { ownerGroupId: 'grp-sf' },
        { statuses: ['open', 'in-progress'] },
        { statuses: ['closed'] },
        { statuses: [] },
        { meetingId: 'mtg-1' },
        { meetingId: 'mtg-2', statuses: ['open'] },
        { ownerMemberId: 'mem-tn', statuses: ['open', 'in-progress'] },
        { themeId: 'thm-sc' },
        { ownerMemberId: 'mem-nobody' },
      ];
      const expectSame = async () => {
        for (const query of queries) {
          const all = await store.actions.all(query);
          expect(all, JSON.stringify(query)).toEqual(await pageThrough(store.actions, query, 3));
          expect(await listAll(store.actions, query), JSON.stringify(query)).toEqual(all);
        }
      };
      await expectSame();
      expect((await store.actions.all({})).map((a) => a.id)).toEqual(Array.from({ length: 19 }, (_, i) => `act-${String(i).padStart(3, '0')}`));

      // Updates move records between owners, statuses and meetings; all() follows them as list() does.
      for (const i of [0, 3, 5, 8, 13]) {
        const id = `act-${String(i).padStart(3, '0')}`;
        const { version, ...record } = (await store.actions.get(id))!;
        await store.actions.update(
          { ...record, owners: [{ kind: 'member', memberId: i % 2 ? 'mem-tn' : 'mem-new' }], status: i % 2 ? 'closed' : 'in-progress', meetingId: 'mtg-1' },
          version,
        );
      }
      queries.push({ ownerMemberId: 'mem-new' });
      await expectSame();
      expect((await store.actions.all({ ownerMemberId: 'mem-new' })).map((a) => a.id)).toEqual(['act-000', 'act-008']);
      expect((await store.actions.all({ ownerMemberId: 'mem-tn' })).map((a) => a.id)).not.toContain('act-000');
    });

    it('reads other record sets in one all() in their documented order, as list() pages them', async () => {
      for (const [id, date, groupId] of [
        ['mtg-d', '2026-10-20', 'grp-exec'],
        ['mtg-a', '2026-10-20', 'grp-exec'],
        ['mtg-c', '2026-07-28', 'grp-other'],
        ['mtg-b', '2027-01-19', 'grp-exec'],
      ] as const) {
        await store.meetings.create(aMeeting({ id, date, groupId }));
      }
      for (const query of [{}, { groupId: 'grp-exec' }, { fromDate: '2026-08-01' }, { groupId: 'grp-exec', toDate: '2026-12-31' }]) {
        expect(await store.meetings.all(query), JSON.stringify(query)).toEqual(await pageThrough(store.meetings, query, 1));
      }
      expect((await store.meetings.all({})).map((m) => m.id)).toEqual(['mtg-c', 'mtg-a', 'mtg-d', 'mtg-b']);

      await store.members.create(aMember({ id: 'mem-tn', initials: 'TN' }));
      await store.members.create(aMember({ id: 'mem-am', initials: 'AM', name: 'Anna Moss', email: 'am@example.org' }));
      expect(await store.members.all({})).toEqual(await pageThrough(store.members, {}, 1));
      expect((await store.members.all({ initials: 'am' })).map((m) => m.id)).toEqual(['mem-am']);
      expect(await store.deliveries.all({ status: 'failed' })).toEqual([]);
    });

    it('rejects a continuation token it did not issue', async () => {
      await expectStoreError(store.actions.list({}, { continuation: 'not-a-token' }), 'STORE.BAD_CONTINUATION');
    });

    it('orders meetings by date and filters them by group and date range', async () => {
      await store.meetings.create(aMeeting({ id: 'mtg-b', date: '2026-10-20' }));
      await store.meetings.create(aMeeting({ id: 'mtg-a', date: '2026-07-28' }));
      await store.meetings.create(aMeeting({ id: 'mtg-c', date: '2027-01-19' }));
      await store.meetings.create(aMeeting({ id: 'mtg-x', date: '2026-08-01', groupId: 'grp-other' }));
      expect((await listAll(store.meetings, { groupId: 'grp-exec' })).map((m) => m.id)).toEqual(['mtg-a', 'mtg-b', 'mtg-c']);
      expect((await listAll(store.meetings, { groupId: 'grp-exec', fromDate: '2026-08-01', toDate: '2026-12-31' })).map((m) => m.id)).toEqual(['mtg-b']);
    });

    it('finds members by initials, Entra object id, Teams id and email (case-insensitive)', async () => {
      await store.members.create(aMember({ entraObjectId: 'oid-1', teamsUserId: '29:abc', email: 'Tracey.N@Example.org' }));
      await store.members.create(aMember({ id: 'mem-am', initials: 'AM', name: 'Anna Moss', email: 'am@example.org' }));
      expect((await listAll(store.members, { initials: 'tn' })).map((m) => m.id)).toEqual(['mem-tn']);
      expect((await listAll(store.members, { entraObjectId: 'oid-1' })).map((m) => m.id)).toEqual(['mem-tn']);
      expect((await listAll(store.members, { teamsUserId: '29:abc' })).map((m) => m.id)).toEqual(['mem-tn']);
      expect((await listAll(store.members, { email: 'tracey.n@example.org' })).map((m) => m.id)).toEqual(['mem-tn']);
      expect((await listAll(store.members, {})).map((m) => m.initials)).toEqual(['AM', 'TN']);
    });

    it('filters memberships, theme reports, installs and deliveries on their keys', async () => {
      const membership = { groupId: 'grp-exec', memberId: 'mem-tn', role: 'member' as const, decisionMaker: false, deputyForMemberId: null, startDate: '2020-01-01', endDate: null };
      await store.memberships.create({ id: 'ms-1', ...membership });
      await store.memberships.create({ id: 'ms-2', ...membership, groupId: 'grp-sf' });
      expect((await listAll(store.memberships, { memberId: 'mem-tn', groupId: 'grp-sf' })).map((m) => m.id)).toEqual(['ms-2']);

      await store.themeReports.create(aThemeReport());
      await store.themeReports.create(aThemeReport({ id: 'rnd-2:thm-da', roundId: 'rnd-2' }));
      expect((await listAll(store.themeReports, { roundId: 'rnd-2' })).map((r) => r.id)).toEqual(['rnd-2:thm-da']);
      expect((await listAll(store.themeReports, { leadMemberId: 'mem-hs' })).length).toBe(2);

      await store.deliveries.create(aDelivery({ id: 'd1', status: 'sent' }));
      await store.deliveries.create(aDelivery({ id: 'd2', status: 'failed' }));
      await store.deliveries.create(aDelivery({ id: 'd3', status: 'skipped', failureCode: 'NOTHING_TO_SEND' }));
      expect((await listAll(store.deliveries, { status: 'failed' })).map((d) => d.id)).toEqual(['d2']);
      expect((await listAll(store.deliveries, { status: 'skipped' })).map((d) => d.id)).toEqual(['d3']);
    });
  });
}
