/**
 * A bench child process running the server under test for card-action-latency.ts: the whole app
 * (startTestApp, on SQLite or on SharePoint lists over a Graph stand-in in another process), or
 * the bare echo bot. The app gets the load test's members and actions before it is measured.
 */
import { startTestApp, type TestApp } from '../support/app.js';
import { createCaTrustingFetch } from '../support/ca-trusting-fetch.js';
import type { TeamsUser } from '../stand-ins/bot-connector-activities.js';
import { benchAction, benchInitials, benchMember, benchMembership, benchTeamsUser } from './bench-board.js';
import { serveBenchCommands } from './bench-child.js';
import { startEchoBot } from './echo-bot.js';
import type { GraphEndpoint } from './stand-ins-process.js';

export interface LoadUser {
  readonly user: TeamsUser;
  readonly actions: { readonly id: string; version: string }[];
}

export interface HostStart {
  readonly kind: 'sqlite' | 'sharepoint' | 'echo';
  readonly graph?: GraphEndpoint;
  /** actionsPerUser[i]: how many actions user i owns. */
  readonly actionsPerUser: readonly number[];
}

let close: (() => Promise<void>) | undefined;

serveBenchCommands(
  {
    async start(args: HostStart): Promise<{ url: string; users: LoadUser[] }> {
      const users: LoadUser[] = args.actionsPerUser.map((count, i) => {
        const user = benchTeamsUser('load', i, benchInitials('Z', i));
        return { user, actions: Array.from({ length: count }, (_, k) => ({ id: `act-load-${String(i).padStart(3, '0')}-${String(k).padStart(3, '0')}`, version: '' })) };
      });
      if (args.kind === 'echo') {
        const echo = await startEchoBot();
        close = echo.close;
        return { url: echo.url, users };
      }
      let transport: ReturnType<typeof createCaTrustingFetch> | undefined;
      let app: TestApp;
      if (args.kind === 'sharepoint') {
        const graph = args.graph!;
        transport = createCaTrustingFetch(graph.ca, { maxSockets: 64 });
        app = await startTestApp({
          env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: graph.siteId, GRAPH_BASE_URL: graph.baseUrl },
          store: { graph: { fetch: transport.fetch, customHosts: [graph.host], tokenProvider: async () => graph.token } },
        });
      } else {
        app = await startTestApp();
      }
      close = async () => {
        await app.close();
        transport?.close();
      };
      for (const [i, load] of users.entries()) {
        const member = benchMember('load', i, load.user);
        await app.store.members.create(member);
        await app.store.memberships.create(benchMembership(member));
        for (const [k, action] of load.actions.entries()) {
          const created = await app.store.actions.create(benchAction(action.id, i * 100 + k, member.id, 'in-progress', '2026-12-15'));
          action.version = created.version;
        }
      }
      return { url: app.url, users };
    },
  },
  async () => {
    await close?.();
  },
);
