/**
 * A bench child process holding "Microsoft": the Graph stand-in (SharePoint lists, provisioned by
 * the real script) and the Bot Connector stand-in. Run by forkStandIns (stand-ins-process.ts).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { seedDemoIfEmpty } from '../../bot/demo/seed.js';
import type { Action } from '../../bot/domain/index.js';
import { provisionedStandIn, openStandInStore } from '../support/sharepoint-stand-in-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { buildBenchBoard, sharePointActionFields, writeBoardThroughStore, type BenchBoardOptions } from './bench-board.js';
import { serveBenchCommands } from './bench-child.js';

let graph: GraphStandIn | undefined;
let connector: BotConnectorStandIn | undefined;

/** Items the real store wrote must equal what the bench's copy of its mapping produces. */
function checkMapping(standIn: GraphStandIn, written: readonly Action[]): void {
  const byRecord = (list: string) => new Map(standIn.items(list).map((fields) => [String(fields['RecordId']), fields]));
  const actions = byRecord('SaferExec Actions');
  const comparable = (fields: Record<string, unknown>) => {
    const { WriteToken: _token, Body, ...rest } = fields;
    return { ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined)), Body: JSON.parse(String(Body)) };
  };
  for (const action of written) {
    const fields = sharePointActionFields(action, 'x');
    const stored = actions.get(String(fields['RecordId']));
    if (!stored || !isDeepStrictEqual(comparable(stored), comparable(fields))) {
      throw new Error('The bench copy of the SharePoint store\'s item mapping no longer matches the store (test/bench/bench-board.ts): update it before seeding.');
    }
  }
}

serveBenchCommands(
  {
    async start(args: { graph?: boolean; connector?: boolean }) {
      if (args.graph) graph = await provisionedStandIn();
      if (args.connector) connector = await startBotConnectorStandIn();
      return {
        graph: graph ? { baseUrl: graph.baseUrl, siteId: graph.siteId, token: graph.token, ca: graph.ca, host: graph.host } : null,
        connector: connector ? { serviceUrl: connector.serviceUrl } : null,
      };
    },
    /**
     * The demo, then a bench board: directory records and the first actions through the real
     * SharePoint store (Graph requests), the rest of the actions straight into the lists.
     */
    async seedBoard(args: { board: BenchBoardOptions; now: string }) {
      if (!graph) throw new Error('No Graph stand-in.');
      const started = Date.now();
      const store = await openStandInStore(graph);
      try {
        await seedDemoIfEmpty(store, new Date(args.now));
        const board = buildBenchBoard(args.board);
        await writeBoardThroughStore(store, board, { actions: false });
        const throughStore = board.actions.slice(0, 3);
        for (const action of throughStore) await store.actions.create(action);
        checkMapping(graph, throughStore);
        const rest = board.actions.slice(throughStore.length);
        graph.seedItems('SaferExec Actions', rest.map((a) => sharePointActionFields(a, randomUUID())));
        return { ms: Date.now() - started, throughGraph: throughStore.length, direct: rest.length, dueCount: board.dueCount, dueReachable: board.dueReachable };
      } finally {
        await store.close();
      }
    },
    async stats() {
      return { graphRequests: graph?.requests.length ?? 0, connectorMessages: connector?.messages.size ?? 0 };
    },
  },
  async () => {
    await graph?.close();
    await connector?.close();
  },
);
