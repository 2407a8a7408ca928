import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../bot/domain/index.js';
import { newActionId, createAction } from '../../bot/services/action-log.js';
import { addPerson } from '../../bot/services/board-records.js';
import { EXEC_GROUP_ID } from '../../bot/services/directory.js';
import { loadRequestContext } from '../../bot/services/request-context.js';
import { recordMeetingHeld, scheduleMeeting, type Editor, type HeldResult } from '../../bot/services/meetings.js';
import { createMembership } from '../../bot/services/memberships.js';
import { setUpBoard } from '../../bot/services/setup.js';
import { createSharePointStore } from '../../bot/store/sharepoint/sharepoint-store.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { listAll, type Store } from '../../bot/store/store.js';
import { createCaTrustingFetch } from '../support/ca-trusting-fetch.js';
import { benchInitials } from './bench-board.js';
import { median, round } from './bench-stats.js';
import { forkStandIns, type StandInsProcess } from './stand-ins-process.js';

type StoreKind = 'sqlite' | 'sharepoint';

const LABELS: Record<StoreKind, string> = { sqlite: 'SQLite', sharepoint: 'SharePoint (Graph stand-in)' };

/** The clock the board is built and held on: scheduled a week ahead, actions agreed on the day, held five weeks later. */
const SCHEDULED_AT = new Date('2026-03-02T10:00:00Z');
const AGREED_AT = new Date('2026-03-10T14:00:00Z');
/** The afternoon of the second meeting (16:00 London): the secretariat records it as held. */
const HELD_AT = new Date('2026-04-14T15:00:00Z');
const MEETING_DATES = ['2026-03-10', '2026-04-14', '2026-05-12'] as const;
const MEETING_IDS = ['mtg-bench-held-1', 'mtg-bench-held-2', 'mtg-bench-held-3'] as const;
const PEOPLE = 12;

function must<T>(result: Result<T>, doing: string): T {
  if (!result.ok) throw new Error(`meeting-held bench: ${doing} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * A board built from an empty store through the services, as the secretariat would build it:
 * set-up, people and their memberships, three Exec meetings, and `actions` actions agreed at the
 * first meeting, each due at the next one (the second). Returns who holds the pen and the second
 * meeting's version as the tab would have loaded it.
 */
async function buildBoard(store: Store, actions: number): Promise<{ secretariat: string; heldVersion: string }> {
  const setup = must(
    await setUpBoard(store, { groupName: 'Bench Exec', secretariatName: 'Bench secretariat', secretariatInitials: 'ZS', secretariatEmail: 'secretariat@example.org', secretariatAadObjectId: null }, SCHEDULED_AT),
    'set-up',
  );
  const secretariat = setup.memberId;
  const editor: Editor = { memberId: secretariat, now: SCHEDULED_AT };
  const people: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const memberId = `mem-bench-held-${i}`;
    must(await addPerson(store, editor, { name: `Bench member ${i}`, initials: benchInitials('Q', i), jobTitle: 'Exec member', organisationId: null, email: `held-${i}@example.org`, entraObjectId: null }, memberId), 'adding a person');
    must(
      await createMembership(store, secretariat, { groupId: EXEC_GROUP_ID, memberId, role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-03-02', endDate: null }, `ms-bench-held-${i}`, SCHEDULED_AT),
      'adding a membership',
    );
    people.push(memberId);
  }
  const scheduled = [];
  for (const [i, date] of MEETING_DATES.entries()) {
    scheduled.push(must(await scheduleMeeting(store, editor, { groupId: EXEC_GROUP_ID, date, startTime: '10:00' }, MEETING_IDS[i]!), 'scheduling a meeting'));
  }
  for (let i = 0; i < actions; i++) {
    const minuteRef = `${1 + Math.floor(i / 20)}.${1 + (i % 20)}`;
    must(
      await createAction(
        store,
        await loadRequestContext(store, secretariat, AGREED_AT),
        {
          actionId: newActionId(MEETING_DATES[0], minuteRef, `held${i}`),
          changeId: `bench-held-create-${i}`,
          meetingId: MEETING_IDS[0],
          minuteRef,
          text: `Bench action ${i}: bring the partnership data and a short paper on next steps to the Exec.`,
          owners: [{ kind: 'member', memberId: people[i % people.length]! }],
          due: { kind: 'next-meeting' },
          themeId: null,
        },
      ),
      'creating an action',
    );
  }
  return { secretariat, heldVersion: scheduled[1]!.version };
}

/** Actions carrying a roll-over line to the held meeting, and how many such lines in all. */
async function rolledOverTo(store: Store, meetingId: string): Promise<{ actions: number; lines: number }> {
  const lines = (await listAll(store.actions, {})).map((a) => a.history.filter((h) => h.kind === 'rolled-over' && h.to === meetingId).length);
  return { actions: lines.filter((n) => n > 0).length, lines: lines.reduce((a, b) => a + b, 0) };
}

interface StoreUnderBench {
  readonly store: Store;
  /** Graph requests the stand-in has answered so far; null on SQLite. */
  graphRequests(): Promise<number | null>;
  close(): Promise<void>;
}

/** An empty store: a fresh SQLite file, or a fresh Graph stand-in in its own process with the lists provisioned. */
async function openEmptyStore(kind: StoreKind): Promise<StoreUnderBench> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'safer-exec-bench-held-'));
    const store = new SqliteStore({ filename: join(dir, 'bench.db') });
    return {
      store,
      graphRequests: async () => null,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const standIns: StandInsProcess = await forkStandIns({ graph: true });
  const graph = standIns.graph!;
  const transport = createCaTrustingFetch(graph.ca, { maxSockets: 64 });
  try {
    const store = await createSharePointStore({ graphBaseUrl: graph.baseUrl, siteId: graph.siteId, tokenProvider: async () => graph.token, customHosts: [graph.host], fetch: transport.fetch });
    return {
      store,
      graphRequests: async () => (await standIns.stats()).graphRequests,
      async close() {
        await store.close();
        transport.close();
        await standIns.close();
      },
    };
  } catch (error) {
    transport.close();
    await standIns.close();
    throw error;
  }
}

interface CallFigures {
  readonly ms: number;
  readonly graphRequests: number | null;
  readonly result: HeldResult;
}

async function timedHeld(target: StoreUnderBench, editor: Editor, heldVersion: string): Promise<CallFigures> {
  const before = await target.graphRequests();
  const started = performance.now();
  const result = await recordMeetingHeld(target.store, editor, MEETING_IDS[1], heldVersion);
  const ms = performance.now() - started;
  const after = await target.graphRequests();
  return { ms, graphRequests: before === null || after === null ? null : after - before, result: must(result, 'recording the meeting as held') };
}

/** One run on new data: the first recordMeetingHeld (rolls everything over) and a repeat of it (a double click). */
async function runOnce(kind: StoreKind, actions: number): Promise<{ first: CallFigures; repeat: CallFigures }> {
  const target = await openEmptyStore(kind);
  try {
    const { secretariat, heldVersion } = await buildBoard(target.store, actions);
    const editor: Editor = { memberId: secretariat, now: HELD_AT };
    const first = await timedHeld(target, editor, heldVersion);
    // The bench must not time a no-op: every action really carries its roll-over line.
    const afterFirst = await rolledOverTo(target.store, MEETING_IDS[1]);
    if (afterFirst.actions !== actions || afterFirst.lines !== actions || first.result.rolledOver !== actions || first.result.alreadyHeld) {
      throw new Error(`meeting-held bench (${kind}): expected ${actions} actions rolled over once, found ${afterFirst.actions} actions with ${afterFirst.lines} roll-over lines (result said ${first.result.rolledOver}, alreadyHeld ${first.result.alreadyHeld}).`);
    }
    // The same request again, with the version the tab had loaded: nothing may roll over twice.
    const repeat = await timedHeld(target, editor, heldVersion);
    const afterRepeat = await rolledOverTo(target.store, MEETING_IDS[1]);
    if (afterRepeat.actions !== actions || afterRepeat.lines !== actions || !repeat.result.alreadyHeld || repeat.result.rolledOver !== actions) {
      throw new Error(`meeting-held bench (${kind}): the repeated call changed the roll-over: ${afterRepeat.actions} actions with ${afterRepeat.lines} roll-over lines (alreadyHeld ${repeat.result.alreadyHeld}).`);
    }
    return { first, repeat };
  } finally {
    await target.close();
  }
}

/** "n", or "min–max" when runs differ: request counts should not vary, and a table must show it if they do. */
function spread(values: readonly number[]): number | string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? lo : `${lo}–${hi}`;
}

/**
 * Recording a meeting as held with `actions` open actions due at it, on each store: the first call,
 * which rolls each over to the next meeting, and a repeat of it, which must roll nothing over.
 * Every run builds a new board from an empty store through the services (not timed). SharePoint
 * runs against the Graph stand-in in its own process; its requests are counted there (each $batch
 * part, and the $batch itself), over the timed call only.
 */
export async function benchMeetingHeld(options: { readonly actions?: number; readonly runs?: number } = {}): Promise<Record<string, string | number>[]> {
  const actions = options.actions ?? 200;
  const runs = options.runs ?? 5;
  const rows: Record<string, string | number>[] = [];
  for (const kind of ['sqlite', 'sharepoint'] as const) {
    const measured: { first: CallFigures; repeat: CallFigures }[] = [];
    for (let i = 0; i < runs; i++) measured.push(await runOnce(kind, actions));
    for (const call of ['first', 'repeat'] as const) {
      const figures = measured.map((m) => m[call]);
      const ms = figures.map((f) => f.ms);
      const requests = figures.map((f) => f.graphRequests).filter((n) => n !== null);
      rows.push({
        store: LABELS[kind],
        call: call === 'first' ? 'first: rolls over' : 'repeat: already held',
        'open actions': actions,
        runs,
        'median ms': round(median(ms), 1),
        'min ms': round(Math.min(...ms), 1),
        'max ms': round(Math.max(...ms), 1),
        'Graph requests': requests.length ? spread(requests) : '-',
        'rolled over (result)': figures[0]!.result.rolledOver,
      });
    }
  }
  return rows;
}
