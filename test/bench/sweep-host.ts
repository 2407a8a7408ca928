/**
 * A bench child process that runs one reminder sweep for sweep-scale.ts, so its memory figures
 * belong to that sweep alone: the store client (or the SQLite file), the sweep, the sender.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { seedDemoIfEmpty } from '../../bot/demo/seed.js';
import { silentLogger } from '../../bot/observability/logger.js';
import type { OutgoingMessage, ConversationTarget, MessageSender, SendOptions, SendOutcome } from '../../bot/services/messaging.js';
import { createSweep, SWEEP_READS, type SweepResult } from '../../bot/services/sweep.js';
import { createSharePointStore } from '../../bot/store/sharepoint/sharepoint-store.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import type { Store } from '../../bot/store/store.js';
import { cloudAdapterTransport } from '../../bot/teams/cloud-transport.js';
import { ProactiveSender } from '../../bot/teams/proactive-sender.js';
import { realLimiterClock, type LimiterClock } from '../../bot/teams/rate-limiter.js';
import { createCaTrustingFetch } from '../support/ca-trusting-fetch.js';
import { buildBenchBoard, writeBoardThroughStore, type BenchBoardOptions } from './bench-board.js';
import { serveBenchCommands } from './bench-child.js';
import { collectGarbage, sampleMemory, type MemoryPeak } from './bench-stats.js';
import type { GraphEndpoint } from './stand-ins-process.js';

export interface SweepRun {
  readonly store: 'sqlite' | 'sharepoint';
  readonly board: BenchBoardOptions;
  readonly at: string;
  readonly graph?: GraphEndpoint;
}

export interface SweepMeasurement {
  readonly result: SweepResult;
  readonly seedMs: number;
  readonly wallMs: number;
  readonly sendMs: number;
  readonly pacingMs: number;
  readonly memory: MemoryPeak;
}

/** The sender the sweep gets, timing every call: what the sweep spends outside it is deciding and the ledger. */
class TimedSender implements MessageSender {
  inSendMs = 0;
  constructor(private readonly inner: MessageSender) {}
  async send(target: ConversationTarget, message: OutgoingMessage, options?: SendOptions): Promise<SendOutcome> {
    const started = performance.now();
    try {
      return await this.inner.send(target, message, options);
    } finally {
      this.inSendMs += performance.now() - started;
    }
  }
  async update(target: ConversationTarget, activityId: string, message: OutgoingMessage): Promise<SendOutcome> {
    const started = performance.now();
    try {
      return await this.inner.update(target, activityId, message);
    } finally {
      this.inSendMs += performance.now() - started;
    }
  }
}

/** The SQLite store, seeded with the demo and the board through its own create. */
async function seededSqlite(dir: string, board: BenchBoardOptions, at: Date): Promise<Store> {
  const store = new SqliteStore({ filename: join(dir, 'bench.db') });
  await seedDemoIfEmpty(store, at);
  await writeBoardThroughStore(store, buildBenchBoard(board), { actions: true });
  return store;
}

let cleanUp: (() => Promise<void>) | undefined;

serveBenchCommands(
  {
    async run(args: SweepRun): Promise<SweepMeasurement> {
      const at = new Date(args.at);
      const dir = mkdtempSync(join(tmpdir(), 'safer-exec-bench-sweep-'));
      const transport = args.graph ? createCaTrustingFetch(args.graph.ca, { maxSockets: 64 }) : undefined;
      cleanUp = async () => {
        transport?.close();
        rmSync(dir, { recursive: true, force: true });
      };
      const seedStarted = performance.now();
      const store: Store =
        args.store === 'sqlite'
          ? await seededSqlite(dir, args.board, at)
          : await createSharePointStore({
              graphBaseUrl: args.graph!.baseUrl,
              siteId: args.graph!.siteId,
              tokenProvider: async () => args.graph!.token,
              customHosts: [args.graph!.host],
              fetch: transport!.fetch,
            });
      const seedMs = performance.now() - seedStarted;
      try {
        // bot-adapter.ts's createBotAdapter in local mode: a CloudAdapter with no credentials.
        const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' }));
        let pacingMs = 0;
        const clock: LimiterClock = {
          now: realLimiterClock.now,
          sleep: async (ms) => {
            pacingMs += ms;
            await realLimiterClock.sleep(ms);
          },
        };
        const sender = new TimedSender(new ProactiveSender(cloudAdapterTransport(adapter, ''), { logger: silentLogger, clock }));
        const sweep = createSweep({ store, sender, logger: silentLogger, execChannelId: null });
        collectGarbage();
        const memory = sampleMemory();
        const started = performance.now();
        // As the server's wiring runs it: one store request per sweep (Store.runInRequest), its lists named first.
        const result = await (store.runInRequest
          ? store.runInRequest(() => {
              store.willRead?.(SWEEP_READS);
              return sweep(at);
            })
          : sweep(at));
        const wallMs = performance.now() - started;
        return { result, seedMs, wallMs, sendMs: sender.inSendMs, pacingMs, memory: memory.stop() };
      } finally {
        await store.close();
      }
    },
  },
  async () => {
    await cleanUp?.();
  },
);
