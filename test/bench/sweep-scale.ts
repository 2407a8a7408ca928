import { londonDate } from '../../bot/domain/index.js';
import { forkBenchChild } from './bench-child.js';
import { buildBenchBoard, type BenchBoardOptions } from './bench-board.js';
import { mib, round } from './bench-stats.js';
import type { SweepMeasurement, SweepRun } from './sweep-host.js';
import { forkStandIns } from './stand-ins-process.js';

/** Monday 23 November 2026, 10:00 London: a working-time sweep on the demo's "today". */
const SWEEP_AT = new Date('2026-11-23T10:00:00Z');
const MEMBERS = 60;

function boardOptions(actions: number, serviceUrl: string): BenchBoardOptions {
  return { actions, members: MEMBERS, seed: 20261123, today: londonDate(SWEEP_AT), serviceUrl };
}

/**
 * One sweep in a fresh child process (sweep-host.ts), sending through the real ProactiveSender and
 * CloudAdapter transport (local mode, as `npm start` without credentials) to the Bot Connector
 * stand-in in another child. The stand-in has no rate limits here: the sender's own limiter paces.
 */
async function measure(store: 'sqlite' | 'sharepoint', actions: number) {
  const standIns = await forkStandIns({ graph: store === 'sharepoint', connector: true });
  const host = forkBenchChild(new URL('./sweep-host.ts', import.meta.url));
  try {
    const board = boardOptions(actions, standIns.connector!.serviceUrl);
    // SharePoint: the lists are filled in the stand-in's process, most actions straight into them.
    const seeded = store === 'sharepoint' ? await standIns.seedBoard(board, SWEEP_AT) : undefined;
    const before = await standIns.stats();
    const run: SweepRun = { store, board, at: SWEEP_AT.toISOString(), ...(standIns.graph ? { graph: standIns.graph } : {}) };
    const m = await host.call<SweepMeasurement>('run', run);
    const { dueCount, dueReachable } = buildBenchBoard(board);
    const after = await standIns.stats();
    return {
      store: store === 'sharepoint' ? 'SharePoint (Graph stand-in)' : 'SQLite',
      actions,
      seeded: seeded ? `into the lists, ${round(seeded.ms / 1000, 1)} s` : `store.create, ${round(m.seedMs / 1000, 1)} s`,
      'due (reachable)': `${dueCount} (${dueReachable})`,
      'wall s': round(m.wallMs / 1000, 1),
      'decide+ledger s': round((m.wallMs - m.sendMs) / 1000, 1),
      'send s': round(m.sendMs / 1000, 1),
      'of which pacing s': round(m.pacingMs / 1000, 1),
      sent: m.result.sent,
      failed: m.result.failed,
      unreachable: m.result.unreachable,
      'connector msgs': after.connectorMessages - before.connectorMessages,
      'Graph requests': after.graphRequests - before.graphRequests,
      'RSS before MiB': mib(m.memory.rssBefore),
      'peak RSS MiB': mib(m.memory.peakRss),
      // Peak heap in use over what was live before (after a full GC): includes garbage not yet collected.
      'heap Δ MiB': mib(m.memory.peakHeap - m.memory.heapBefore),
    };
  } finally {
    await host.close();
    await standIns.close();
  }
}

/**
 * A reminder sweep over a growing action log, on each store: wall time split into deciding (reads,
 * ledger writes) and sending (of which waiting in the ProactiveSender's limiter at Teams' limits),
 * memory of the process that swept, Graph requests and messages delivered. About 5% of actions are
 * due a reminder; 90% of the 60 members have a personal install (the rest count as unreachable).
 */
export async function benchSweepScale(sizes: readonly number[] = [500, 5_000, 50_000]): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const actions of sizes) {
    rows.push(await measure('sharepoint', actions));
    rows.push(await measure('sqlite', actions));
  }
  return rows;
}
