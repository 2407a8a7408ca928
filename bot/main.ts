import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig, type Config } from './config.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { makeServer } from './http/server.js';
import type { JWTVerifyGetKey } from 'jose';
import { EntraSsoValidator } from './http/sso-validator.js';
import { tabApiRoutes } from './http/tab-api.js';
import { createJsonLogger, type Logger } from './observability/logger.js';
import { systemClock, type Clock } from './services/clock.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { createSharePointStore, type SharePointStoreOptions } from './store/sharepoint/sharepoint-store.js';
import { createTokenProvider, credentialConfigFromSettings, graphScopeFor } from './store/sharepoint/credentials.js';
import type { Store } from './store/store.js';
import { botEndpoint, createBotAdapter, type BotTokenAuthority } from './teams/bot-adapter.js';
import { botSettingsFrom } from './teams/bot-settings.js';
import { wireBot } from './teams/bot-wiring.js';
import { botAdminRoutes } from './http/bot-admin-api.js';
import { retentionPolicyFrom, startPurgeScheduler } from './services/retention.js';
import type { SweepResult } from './services/sweep.js';
import { graphAttendanceReports } from './graph/attendance-reports.js';
import type { AttendanceReportsPort } from './services/attendance-import.js';
import { createGraphSiteClient } from './store/sharepoint/graph-client.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The one place that picks adapters and wires services: everything else receives what it needs. */
/**
 * What a test may swap when it runs the app on the Graph stand-in: the transport (its own CA),
 * the host the client may send the token to, the retry waits, a static token, and how long the
 * directory is trusted (so a test need not wait 15 s). The store and the Graph middleware are
 * the production ones.
 */
export interface StoreOptions {
  readonly graph?: Partial<Pick<SharePointStoreOptions, 'fetch' | 'customHosts' | 'retry' | 'tokenProvider' | 'directoryFreshForMs'>>;
}

export async function openStore(config: Config, options: StoreOptions = {}): Promise<Store> {
  if (config.STORE === 'sharepoint') {
    return createSharePointStore({
      graphBaseUrl: config.GRAPH_BASE_URL,
      siteId: config.SHAREPOINT_SITE_ID!,
      tokenProvider: options.graph?.tokenProvider ?? createTokenProvider(credentialConfigFromSettings(config), graphScopeFor(config.GRAPH_BASE_URL)),
      ...options.graph,
    });
  }
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore({ filename: join(dataDir, 'safer-exec.db') });
}

/** Teams attendance reports through Graph, only when ATTENDANCE_FROM_GRAPH=true; the same identity and transport as the store. */
function attendanceReportsFrom(config: Config, options: StoreOptions = {}): AttendanceReportsPort | null {
  if (!config.ATTENDANCE_FROM_GRAPH) return null;
  const graph = options.graph ?? {};
  return graphAttendanceReports(
    createGraphSiteClient({
      baseUrl: config.GRAPH_BASE_URL,
      // The client is site-scoped for the store; attendance reports are under /users, not the site.
      siteId: config.SHAREPOINT_SITE_ID ?? 'none',
      getToken: graph.tokenProvider ?? createTokenProvider(credentialConfigFromSettings(config)),
      ...(graph.fetch ? { fetch: graph.fetch } : {}),
      ...(graph.customHosts ? { customHosts: graph.customHosts } : {}),
      ...(graph.retry ? { retry: graph.retry } : {}),
    }),
  );
}

export interface RunningApp {
  readonly url: string;
  readonly store: Store;
  /** Runs one sweep at the given instant (what the scheduler and `npm run sweep` do). */
  sweep(now: Date): Promise<SweepResult>;
  close(): Promise<void>;
}

export async function startApp(config: Config, options: {
    logger?: Logger;
    clock?: Clock;
    host?: string;
    store?: StoreOptions;
    /** Where the bot endpoint fetches its token-signing keys; botbuilder's Microsoft defaults when absent. */
    botTokenAuthority?: BotTokenAuthority;
    /** Where the tab's SSO validator gets the tenant's signing keys; the tenant's published JWKS when absent. */
    tabSsoKeys?: JWTVerifyGetKey;
  } = {}): Promise<RunningApp> {
  const logger = options.logger ?? createJsonLogger();
  const clock = options.clock ?? systemClock;
  const store = await openStore(config, options.store);
  if (config.SEED_DEMO) {
    const seeded = await seedDemoIfEmpty(store, clock.now());
    logger.log('info', 'demo.seed', { outcome: seeded });
  }
  const bot = createBotAdapter(config, logger, options.botTokenAuthority);
  const botWiring = wireBot({ config, settings: botSettingsFrom(config), adapter: bot.adapter, store, clock, logger });
  const purge = config.SCHEDULER === 'on' ? startPurgeScheduler({ store, clock, logger, policy: retentionPolicyFrom(config), hour: config.PURGE_HOUR }) : null;
  const identity = {
    localMode: config.localMode,
    ...(config.TAB_CLIENT_ID && config.ENTRA_TENANT_ID
      ? {
          sso: new EntraSsoValidator({
            tenantId: config.ENTRA_TENANT_ID,
            clientId: config.TAB_CLIENT_ID,
            ...(config.TAB_APP_ID_URI ? { appIdUri: config.TAB_APP_ID_URI } : {}),
            ...(options.tabSsoKeys ? { keys: options.tabSsoKeys } : {}),
          }),
        }
      : {}),
  };
  const server = makeServer({
    routes: [...tabApiRoutes({ store, clock, identity, attendanceReports: attendanceReportsFrom(config, options.store) }), ...botAdminRoutes({ store, clock, identity, teamReach: botWiring.teamReach })],
    bot: botEndpoint(bot, botWiring.bot, logger),
    tabDistDir: join(projectRoot, 'tab', 'dist'),
    logger,
    health: async () => {
      await store.groups.list({}, { limit: 1 });
      return { ok: true, store: config.STORE };
    },
  });
  // One store request per HTTP request: a store that keeps a read model (SharePoint) then asks
  // Graph for each list's changes once per request, however many reads the services make.
  const inRequest = store.runInRequest?.bind(store);
  if (inRequest) server.use(function storeRequestScope(_req, _res, next) { inRequest(() => next()); });
  // Without credentials nothing authenticates the bot endpoint: never expose it beyond this machine.
  const host = config.localMode ? '127.0.0.1' : (options.host ?? '0.0.0.0');
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, host, () => resolveListen());
  });
  const address = server.address();
  const url = `http://${host}:${address.port}`;
  if (config.localMode) {
    logger.log('warn', 'server.local_mode', { host, port: address.port, mode: 'no bot credentials: loopback only; X-Dev-User accepted from loopback' });
  }
  logger.log('info', 'server.listening', { host, port: address.port, store: config.STORE });
  return {
    url,
    store,
    sweep: (now) => botWiring.sweep(now),
    async close() {
      botWiring.stop();
      purge?.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let app: RunningApp;
  try {
    app = await startApp(config);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `Port ${config.PORT} is already in use (another Safer Exec, or the Playground's app server?).\n` +
          `Stop that process, or choose another port: PORT=${config.PORT + 1} npm start\n`,
      );
      process.exit(3);
    }
    throw error;
  }
  process.stdout.write(`Safer Exec is running at ${app.url} (tab: ${app.url}/tab/, health: ${app.url}/healthz)\n`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
