import { cpus, loadavg } from 'node:os';
import { benchCardActionLatency } from '../test/bench/card-action-latency.js';
import { benchInvokeDeadline } from '../test/bench/invoke-deadline.js';
import { benchGraphRequests } from '../test/bench/graph-requests.js';
import { benchAttendanceImport } from '../test/bench/attendance-import.js';
import { benchMeetingHeld } from '../test/bench/meeting-held.js';
import { benchMinutesImport } from '../test/bench/minutes-import.js';
import { benchSendRate } from '../test/bench/send-rate.js';
import { benchSweepScale } from '../test/bench/sweep-scale.js';
import { benchTabLoad } from '../test/bench/tab-load.js';
import { benchTabFilter } from '../test/bench/tab-filter.js';

/**
 * `npm run bench`: prints figures, asserts nothing. Speed targets live here, never in tests.
 *   npm run bench -- --quick              smaller data, for a smoke run
 *   npm run bench -- --only=send-rate     one bench (names below)
 * A full run takes about ten minutes on two cores; most of it is sending at Teams' real rate limits.
 */
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

// restify's DEP0111 warning is known (shared/PLATFORM.md) and would only clutter the figures.
process.noDeprecation = true;

interface Bench {
  readonly name: string;
  readonly title: string;
  run(): Promise<Record<string, unknown>[]>;
}

const sweepSizes = quick ? [500, 5_000] : [500, 5_000, 50_000];
const cardRequests = quick ? 100 : 300;
const oneConversation = quick ? 70 : 300;
const manyConversations = quick ? { messages: 250, conversations: 50 } : { messages: 1_000, conversations: 200 };

const BENCHES: readonly Bench[] = [
  {
    name: 'graph-requests',
    title: `Graph requests per operation, SharePoint store on the stand-in (${quick ? 500 : 5000} actions)`,
    run: () => benchGraphRequests(quick ? 500 : 5000),
  },
  {
    name: 'card-action-latency',
    title: `Card action ("add an update" invoke → refreshed card), client-side time over loopback, ${cardRequests} presses per level`,
    run: () => benchCardActionLatency({ requestsPerLevel: cardRequests }),
  },
  {
    name: 'invoke-deadline',
    title: 'Card presses on SharePoint with 1 Graph request in 5 answered 429/503 (Retry-After 1 s), real waits, the 4 s invoke deadline: answer times, and each change saved exactly once',
    run: () => benchInvokeDeadline({ users: 10, pressesPerUser: quick ? 2 : 5 }),
  },
  {
    name: 'sweep-scale',
    title: `Reminder sweep at ${sweepSizes.join(' / ')} actions (sends paced by the ProactiveSender at Teams' limits)`,
    run: () => benchSweepScale(sweepSizes),
  },
  {
    name: 'send-rate',
    title: "Proactive sends into a Bot Connector stand-in enforcing Teams' limits (7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation; 50/s per app)",
    run: () => benchSendRate({ oneConversation, manyConversations }),
  },
  {
    name: 'tab-load',
    title: `The tab: JavaScript shipped, and in headless Chromium a log of 2,000 actions (${quick ? 2 : 5} runs)`,
    run: () => benchTabLoad({ actions: 2_000, runs: quick ? 2 : 5 }),
  },
  {
    name: 'tab-filter',
    title: `The action log's filter and search over 2,000 actions in headless Chromium, input to rows shown (${quick ? 4 : 12} runs; target under 50 ms)`,
    run: () => benchTabFilter({ actions: 2_000, runs: quick ? 4 : 12 }),
  },
  {
    name: 'meeting-held',
    title: `Recording a meeting as held with 200 open actions due at it (each rolled over once), then the same request again; new data each run (${quick ? 2 : 5} runs per store)`,
    run: () => benchMeetingHeld({ actions: 200, runs: quick ? 2 : 5 }),
  },
  {
    name: 'attendance-import',
    title: `Importing a Teams attendance report of 300 participants (UTF-16 LE download) into a meeting of a 60-member board, SQLite (${quick ? 5 : 20} runs)`,
    run: () => benchAttendanceImport({ rows: 300, members: 60, runs: quick ? 5 : 20 }),
  },
  {
    name: 'minutes-import',
    title: `Importing actions from 60 pages of pasted minutes (seed 004's two-column style, renumbered), parse and owner resolution (${quick ? 5 : 20} runs)`,
    run: () => benchMinutesImport({ pages: 60, runs: quick ? 5 : 20 }),
  },
];

async function main(): Promise<void> {
  const chosen = only ? BENCHES.filter((b) => b.name === only) : BENCHES;
  if (chosen.length === 0) {
    process.stderr.write(`No bench named "${only}". Benches: ${BENCHES.map((b) => b.name).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start${quick ? ', --quick' : ''}`);
  for (const bench of chosen) {
    const t = Date.now();
    console.log(`\n${bench.title}`);
    console.table(await bench.run());
    console.log(`(${bench.name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await main();
