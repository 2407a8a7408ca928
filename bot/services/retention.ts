import { londonClock, londonDate, type Audited } from '../domain/index.js';
import {
  actionPastRetention,
  deliveryPastRetention,
  expiredAuditLines,
  installPastRetention,
  leaverContactsPastRetention,
  leftOn,
  meetingPapersPastRetention,
  namedSubstitutes,
  withoutAuditLines,
  withoutContactDetails,
  withoutSubstituteNames,
  type RetentionPolicy,
} from '../domain/retention.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { isStoreError, listAll, type RecordSet, type Store, type Versioned } from '../store/store.js';
import type { Clock } from './clock.js';

/**
 * The purge: deletes (or reduces) what has been kept as long as the retention policy says, on
 * whichever store is configured. Every write is version-checked, so it is safe to run twice or
 * from two processes at once: a record someone changed since it was read (a conflict) is left
 * for the next run, and one another purge already deleted is simply gone.
 */
export function retentionPolicyFrom(config: Pick<Config, 'RETENTION_CLOSED_ACTION_YEARS' | 'RETENTION_MEETING_PAPER_YEARS' | 'RETENTION_AUDIT_YEARS' | 'RETENTION_DELIVERY_DAYS' | 'RETENTION_INSTALL_DAYS' | 'RETENTION_LEAVER_CONTACT_DAYS'>): RetentionPolicy {
  return {
    closedActionYears: config.RETENTION_CLOSED_ACTION_YEARS,
    meetingPaperYears: config.RETENTION_MEETING_PAPER_YEARS,
    auditYears: config.RETENTION_AUDIT_YEARS,
    deliveryDays: config.RETENTION_DELIVERY_DAYS,
    installDays: config.RETENTION_INSTALL_DAYS,
    leaverContactDays: config.RETENTION_LEAVER_CONTACT_DAYS,
  };
}

/**
 * What one purge removed, by kind: counts only. The names are also the log's field names, so
 * none may look like content to the logger (no "report", "name", "text"...).
 */
export interface PurgeCounts {
  /** Closed or dropped actions deleted. */
  closedActions: number;
  /** Theme reports (with every version) deleted. */
  themePapers: number;
  /** Report rounds deleted once their reports were gone. */
  paperRounds: number;
  /** Substitutes whose name was replaced by "A substitute". */
  substitutes: number;
  /** Audit lines removed from records. */
  auditLines: number;
  /** Delivery ledger lines deleted. */
  ledgerLines: number;
  /** Personal chats (installs) deleted. */
  installs: number;
  /** Leavers whose email, Entra object id and Teams id were cleared. */
  leaverContacts: number;
  /** Records changed by someone while the purge ran: left for the next run. */
  conflicts: number;
}

export interface PurgeResult extends PurgeCounts {
  readonly at: string;
  readonly dryRun: boolean;
}

type Outcome = 'done' | 'gone' | 'conflict';

async function deleteChecked<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: Versioned<T>, dryRun: boolean): Promise<Outcome> {
  if (dryRun) return 'done';
  try {
    await set.delete(record.id, record.version);
    return 'done';
  } catch (error) {
    if (isStoreError(error, 'STORE.NOT_FOUND')) return 'gone';
    if (isStoreError(error, 'STORE.CONFLICT')) return 'conflict';
    throw error;
  }
}

async function updateChecked<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: Versioned<T>, next: T, dryRun: boolean): Promise<Outcome> {
  if (dryRun) return 'done';
  try {
    await set.update(next, record.version);
    return 'done';
  } catch (error) {
    if (isStoreError(error, 'STORE.NOT_FOUND')) return 'gone';
    if (isStoreError(error, 'STORE.CONFLICT')) return 'conflict';
    throw error;
  }
}

function stripVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

/** Personal chats whose last message was refused as blocked with nothing delivered since, with the refusal's time. */
function refusals(deliveries: readonly { conversationId: string | null; status: string; failureCode: string | null; lastAttemptAt: string | null; createdAt: string }[]): Map<string, string> {
  const refused = new Map<string, string>();
  const delivered = new Map<string, string>();
  for (const line of deliveries) {
    if (!line.conversationId) continue;
    const at = line.lastAttemptAt ?? line.createdAt;
    if (line.status === 'failed' && line.failureCode === 'MessageWritesBlocked') {
      if ((refused.get(line.conversationId) ?? '') < at) refused.set(line.conversationId, at);
    } else if (line.status === 'sent') {
      if ((delivered.get(line.conversationId) ?? '') < at) delivered.set(line.conversationId, at);
    }
  }
  for (const [conversationId, at] of refused) if ((delivered.get(conversationId) ?? '') > at) refused.delete(conversationId);
  return refused;
}

export async function purgeExpired(deps: { readonly store: Store; readonly logger: Logger }, policy: RetentionPolicy, now: Date, options: { readonly dryRun?: boolean } = {}): Promise<PurgeResult> {
  const { store, logger } = deps;
  const dryRun = options.dryRun ?? false;
  const started = Date.now();
  const today = londonDate(now);
  const counts: PurgeCounts = { closedActions: 0, themePapers: 0, paperRounds: 0, substitutes: 0, auditLines: 0, ledgerLines: 0, installs: 0, leaverContacts: 0, conflicts: 0 };
  const tally = (outcome: Outcome, add: () => void) => {
    if (outcome === 'done') add();
    else if (outcome === 'conflict') counts.conflicts++;
  };

  const [members, memberships, meetings] = await Promise.all([listAll(store.members, {}), listAll(store.memberships, {}), listAll(store.meetings, {})]);

  // 1. Closed and dropped actions kept long enough.
  for (const action of await listAll(store.actions, { statuses: ['closed', 'dropped'] })) {
    if (actionPastRetention(action, policy, today)) tally(await deleteChecked(store.actions, action, dryRun), () => counts.closedActions++);
  }

  // 2. Meeting papers: the theme reports of an old meeting, then its round once they are all gone.
  const meetingDate = new Map(meetings.map((m) => [m.id, m.date]));
  for (const round of await listAll(store.reportRounds, {})) {
    if (!meetingPapersPastRetention(meetingDate.get(round.meetingId) ?? round.deadline, policy, today)) continue;
    let kept = 0;
    for (const report of await listAll(store.themeReports, { roundId: round.id })) {
      const outcome = await deleteChecked(store.themeReports, report, dryRun);
      if (outcome === 'conflict') kept++;
      tally(outcome, () => counts.themePapers++);
    }
    if (kept === 0) tally(await deleteChecked(store.reportRounds, round, dryRun), () => counts.paperRounds++);
  }

  // 3. Records reduced in place: old audit lines, old meetings' substitutes' names, leavers' contact details.
  const reduce = async <T extends Audited & { readonly id: string }, Q>(set: RecordSet<T, Q>, records: readonly Versioned<T>[], more: (record: T) => { next: T; add: () => void } = (record) => ({ next: record, add: () => {} })) => {
    for (const record of records) {
      const base = stripVersion(record) as unknown as T;
      const expired = expiredAuditLines(record.audit, policy, today);
      const extra = more(base);
      if (expired.length === 0 && extra.next === base) continue;
      const next = withoutAuditLines(extra.next, expired);
      tally(await updateChecked(set, record, next, dryRun), () => {
        counts.auditLines += expired.length;
        extra.add();
      });
    }
  };
  await reduce(store.members, members, (member) => {
    if (!leaverContactsPastRetention(member, memberships, policy, today)) return { next: member, add: () => {} };
    return { next: withoutContactDetails(member), add: () => counts.leaverContacts++ };
  });
  await reduce(store.meetings, meetings, (meeting) => {
    const named = namedSubstitutes(meeting);
    if (named === 0 || !meetingPapersPastRetention(meeting.date, policy, today)) return { next: meeting, add: () => {} };
    return { next: withoutSubstituteNames(meeting), add: () => (counts.substitutes += named) };
  });
  await reduce(store.memberships, memberships);
  await reduce(store.organisations, await listAll(store.organisations, {}));
  await reduce(store.groups, await listAll(store.groups, {}));
  await reduce(store.themes, await listAll(store.themes, {}));

  // 4. Personal chats nobody current is reached by, or that refuse messages. Read before the ledger
  // is purged: a refusal is known only from its ledger line.
  const deliveries = await listAll(store.deliveries, {});
  const refused = refusals(deliveries);
  const memberIds = new Set(members.map((m) => m.id));
  const liveChats = new Set((await listAll(store.installs, {})).map((i) => i.id));
  for (const install of await listAll(store.installs, { scope: 'personal' })) {
    const facts = {
      memberLeftOn: install.memberId ? leftOn(install.memberId, memberships, today) : null,
      memberKnown: install.memberId !== null && memberIds.has(install.memberId),
      refusedSince: refused.get(install.id) ?? null,
    };
    if (!installPastRetention(install, facts, policy, now)) continue;
    const outcome = await deleteChecked(store.installs, install, dryRun);
    if (outcome !== 'conflict') liveChats.delete(install.id);
    tally(outcome, () => counts.installs++);
  }

  // 5. The delivery ledger. A chat's welcome line is what stops Teams' repeated install events
  // from welcoming it again, so it stays as long as the chat does.
  for (const line of deliveries) {
    if (line.id.startsWith('welcome:') && line.conversationId !== null && liveChats.has(line.conversationId)) continue;
    if (deliveryPastRetention(line, policy, now)) tally(await deleteChecked(store.deliveries, line, dryRun), () => counts.ledgerLines++);
  }

  const result: PurgeResult = { at: now.toISOString(), dryRun, ...counts };
  logger.log('info', 'retention.purge', { at: result.at, dryRun, ...counts, durationMs: Date.now() - started });
  return result;
}

export interface PurgeScheduler {
  stop(): void;
}

/**
 * Runs the purge once a day, in the London hour the configuration names (small hours by default),
 * never twice at once in this process. Other processes (a second instance, `npm run purge` from
 * cron) are kept apart by the version-checked writes.
 */
export function startPurgeScheduler(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: RetentionPolicy;
  readonly hour: number;
  readonly checkEveryMs?: number;
}): PurgeScheduler {
  let running = false;
  let lastRunOn: string | null = null;
  const tick = async () => {
    const now = options.clock.now();
    const clock = londonClock(now);
    if (running || clock.hour !== options.hour || lastRunOn === clock.date) return;
    running = true;
    try {
      await purgeExpired({ store: options.store, logger: options.logger }, options.policy, now);
      lastRunOn = clock.date;
    } catch (error) {
      options.logger.log('error', 'retention.purge_failed', { errorName: (error as Error)?.name ?? 'unknown' });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.checkEveryMs ?? 15 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
