import type { BenchBoardOptions } from './bench-board.js';
import { forkBenchChild } from './bench-child.js';

export interface GraphEndpoint {
  readonly baseUrl: string;
  readonly siteId: string;
  readonly token: string;
  /** The stand-in's self-signed certificate: trust it to talk to it. */
  readonly ca: string;
  readonly host: string;
}

export interface StandInsStats {
  /** Requests the Graph stand-in has answered so far (each $batch part counted, and the $batch itself). */
  readonly graphRequests: number;
  /** Messages the Bot Connector stand-in holds. */
  readonly connectorMessages: number;
}

export interface StandInsProcess {
  readonly graph: GraphEndpoint | null;
  readonly connector: { readonly serviceUrl: string } | null;
  seedBoard(board: BenchBoardOptions, now: Date): Promise<{ ms: number; throughGraph: number; direct: number; dueCount: number; dueReachable: number }>;
  stats(): Promise<StandInsStats>;
  close(): Promise<void>;
}

/** The Graph and/or Bot Connector stand-ins in a child process of their own (stand-ins-host.ts). */
export async function forkStandIns(options: { readonly graph?: boolean; readonly connector?: boolean }): Promise<StandInsProcess> {
  const child = forkBenchChild(new URL('./stand-ins-host.ts', import.meta.url));
  try {
    const started = await child.call<{ graph: GraphEndpoint | null; connector: { serviceUrl: string } | null }>('start', options);
    return {
      ...started,
      seedBoard: (board, now) => child.call('seedBoard', { board, now: now.toISOString() }),
      stats: () => child.call('stats'),
      close: () => child.close(),
    };
  } catch (error) {
    await child.close();
    throw error;
  }
}
