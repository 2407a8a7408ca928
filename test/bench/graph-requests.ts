import { listAll } from '../../bot/store/store.js';
import type { Action } from '../../bot/domain/index.js';
import { provisionedStandIn, openStandInStore, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { anAction } from '../support/records.js';

/**
 * Graph requests per operation on the SharePoint store with 5,000 actions, next to what a
 * naive whole-list read would cost. Counted at the stand-in, so the figures are exact and
 * repeatable; they are what SharePoint's throttling budget is spent on.
 */
export async function benchGraphRequests(actionCount = 5000): Promise<Record<string, number | string>[]> {
  const standIn = await provisionedStandIn({ listViewThreshold: 5000 });
  const store = await openStandInStore(standIn, recordingRetry(3));
  try {
    const members = Array.from({ length: 40 }, (_, i) => `mem-${i}`);
    const meetings = Array.from({ length: 20 }, (_, i) => `mtg-${i}`);
    const statuses: Action['status'][] = ['open', 'in-progress', 'proposed-complete', 'closed', 'closed', 'closed', 'dropped'];
    for (let i = 0; i < actionCount; i++) {
      await store.actions.create(
        anAction({
          id: `act-${String(i).padStart(6, '0')}`,
          meetingId: meetings[i % meetings.length]!,
          owners: [{ kind: 'member', memberId: members[i % members.length]! }],
          status: statuses[i % statuses.length]!,
        }),
      );
    }
    /** Throttled requests (each $batch part counts, as SharePoint counts it) and HTTP round trips. */
    const measure = async (run: () => Promise<unknown>) => {
      const before = standIn.requests.length;
      await run();
      const made = standIn.requests.slice(before);
      return { requests: made.filter((r) => r.operation !== 'batch').length, roundTrips: made.filter((r) => !r.viaBatch).length };
    };
    // What the app would cost without indexed filters: one pass over the whole list, following @odata.nextLink.
    const naiveWholeListRead = async () => {
      const headers = { authorization: `Bearer ${standIn.token}` };
      const lists = (await (await standIn.fetch(`${standIn.baseUrl}/sites/${standIn.siteId}/lists`, { headers })).json()) as { value: { id: string; displayName: string }[] };
      const actionsList = lists.value.find((l) => l.displayName === 'SaferExec Actions')!;
      let next: string | undefined = `${standIn.baseUrl}/sites/${standIn.siteId}/lists/${actionsList.id}/items?expand=fields&$top=200`;
      while (next) {
        const page = (await (await standIn.fetch(next, { headers })).json()) as { '@odata.nextLink'?: string };
        next = page['@odata.nextLink'];
      }
    };
    const naive = (await measure(naiveWholeListRead)).requests - 1;
    const pagedThroughStore = (await measure(() => listAll(store.actions, {}))).requests;
    const rows = [
      { operation: `a member's actions (${Math.ceil(actionCount / members.length)} owned)`, ...(await measure(() => listAll(store.actions, { ownerMemberId: 'mem-7' }))) },
      { operation: 'sweep: open actions', ...(await measure(() => listAll(store.actions, { statuses: ['open', 'in-progress'] }))) },
      { operation: "a meeting's actions (matters arising)", ...(await measure(() => listAll(store.actions, { meetingId: 'mtg-3' }))) },
      {
        operation: 'one card update (read + versioned write)',
        ...(await measure(async () => {
          const action = (await store.actions.get('act-000123'))!;
          const { version, ...record } = action;
          await store.actions.update({ ...record, status: 'in-progress' }, version);
        })),
      },
    ];
    rows.push({ operation: 'whole log paged through the store (500 a page)', requests: pagedThroughStore, roundTrips: pagedThroughStore });
    return rows.map((r) => ({ operation: r.operation, 'Graph requests': r.requests, 'HTTP round trips': r.roundTrips, 'naive whole-list read': naive, actions: actionCount }));
  } finally {
    await store.close();
    await standIn.close();
  }
}
