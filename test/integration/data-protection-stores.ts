import { snapshotStore } from '../security/fuzz-http.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import type { Store } from '../../bot/store/store.js';

/**
 * The data-protection tests run the whole app on each store: the embedded SQLite file, and
 * SharePoint lists on the Graph stand-in (the production SharePointStore and Graph middleware).
 */
export interface StoreUnderTest {
  readonly name: string;
  start(options?: { env?: Record<string, string> }): Promise<TestApp>;
}

export const STORES: readonly StoreUnderTest[] = [
  { name: 'SQLite', start: (options = {}) => startTestApp(options) },
  {
    name: 'SharePoint lists (Graph stand-in)',
    async start(options = {}) {
      const standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
      const app = await startTestApp({
        env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl, ...options.env },
        store: { graph: { fetch: standIn.fetch, customHosts: [standIn.host], retry: recordingRetry(10), tokenProvider: async () => standIn.token } },
      });
      return {
        ...app,
        async close() {
          await app.close();
          await standIn.close();
        },
      };
    },
  },
];

export type Snapshot = Record<string, { id: string; version: string }[]>;

export async function snapshot(store: Store): Promise<Snapshot> {
  return (await snapshotStore(store)) as Snapshot;
}

/** Which records each set lost, gained or changed (content or version) between two snapshots. */
export interface SetDiff {
  readonly removed: string[];
  readonly added: string[];
  readonly changed: string[];
}

export function diff(before: Snapshot, after: Snapshot): Record<string, SetDiff> {
  const out: Record<string, SetDiff> = {};
  for (const name of Object.keys(before)) {
    const was = new Map(before[name]!.map((r) => [r.id, JSON.stringify(r)]));
    const now = new Map((after[name] ?? []).map((r) => [r.id, JSON.stringify(r)]));
    const removed = [...was.keys()].filter((id) => !now.has(id)).sort();
    const added = [...now.keys()].filter((id) => !was.has(id)).sort();
    const changed = [...was.keys()].filter((id) => now.has(id) && now.get(id) !== was.get(id)).sort();
    if (removed.length || added.length || changed.length) out[name] = { removed, added, changed };
  }
  return out;
}

export function recordIn<T>(snap: Snapshot, set: string, id: string): T {
  const record = snap[set]?.find((r) => r.id === id);
  if (!record) throw new Error(`${set} ${id} is not in the snapshot`);
  return record as unknown as T;
}

/** A record without the fields a change is allowed to touch, to show the rest stayed as it was. */
export function without<T extends object>(record: T, ...fields: string[]): Partial<T> {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of ['version', ...fields]) delete copy[field];
  return copy as Partial<T>;
}
