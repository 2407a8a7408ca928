import {
  DEFAULT_REMINDER_POLICY,
  DEFAULT_REPORT_PROMPT_POLICY,
  DEFAULT_WORKING_HOURS,
  addDays,
  currentMemberIds,
  dueReminder,
  dueReportPrompt,
  isOwnerFor,
  isCurrentMembership,
  isOpenStatus,
  isWorkingTime,
  londonDate,
  OWNER_NOTICE_DAYS,
  ownersAddedBy,
  type Action,
  type ConversationInstall,
  type Delivery,
  type ReminderPolicy,
  type ThemeReport,
  type ReportPromptPolicy,
  type WorkingHours,
} from '../domain/index.js';
import {
  DEFAULT_DELIVERY_LEASE_MS,
  channelDueDeliveryId,
  digestDeliveryId,
  digestWeekKey,
  ownerAssignedDeliveryId,
  reportReceivedDeliveryId,
  recoveryFor,
  reminderDeliveryId,
  reportPromptDeliveryId,
  roundSummaryDeliveryId,
} from '../domain/deliveries.js';
import type { Logger } from '../observability/logger.js';
import { isStoreError, listAll, type RecordSetKey, type Store, type Versioned } from '../store/store.js';
import { toActionView } from './action-log.js';
import { CHANNEL_DUE_SUMMARY, previousWeekKey, type ChannelDueCards } from './channel-due.js';
import { buildDigest } from './digest.js';
import { actionRecipients, actorIn, EXEC_GROUP_ID, loadDirectory, type Directory } from './directory.js';
import { contextIn } from './request-context.js';
import type { TeamReach } from './installs.js';
import { ensureUpcomingRounds } from './meetings.js';
import type { ConversationTarget, MessageSender, OutgoingMessage } from './messaging.js';
import { reportCardView, roundProgress } from './theme-reports.js';

export interface SweepDependencies {
  readonly store: Store;
  readonly sender: MessageSender;
  readonly logger: Logger;
  /** Conversation id of the Exec team channel, where the bot is installed; null = no channel cards. */
  readonly execChannelId: string | null;
  /** 'immediate': the chair and secretariat are sent each report as it comes in, besides the digest. */
  readonly reportNotices?: 'digest' | 'immediate';
  readonly reminderPolicy?: ReminderPolicy;
  readonly reportPolicy?: ReportPromptPolicy;
  readonly workingHours?: WorkingHours;
  readonly leaseMs?: number;
  /** Opens personal chats, through the board's team, with members who have none (one roster read per sweep). */
  readonly teamReach?: Pick<TeamReach, 'openChats'>;
  /**
   * The board channel's weekly "due and overdue" card (needs `execChannelId`): posted on the first
   * sweep of the week with something due, then kept current in place at every sweep.
   */
  readonly channelDue?: ChannelDueCards;
}

export interface SweepResult {
  readonly at: string;
  readonly workingTime: boolean;
  /** Messages this sweep sent. */
  readonly sent: number;
  /** Messages this sweep tried and recorded as failed. */
  readonly failed: number;
  /**
   * Planned messages with nothing left to say by the time their turn came (the report came in,
   * the action was closed): recorded as `skipped` (NOTHING_TO_SEND) so later sweeps pass them by.
   * Not a failure: nothing was posted and nothing went wrong.
   */
  readonly skipped: number;
  /**
   * Posts whose outcome cannot be known (no answer from Teams, or a sweep that died mid-post):
   * not posted again, since that could show them twice; listed for the secretariat.
   */
  readonly inDoubt: number;
  /** Due, but already in the ledger (sent, failed, or being sent by another sweep). */
  readonly alreadyHandled: number;
  /** Due, but the person has no personal chat with the bot: listed for the secretariat, tried again next sweep. */
  readonly unreachable: number;
  /** Cards already posted that this sweep replaced in place (the board channel's weekly card). */
  readonly updated: number;
}

interface Outgoing {
  readonly delivery: Omit<Delivery, 'status' | 'attempts' | 'createdAt' | 'lastAttemptAt' | 'activityId' | 'failureCode' | 'conversationId'>;
  readonly target: ConversationTarget;
  /** What to say, as a view (the sender renders the card); null: nothing left to say. */
  readonly message: () => Promise<OutgoingMessage | null>;
}


/**
 * What a sweep reads: the directory, installs, actions, report rounds and theme reports, and the
 * ledger. Told to the store before a sweep (Store.willRead) so that it can refresh them together.
 */
export const SWEEP_READS: readonly RecordSetKey[] = ['organisations', 'members', 'groups', 'memberships', 'themes', 'meetings', 'installs', 'actions', 'reportRounds', 'themeReports', 'deliveries'];

/**
 * Decides everything due at `now` and sends it, each message at most once: its ledger
 * line is created first under the message's natural key, and a second sweep (another
 * process, an overlapping timer, a re-run of `npm run sweep`) finds the line and skips it.
 */
export function createSweep(deps: SweepDependencies): (now: Date) => Promise<SweepResult> {
  const reminderPolicy = deps.reminderPolicy ?? DEFAULT_REMINDER_POLICY;
  const reportPolicy = deps.reportPolicy ?? DEFAULT_REPORT_PROMPT_POLICY;
  const hours = deps.workingHours ?? DEFAULT_WORKING_HOURS;
  const leaseMs = deps.leaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
  const { store, logger } = deps;

  function ledgerLine(outgoing: Outgoing, now: Date, status: Delivery['status']): Delivery {
    return {
      ...outgoing.delivery,
      conversationId: outgoing.target.conversationId,
      status,
      attempts: 0,
      createdAt: now.toISOString(),
      lastAttemptAt: now.toISOString(),
      activityId: null,
      failureCode: null,
    };
  }

  /** Writes a line, or moves one on from the version read; false if another sweep got there first. */
  async function write(line: Delivery, previous: Versioned<Delivery> | null): Promise<Versioned<Delivery> | null> {
    try {
      return previous ? await store.deliveries.update(line, previous.version) : await store.deliveries.create(line);
    } catch (error) {
      if (isStoreError(error, 'STORE.DUPLICATE') || isStoreError(error, 'STORE.CONFLICT')) return null;
      throw error;
    }
  }

  /**
   * One message, at most once. The ledger line is written as `sending` at the last moment
   * before the post goes on the wire (after the rate limits let it through): a crash before
   * that leaves no line and the next sweep sends; a crash after it leaves a `sending` line
   * that, once its lease runs out, becomes `in-doubt` rather than being posted again.
   */
  async function deliver(outgoing: Outgoing, now: Date, tally: Tally): Promise<Delivery['status'] | null> {
    const existing = await store.deliveries.get(outgoing.delivery.id);
    const recovery = existing ? recoveryFor(existing, now, leaseMs) : 'send';
    if (recovery === 'skip') {
      tally.alreadyHandled++;
      return null;
    }
    if (recovery === 'in-doubt' && existing) {
      const marked = await write({ ...withoutVersion(existing), status: 'in-doubt', failureCode: 'INTERRUPTED_WHILE_SENDING' }, existing);
      if (marked) tally.inDoubt++;
      else tally.alreadyHandled++;
      logger.log('warn', 'sweep.in_doubt', { deliveryId: existing.id, kind: existing.kind, failureCode: 'INTERRUPTED_WHILE_SENDING' });
      return null;
    }
    const takeover = recovery === 'resend' ? (existing ?? null) : null;
    const message = await outgoing.message();
    if (!message) {
      // Nothing to say (the report is in, the action has gone): recorded as skipped, not failed,
      // so later sweeps pass it by and the secretariat's failure list holds only real failures.
      if (await write({ ...ledgerLine(outgoing, now, 'skipped'), failureCode: 'NOTHING_TO_SEND' }, takeover)) {
        tally.skipped++;
        logger.log('info', 'sweep.skipped', { deliveryId: outgoing.delivery.id, kind: outgoing.delivery.kind, failureCode: 'NOTHING_TO_SEND' });
        return 'skipped';
      }
      tally.alreadyHandled++;
      return null;
    }
    let claimed: Versioned<Delivery> | null = null;
    const outcome = await deps.sender.send(outgoing.target, message, {
      claim: async () => {
        claimed = await write(takeover ? { ...withoutVersion(takeover), status: 'sending', lastAttemptAt: now.toISOString() } : ledgerLine(outgoing, now, 'sending'), takeover);
        return claimed !== null;
      },
    });
    let line = claimed as Versioned<Delivery> | null;
    if (!line && outcome.ok) {
      // A sender that posted without calling claim() broke its contract; the post is out, so
      // record it rather than leave nothing that stops the next sweep posting it again.
      logger.log('error', 'sweep.unclaimed_send', { deliveryId: outgoing.delivery.id, kind: outgoing.delivery.kind });
      line = await write(ledgerLine(outgoing, now, 'sending'), takeover);
    }
    if (!line) {
      tally.alreadyHandled++;
      return null;
    }
    const status: Delivery['status'] = outcome.ok ? 'sent' : outcome.posted === 'unknown' ? 'in-doubt' : 'failed';
    await store.deliveries.update(
      {
        ...withoutVersion(line),
        status,
        attempts: line.attempts + outcome.attempts,
        lastAttemptAt: now.toISOString(),
        activityId: outcome.ok ? outcome.activityId : null,
        failureCode: outcome.ok ? null : outcome.failureCode,
      },
      line.version,
    );
    if (status === 'sent') tally.sent++;
    else if (status === 'in-doubt') tally.inDoubt++;
    else tally.failed++;
    logger.log(outcome.ok ? 'info' : 'warn', `sweep.${status === 'in-doubt' ? 'in_doubt' : status}`, {
      deliveryId: line.id,
      kind: line.kind,
      attempts: outcome.attempts,
      failureCode: outcome.ok ? undefined : outcome.failureCode,
    });
    return status;
  }

  async function personalTargets(directory: Directory, now: Date): Promise<(memberId: string) => ConversationTarget | null> {
    // One read of every personal install, not one query per recipient: the first install by id
    // per member, which is the one personalInstallFor picks.
    const byMember = new Map<string, ConversationInstall>();
    for (const install of await listAll(store.installs, { scope: 'personal' })) {
      if (install.memberId && !byMember.has(install.memberId)) byMember.set(install.memberId, install);
    }
    // Current members with no personal chat: where the app is in the board's team, open one with them.
    // Not those who removed the app themselves: that is how they asked the bot to stop.
    const optedOut = new Set(directory.members.filter((m) => m.removedAppAt).map((m) => m.id));
    const missing = [...currentMemberIds(directory.memberships, londonDate(now))].filter((id) => !byMember.has(id) && !optedOut.has(id)).sort();
    if (deps.teamReach && missing.length > 0) {
      for (const [memberId, install] of await deps.teamReach.openChats(missing, directory, now)) byMember.set(memberId, install);
    }
    return (memberId) => {
      const install = byMember.get(memberId);
      return install ? { conversationId: install.id, reference: install.reference } : null;
    };
  }

  async function channelTarget(): Promise<ConversationTarget | null> {
    if (!deps.execChannelId) return null;
    const install = await store.installs.get(deps.execChannelId);
    return install ? { conversationId: install.id, reference: install.reference } : null;
  }

  /**
   * New owners are told once per change that made them owners, in their personal chat; the
   * person who made the change is not told of their own change.
   */
  function ownerNotices(action: Versioned<Action>, directory: Directory, now: Date, personalTarget: (memberId: string) => ConversationTarget | null, tally: Tally): Outgoing[] {
    const since = addDays(londonDate(now), -OWNER_NOTICE_DAYS);
    const today = londonDate(now);
    const current = new Set(actionRecipients(action, directory, now));
    const notices: Outgoing[] = [];
    for (const line of action.history) {
      if (line.byMemberId === null || line.at.slice(0, 10) < since) continue;
      const added = ownersAddedBy(line);
      const told = new Set([...added.memberIds, ...actionRecipients({ owners: added.groupIds.map((groupId) => ({ kind: 'group' as const, groupId })) }, directory, now)]);
      for (const memberId of [...told].sort()) {
        if (memberId === line.byMemberId || !current.has(memberId)) continue;
        const target = personalTarget(memberId);
        if (!target) {
          tally.unreachable++;
          continue;
        }
        notices.push({
          delivery: { id: ownerAssignedDeliveryId(action.id, line.id, memberId), kind: 'owner-assigned', subjectId: action.id },
          target,
          message: async () => {
            const fresh = await store.actions.get(action.id);
            if (!fresh || !isOpenStatus(fresh.status)) return null;
            return { view: { kind: 'action', stage: 'assigned', action: toActionView(fresh, directory, today, actorIn(directory, memberId, now)), today }, summary: 'You have been given a Safer Exec action' };
          },
        });
      }
    }
    return notices;
  }

  /** The chair and the secretariat hear of each version a lead submits (not the one who submitted it). */
  function reportReceivedNotices(report: ThemeReport, directory: Directory, now: Date, personalTarget: (memberId: string) => ConversationTarget | null, tally: Tally): Outgoing[] {
    const since = addDays(londonDate(now), -OWNER_NOTICE_DAYS);
    const keepers = directory.memberships
      .filter((ms) => ms.groupId === EXEC_GROUP_ID && (ms.role === 'chair' || ms.role === 'secretariat') && isCurrentMembership(ms, londonDate(now)))
      .map((ms) => ms.memberId);
    const notices: Outgoing[] = [];
    report.versions.forEach((version, index) => {
      if (version.submittedAt.slice(0, 10) < since) return;
      const themeName = directory.themes.find((t) => t.id === report.themeId)?.name ?? 'A theme';
      const by = directory.members.find((m) => m.id === version.submittedByMemberId)?.initials ?? 'the lead';
      for (const memberId of [...new Set(keepers)].sort()) {
        if (memberId === version.submittedByMemberId) continue;
        const target = personalTarget(memberId);
        if (!target) {
          tally.unreachable++;
          continue;
        }
        const heading = index === 0 ? `${themeName}: report in` : `${themeName}: report changed (version ${index + 1})`;
        notices.push({
          delivery: { id: reportReceivedDeliveryId(report.id, index + 1, memberId), kind: 'report-received', subjectId: report.id },
          target,
          message: async () => ({
            view: { kind: 'report-received', heading, byLabel: by, submittedOn: version.submittedAt.slice(0, 10), rag: version.content.rag },
            summary: heading,
          }),
        });
      }
    });
    return notices;
  }

  return async function sweep(now: Date): Promise<SweepResult> {
    const tally: Tally = { sent: 0, failed: 0, skipped: 0, inDoubt: 0, alreadyHandled: 0, unreachable: 0, updated: 0 };
    const at = now.toISOString();
    if (!isWorkingTime(now, hours)) {
      logger.log('info', 'sweep.outside_working_time', { at });
      return { at, workingTime: false, ...tally };
    }
    const today = londonDate(now);
    const directory = await loadDirectory(store);
    // A theme added, or a lead changed, since a round opened: its report is expected too.
    await ensureUpcomingRounds(store, directory, now);
    const personalTarget = await personalTargets(directory, now);
    const outgoing: Outgoing[] = [];

    // 1. Action reminders, to each owner's personal chat.
    const actions = await listAll(store.actions, { statuses: ['open', 'in-progress'] });
    for (const action of actions) {
      const due = dueReminder(action, directory.meetings, today, reminderPolicy, isOwnerFor(action, (id) => actorIn(directory, id, now)));
      outgoing.push(...ownerNotices(action, directory, now, personalTarget, tally));
      if (!due) continue;
      for (const memberId of actionRecipients(action, directory, now)) {
        const target = personalTarget(memberId);
        if (!target) {
          tally.unreachable++;
          continue;
        }
        outgoing.push({
          delivery: { id: reminderDeliveryId(due.slotKey, memberId), kind: 'action-reminder', subjectId: action.id },
          target,
          message: async () => {
            const fresh = await store.actions.get(action.id);
            if (!fresh) return null;
            const view = toActionView(fresh, directory, today, actorIn(directory, memberId, now));
            return { view: { kind: 'action', stage: due.stage, action: view, today }, summary: 'Reminder about one of your Safer Exec actions' };
          },
        });
      }
    }

    // 2. Theme-lead report prompts and chases, and the Exec channel's progress card.
    const openRounds = (await listAll(store.reportRounds, {})).filter((r) => !r.closedAt);
    if (deps.reportNotices === 'immediate') {
      // Reports can come in early, or late until the meeting: every round still open is watched.
      for (const round of openRounds) {
        for (const report of await listAll(store.themeReports, { roundId: round.id })) outgoing.push(...reportReceivedNotices(report, directory, now, personalTarget, tally));
      }
    }
    const rounds = openRounds.filter((r) => r.deadline >= today && addDays(r.deadline, -reportPolicy.daysBeforeDeadline) <= today);
    const channel = await channelTarget();
    for (const round of rounds) {
      for (const report of await listAll(store.themeReports, { roundId: round.id })) {
        const due = dueReportPrompt(report, round, today, reportPolicy);
        if (!due || !report.leadMemberId) continue;
        const target = personalTarget(report.leadMemberId);
        if (!target) {
          tally.unreachable++;
          continue;
        }
        outgoing.push({
          delivery: { id: reportPromptDeliveryId(due.slotKey), kind: due.stage === 'prompt' ? 'report-prompt' : 'report-chase', subjectId: report.id },
          target,
          message: async () => {
            const view = await reportCardView(store, report.id, { directory, today });
            if (!view.ok || view.value.versionCount > 0) return null;
            return { view: { kind: 'report-prompt', stage: due.stage, report: view.value }, summary: 'Your theme report for the next Exec' };
          },
        });
      }
      if (channel) {
        outgoing.push({
          delivery: { id: roundSummaryDeliveryId(round.id), kind: 'channel-summary', subjectId: round.id },
          target: channel,
          message: async () => {
            const progress = await roundProgress(store, round.id, directory);
            return progress.ok ? { view: { kind: 'round-progress', progress: progress.value, today }, summary: `${progress.value.reported} of ${progress.value.total} themes reported` } : null;
          },
        });
      }
    }

    // 3. The chair's weekly digest (and the channel's version, without people).
    const week = digestWeekKey(today);
    const chairs = directory.memberships.filter((ms) => ms.groupId === EXEC_GROUP_ID && ms.role === 'chair' && actorIn(directory, ms.memberId, now).chairsExec);
    let digest: Awaited<ReturnType<typeof buildDigest>> | undefined;
    // Built once, as the (first) chair reads it: every chair manages the log, so their buttons are the same.
    const getDigest = async () => (digest ??= await buildDigest(store, contextIn(directory, chairs[0]?.memberId ?? '', now)));
    for (const chairId of [...new Set(chairs.map((c) => c.memberId))]) {
      const target = personalTarget(chairId);
      if (!target) {
        tally.unreachable++;
        continue;
      }
      outgoing.push({
        delivery: { id: digestDeliveryId(week, chairId), kind: 'digest', subjectId: week },
        target,
        message: async () => ({ view: { kind: 'digest', digest: await getDigest() }, summary: 'Your weekly Safer Exec digest' }),
      });
    }
    if (channel) {
      outgoing.push({
        delivery: { id: digestDeliveryId(week, 'exec-channel'), kind: 'digest', subjectId: week },
        target: channel,
        message: async () => ({ view: { kind: 'digest-channel', digest: await getDigest() }, summary: 'This week in the Safer Exec action log' }),
      });
    }

    // 4. The board channel's weekly "due and overdue" card: titles and initials only, with
    // Universal Actions' refresh for the owners' own views. Posted once a week, then kept current.
    let channelDuePost: { readonly outgoing: Outgoing; fingerprint: string | null } | null = null;
    if (channel && deps.channelDue) {
      const cards = deps.channelDue;
      const line = await store.deliveries.get(channelDueDeliveryId(week));
      const planned = !line || line.status === 'pending' || line.status === 'sending' ? await cards.render(now) : null;
      if (planned) {
        const post: { outgoing: Outgoing; fingerprint: string | null } = {
          outgoing: {
            delivery: { id: channelDueDeliveryId(week), kind: 'channel-due', subjectId: week },
            target: channel,
            message: async () => {
              // Rendered again at its turn: the sweep's other messages take time, and actions change.
              const fresh = (await cards.render(now)) ?? planned;
              post.fingerprint = fresh.fingerprint;
              return { view: fresh.view, summary: CHANNEL_DUE_SUMMARY };
            },
          },
          fingerprint: null,
        };
        channelDuePost = post;
        outgoing.push(post.outgoing);
      }
    }

    const statuses = new Map<Outgoing, Delivery['status'] | null>();
    for (const item of outgoing) statuses.set(item, await deliver(item, now, tally));

    if (channel && deps.channelDue) {
      const cards = deps.channelDue;
      if (channelDuePost && statuses.get(channelDuePost.outgoing) === 'sent' && channelDuePost.fingerprint) {
        cards.posted(week, channelDuePost.fingerprint);
        // Last week's card gives way to this one, and its owners' clients stop refreshing it.
        if ((await cards.retire(previousWeekKey(now), now)) === 'updated') tally.updated++;
      }
      if ((await cards.refresh(now)) === 'updated') tally.updated++;
    }
    logger.log('info', 'sweep.done', { at, ...tally });
    return { at, workingTime: true, ...tally };
  };
}

interface Tally {
  sent: number;
  failed: number;
  skipped: number;
  inDoubt: number;
  alreadyHandled: number;
  unreachable: number;
  updated: number;
}

function withoutVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}
