import { addDays, type Action, type ActionStatus, type ConversationInstall, type LocalDate, type Member, type Membership } from '../../bot/domain/index.js';
import { EXEC_GROUP_ID } from '../../bot/demo/demo-data.js';
import { indexValue } from '../../bot/store/sharepoint/sharepoint-lists.js';
import type { Store } from '../../bot/store/store.js';
import { BOT_ACCOUNT, TENANT_ID, type TeamsUser } from '../stand-ins/bot-connector-activities.js';
import { mulberry32 } from './bench-stats.js';

/**
 * A large, made-up board for the benches, built on top of the demo data (its groups and Exec
 * meetings): members of the Exec with Teams identities, personal installs for most of them, and
 * as many actions as asked for. Deterministic for a seed, so the parent process and a stand-in
 * process build the same records. Contents are placeholders: nothing personal, nothing logged.
 */
export interface BenchBoardOptions {
  readonly actions: number;
  readonly members: number;
  readonly seed: number;
  /** London date the sweep runs on: due dates are spread around it. */
  readonly today: LocalDate;
  /** Where installs say the bot can post (the Bot Connector stand-in). */
  readonly serviceUrl: string;
  /** Every tenth member has no personal install unless told otherwise. */
  readonly installedShare?: number;
  /** Prefix of record ids, so two boards can live in one store. */
  readonly prefix?: string;
}

export interface BenchBoard {
  readonly members: Member[];
  readonly memberships: Membership[];
  readonly installs: ConversationInstall[];
  readonly actions: Action[];
  /** Actions whose owner is due a reminder on `today` (before any sweep), whether or not reachable. */
  readonly dueCount: number;
  /** Of those, the ones whose owner has a personal install. */
  readonly dueReachable: number;
}

const EXEC_MEETINGS = ['mtg-exec-1', 'mtg-exec-2', 'mtg-exec-3'];

/** Two or three capitals, unique per index and never one of the demo members' initials (they start Q or Z). */
export function benchInitials(first: 'Q' | 'Z', index: number): string {
  const a = String.fromCharCode(65 + Math.floor(index / 26) % 26);
  const b = String.fromCharCode(65 + (index % 26));
  return `${first}${a}${b}`;
}

/** The Teams side of a bench member, in the shape the activity builders take. */
export function benchTeamsUser(prefix: string, index: number, initials: string): TeamsUser {
  const n = String(index).padStart(5, '0');
  return {
    initials,
    id: `29:${prefix}-user-${n}`,
    aadObjectId: `00000000-0000-4000-9${prefix === 'load' ? '1' : '0'}00-${String(index).padStart(12, '0')}`,
    personalConversationId: `a:${prefix}-personal-${n}`,
  };
}

export function benchMember(prefix: string, index: number, user: TeamsUser): Member {
  return {
    id: `mem-${prefix}-${String(index).padStart(5, '0')}`,
    name: `Bench member ${index}`,
    initials: user.initials,
    otherInitials: [],
    organisationId: null,
    jobTitle: 'Exec member',
    email: `${prefix}-${index}@example.org`,
    entraObjectId: user.aadObjectId,
    teamsUserId: user.id,
  };
}

export function benchMembership(member: Member): Membership {
  return {
    id: `ms-${member.id}`,
    groupId: EXEC_GROUP_ID,
    memberId: member.id,
    role: 'member',
    decisionMaker: false,
    deputyForMemberId: null,
    startDate: '2020-01-01',
    endDate: null,
  };
}

export function benchInstall(member: Member, user: TeamsUser, serviceUrl: string, installedAt: string): ConversationInstall {
  return {
    id: user.personalConversationId,
    scope: 'personal',
    tenantId: TENANT_ID,
    serviceUrl,
    teamId: null,
    channelId: null,
    memberId: member.id,
    teamsUserId: user.id,
    installedAt,
    reference: {
      user: { id: user.id, aadObjectId: user.aadObjectId },
      bot: BOT_ACCOUNT,
      conversation: { id: user.personalConversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelId: 'msteams',
      locale: 'en-GB',
      serviceUrl,
    },
  };
}

/** One action owned by one member, due on `due`, with its history. */
export function benchAction(id: string, index: number, memberId: string, status: ActionStatus, due: LocalDate, history: Action['history'] = []): Action {
  const createdAt = '2026-07-28T15:00:00.000Z';
  return {
    id,
    meetingId: EXEC_MEETINGS[index % EXEC_MEETINGS.length]!,
    minuteRef: `${1 + (index % 12)}.${1 + (index % 5)}`,
    text: `Bench action ${index}: bring the partnership data and a short paper on next steps to the Exec.`,
    themeId: null,
    owners: [{ kind: 'member', memberId }],
    due: { kind: 'date', date: due },
    status,
    rolloverCount: 0,
    createdAt,
    dateChangeRequest: null,
    history: [{ id: `${id}-h0`, at: createdAt, byMemberId: null, kind: 'created', note: null, from: null, to: null }, ...history],
  };
}

/**
 * Statuses like a real log (about half still open); of the open ones about 12% fall due within the
 * reminder window (due today to five days ahead), 13% are overdue but updated by their owner since
 * (so not reminded), the rest are due later. About 5% of all actions are due a reminder.
 */
export function buildBenchBoard(options: BenchBoardOptions): BenchBoard {
  const random = mulberry32(options.seed);
  const prefix = options.prefix ?? 'bench';
  const installedShare = options.installedShare ?? 0.9;
  const installedAt = `${addDays(options.today, -30)}T09:00:00.000Z`;
  const members: Member[] = [];
  const memberships: Membership[] = [];
  const installs: ConversationInstall[] = [];
  const reachable = new Set<string>();
  for (let i = 0; i < options.members; i++) {
    const user = benchTeamsUser(prefix, i, benchInitials('Q', i));
    const member = benchMember(prefix, i, user);
    members.push(member);
    memberships.push(benchMembership(member));
    if ((i % 10) / 10 < installedShare) {
      installs.push(benchInstall(member, user, options.serviceUrl, installedAt));
      reachable.add(member.id);
    }
  }
  const actions: Action[] = [];
  let dueCount = 0;
  let dueReachable = 0;
  for (let i = 0; i < options.actions; i++) {
    const id = `act-${prefix}-${String(i).padStart(6, '0')}`;
    const owner = members[Math.floor(random() * members.length)]!;
    const s = random();
    const status: ActionStatus = s < 0.35 ? 'open' : s < 0.45 ? 'in-progress' : s < 0.5 ? 'proposed-complete' : s < 0.9 ? 'closed' : 'dropped';
    const r = random();
    const spread = random();
    let due: LocalDate;
    let history: Action['history'] = [];
    if (status === 'open' || status === 'in-progress') {
      if (r < 0.12) {
        due = addDays(options.today, Math.floor(spread * 6));
        dueCount++;
        if (reachable.has(owner.id)) dueReachable++;
      } else if (r < 0.25) {
        due = addDays(options.today, -1 - Math.floor(spread * 60));
        history = [{ id: `${id}-h1`, at: `${addDays(due, -1)}T12:00:00.000Z`, byMemberId: owner.id, kind: 'note', note: 'Progress noted.', from: null, to: null }];
      } else {
        due = addDays(options.today, 6 + Math.floor(spread * 195));
      }
    } else {
      due = addDays(options.today, -1 - Math.floor(spread * 400));
    }
    actions.push(benchAction(id, i, owner.id, status, due, history));
  }
  return { members, memberships, installs, actions, dueCount, dueReachable };
}

/** Writes the board through a store's own create (members, memberships, installs; actions unless skipped). */
export async function writeBoardThroughStore(store: Store, board: BenchBoard, options: { readonly actions: boolean }): Promise<void> {
  for (const m of board.members) await store.members.create(m);
  for (const m of board.memberships) await store.memberships.create(m);
  for (const i of board.installs) await store.installs.create(i);
  if (options.actions) for (const a of board.actions) await store.actions.create(a);
}

/**
 * The fields the SharePoint store writes for an action, for seeding the stand-in's list directly.
 * A copy of the store's private mapping (sharepoint-store.ts: itemFields + the actions spec): the
 * stand-in host checks it against items the real store wrote before trusting it (see
 * stand-ins-host.ts), so a change in the store fails the bench instead of skewing it.
 */
export function sharePointActionFields(action: Action, writeToken: string): Record<string, string | number | boolean | null> {
  return {
    Title: action.id.slice(0, 255),
    RecordId: indexValue(action.id),
    Body: JSON.stringify(action),
    WriteToken: writeToken,
    MeetingId: indexValue(action.meetingId),
    Status: action.status,
    ThemeId: action.themeId === null ? null : indexValue(action.themeId),
    RolloverCount: action.rolloverCount,
    CreatedAt: Number.isNaN(Date.parse(action.createdAt)) ? null : new Date(action.createdAt).toISOString(),
  };
}
