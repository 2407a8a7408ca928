import { provisionSharePoint } from '../../scripts/provision-sharepoint.js';
import { createGraphSiteClient, type GraphSiteClient, type RetryPolicy } from '../../bot/store/sharepoint/graph-client.js';
import { createTokenProvider } from '../../bot/store/sharepoint/credentials.js';
import { createSharePointStore, type ReadModelOptions, type SharePointStore } from '../../bot/store/sharepoint/sharepoint-store.js';
import { startGraphStandIn, type GraphStandIn, type GraphStandInOptions } from '../stand-ins/graph-sharepoint.js';

/** Retries without real waiting: the waits asked for are recorded instead. */
export function recordingRetry(maxAttempts = 8): RetryPolicy & { readonly waits: number[] } {
  const waits: number[] = [];
  return { maxAttempts, waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** A graph client for the stand-in, on the production middleware chain with the test transport. */
export function standInGraphClient(standIn: GraphStandIn, retry: RetryPolicy = recordingRetry()): GraphSiteClient {
  return createGraphSiteClient({
    baseUrl: standIn.baseUrl,
    siteId: standIn.siteId,
    getToken: createTokenProvider({ kind: 'static', token: standIn.token }),
    customHosts: [standIn.host],
    retry,
    fetch: standIn.fetch,
  });
}

/** A SharePoint store on the stand-in's site; `readModel` sets its freshness windows (defaults as in production). */
export function openStandInStore(standIn: GraphStandIn, retry: RetryPolicy = recordingRetry(), readModel: ReadModelOptions = {}): Promise<SharePointStore> {
  return createSharePointStore({
    graphBaseUrl: standIn.baseUrl,
    siteId: standIn.siteId,
    tokenProvider: createTokenProvider({ kind: 'static', token: standIn.token }),
    customHosts: [standIn.host],
    retry,
    fetch: standIn.fetch,
    ...readModel,
  });
}

/** A fresh stand-in with the lists provisioned by the real provisioning script. */
export async function provisionedStandIn(options: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const standIn = await startGraphStandIn(options);
  const report = await provisionSharePoint(standInGraphClient(standIn));
  if (report.problems.length) throw new Error(`Provisioning the stand-in failed: ${report.problems.join('; ')}`);
  return standIn;
}
