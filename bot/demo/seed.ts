import { londonDate } from '../domain/index.js';
import type { Store } from '../store/store.js';
import { buildDemoData, EXEC_GROUP_ID } from './demo-data.js';

/**
 * Loads the demo into an empty store. An existing store is never touched: the check is
 * "has the Exec group" (groups are written last), so a restart, or a second server on the same data, seeds nothing.
 * Records are created with their ids, so a seed interrupted half way completes on the next start.
 */
export async function seedDemoIfEmpty(store: Store, now: Date): Promise<'seeded' | 'already-present'> {
  if (await store.groups.get(EXEC_GROUP_ID)) return 'already-present';
  const data = buildDemoData(londonDate(now), now);
  const put = async <T extends { id: string }>(set: { get(id: string): Promise<unknown>; create(r: T): Promise<unknown> }, records: T[]) => {
    for (const record of records) if (!(await set.get(record.id))) await set.create(record);
  };
  await put(store.organisations, data.organisations);
  await put(store.members, data.members);
  await put(store.themes, data.themes);
  await put(store.memberships, data.memberships);
  await put(store.meetings, data.meetings);
  await put(store.actions, data.actions);
  await put(store.reportRounds, data.reportRounds);
  await put(store.themeReports, data.themeReports);
  // Groups last: the Exec group's presence is what says "seeded".
  await put(store.groups, data.groups);
  return 'seeded';
}
