import { Agent, request } from 'node:http';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import { startBotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { execute, personal } from '../stand-ins/bot-connector-activities.js';
import { forkBenchChild } from './bench-child.js';
import type { HostStart, LoadUser } from './card-action-host.js';
import { median, mulberry32, percentile, round } from './bench-stats.js';
import { forkStandIns, type StandInsProcess } from './stand-ins-process.js';

type Server = 'echo' | 'sqlite' | 'sharepoint';

/**
 * How a level's users press. Back-to-back (no think time) finds the most presses per second the
 * server can take: at 50 users the latency is then mostly the queue (Little's law: 50 ÷ presses per
 * second), so it measures the two shared cores as much as the app. With think time each user waits
 * a random while (exponential, this mean) between seeing a card and pressing again, as people do.
 */
interface LoadShape {
  readonly users: number;
  readonly thinkMs: number;
}

const DEFAULT_LEVELS: readonly LoadShape[] = [
  { users: 1, thinkMs: 0 },
  { users: 10, thinkMs: 0 },
  { users: 50, thinkMs: 0 },
  // A person reads a card before pressing it: even 1 s between presses is several times faster than anyone works.
  { users: 50, thinkMs: 1000 },
  { users: 50, thinkMs: 250 },
];

const shapeKey = (shape: LoadShape) => `${shape.users}/${shape.thinkMs}`;
const shapeLabel = (shape: LoadShape) => (shape.thinkMs === 0 ? 'back-to-back' : `${shape.thinkMs >= 1000 ? `${shape.thinkMs / 1000} s` : `${shape.thinkMs} ms`} think time (mean)`);

/** Issue 13's targets for the SQLite store, and its figures before the work on them (same bench, another day, back-to-back). */
const SQLITE_TARGETS: Record<string, string> = { '1/0': 'median ≤ 2 × echo', '50/0': 'p99 ≤ 100 ms', '50/1000': 'p99 ≤ 100 ms', '50/250': 'p99 ≤ 100 ms' };
const SQLITE_OLD: Record<string, string> = { '1/0': 'median 7.3 ms, echo 0.7 ms (10.4 ×)', '50/0': 'p99 602 ms' };

const LABELS: Record<Server, string> = {
  echo: 'echo bot (botbuilder, fixed card)',
  sqlite: 'app, SQLite',
  sharepoint: 'app, SharePoint (Graph stand-in)',
};

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly ms: number;
}

/** POST one activity over a keep-alive connection; the time is the client's, request out to last byte in. */
function post(agent: Agent, url: string, activity: unknown): Promise<Answer> {
  const payload = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, ms });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The version the refreshed card carries for this action: the next press must send it. */
function versionIn(card: unknown, actionId: string): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown) => {
    if (found !== undefined || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const data = (node as { data?: { actionId?: unknown; version?: unknown } }).data;
    if (data && data.actionId === actionId && typeof data.version === 'string') found = data.version;
    else Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

interface Level {
  readonly users: LoadUser[];
  readonly presses: number;
  /** Mean of the exponential wait between a user's answer and their next press; 0 for back-to-back. */
  readonly thinkMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Closed loop: each user presses "add an update" on one of their own actions, waits for the
 * refreshed card, (thinks,) and presses again on the next one, with the version the card gave them.
 */
async function runLevel(server: Server, url: string, serviceUrl: string, level: Level, tag: string): Promise<{ latencies: number[]; errors: number; wallMs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: level.users.length });
  const latencies: number[] = [];
  let errors = 0;
  let sequence = 0;
  const perUser = Math.ceil(level.presses / level.users.length);
  const press = async (load: LoadUser, k: number, record: boolean) => {
    const action = load.actions[k % load.actions.length]!;
    const activity = execute(personal(serviceUrl, load.user), load.user, ACTION_VERBS.addUpdate, {
      actionId: action.id,
      version: action.version,
      note: `Bench update ${tag}-${++sequence}.`,
    });
    const answer = await post(agent, url, activity);
    const card = answer.body?.value;
    const ok = answer.status === 200 && answer.body?.statusCode === 200 && (server === 'echo' || /Update saved/.test(JSON.stringify(card)));
    if (server !== 'echo') {
      const version = versionIn(card, action.id);
      if (version) action.version = version;
    }
    if (record) {
      latencies.push(answer.ms);
      if (!ok) errors++;
    }
  };
  // Untimed: the first press of each user records their install and links them, as on day one.
  await Promise.all(level.users.map((u) => press(u, 0, false)));
  const thinkMs = level.thinkMs ?? 0;
  // Seeded, so each server sees the same sequence of waits.
  const random = mulberry32(13);
  const think = () => (thinkMs > 0 ? sleep(-Math.log(1 - random()) * thinkMs) : Promise.resolve());
  const started = performance.now();
  await Promise.all(
    level.users.map(async (u) => {
      // Users start at random moments, not all at once.
      await think();
      for (let k = 1; k <= perUser; k++) {
        await press(u, k, true);
        if (k < perUser) await think();
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latencies, errors, wallMs };
}

/**
 * Server time for a card action (an `adaptiveCard/action` invoke whose verb changes an action, in;
 * the refreshed card, out) at 1, 10 and 50 concurrent users, each user a different member pressing
 * on their own actions, on the SQLite store, on SharePoint over the Graph stand-in, and for a bare
 * botbuilder echo bot answering the same invoke with a fixed card. The load generator, the server
 * under test and the Graph stand-in each run in their own process (two cores: they still share them).
 */
export async function benchCardActionLatency(options: { readonly requestsPerLevel?: number; readonly levels?: readonly LoadShape[] } = {}): Promise<Record<string, string | number>[]> {
  const requestsPerLevel = options.requestsPerLevel ?? 300;
  const levels = options.levels ?? DEFAULT_LEVELS;
  // Disjoint users per level, each owning enough actions that no action gathers more than ~5 notes.
  const actionsPerUser: number[] = [];
  const usersOf: number[][] = [];
  for (const { users } of levels) {
    const perUser = Math.max(2, Math.ceil((requestsPerLevel / users + 1) / 5));
    usersOf.push(Array.from({ length: users }, (_, i) => actionsPerUser.length + i));
    for (let i = 0; i < users; i++) actionsPerUser.push(perUser);
  }
  const connector = await startBotConnectorStandIn();
  const results = new Map<string, { median: number; p99: number }>();
  const rows: Record<string, string | number>[] = [];
  try {
    for (const server of ['echo', 'sqlite', 'sharepoint'] as const) {
      let standIns: StandInsProcess | undefined;
      // BENCH_CPU_PROF_DIR=/some/dir writes a V8 CPU profile of each server under test (for finding where a press's time goes).
      const profileDir = process.env.BENCH_CPU_PROF_DIR;
      const host = forkBenchChild(new URL('./card-action-host.ts', import.meta.url), profileDir ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${server}`] } : {});
      try {
        if (server === 'sharepoint') standIns = await forkStandIns({ graph: true });
        const start: HostStart = { kind: server, actionsPerUser, ...(standIns?.graph ? { graph: standIns.graph } : {}) };
        const { url, users } = await host.call<{ url: string; users: LoadUser[] }>('start', start);
        // Warm the JIT and the connection paths before anything is timed.
        await runLevel(server, url, connector.serviceUrl, { users: [users[0]!], presses: 20 }, 'warm');
        for (const [i, shape] of levels.entries()) {
          const before = (await standIns?.stats())?.graphRequests ?? 0;
          const callsBefore = connector.received.length;
          const level = { users: usersOf[i]!.map((u) => users[u]!), presses: requestsPerLevel, thinkMs: shape.thinkMs };
          const run = await runLevel(server, url, connector.serviceUrl, level, `${server}-${shape.users}-${shape.thinkMs}`);
          const graphRequests = ((await standIns?.stats())?.graphRequests ?? 0) - before;
          const m = { median: median(run.latencies), p99: percentile(run.latencies, 99) };
          const key = shapeKey(shape);
          results.set(`${server}:${key}`, m);
          const echo = results.get(`echo:${key}`);
          rows.push({
            server: LABELS[server],
            users: shape.users,
            pressing: shapeLabel(shape),
            requests: run.latencies.length,
            'median ms': round(m.median, 1),
            'p99 ms': round(m.p99, 1),
            'req/s': round(run.latencies.length / (run.wallMs / 1000), 0),
            errors: run.errors,
            'Graph req/press': server === 'sharepoint' ? round(graphRequests / (run.latencies.length + usersOf[i]!.length), 1) : '-',
            'connector calls': connector.received.length - callsBefore,
            'median ÷ echo': echo && server !== 'echo' ? round(m.median / echo.median, 1) : '-',
            'p99 ÷ echo': echo && server !== 'echo' ? round(m.p99 / echo.p99, 1) : '-',
            ...(server === 'sqlite' ? { 'target (issue 13)': SQLITE_TARGETS[key] ?? '-', 'old (issue 13)': SQLITE_OLD[key] ?? '-' } : {}),
          });
        }
      } finally {
        await host.close();
        await standIns?.close();
      }
    }
  } finally {
    await connector.close();
  }
  return rows;
}
