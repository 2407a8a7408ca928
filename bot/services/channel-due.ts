import { createHash } from 'node:crypto';
import {
  addDays,
  channelDueWindowEnd,
  dueDateOf,
  isDueThisWeek,
  isOverdue,
  isOwnedBy,
  londonDate,
  mayReadPartnershipRecords,
  type Action,
  type LocalDate,
} from '../domain/index.js';
import { channelDueDeliveryId, weekOf } from '../domain/deliveries.js';
import type { Logger } from '../observability/logger.js';
import { listAll, type Store, type Versioned } from '../store/store.js';
import { actorIn, currentMembers, loadDirectory, type Directory } from './directory.js';
import type { MessageSender, MessageView } from './messaging.js';
import type { ChannelDueItem, ChannelDueView } from './channel-due-view.js';

/** Notification text for the channel card: no titles, no initials. */
export const CHANNEL_DUE_SUMMARY = 'Safer Exec: actions due and overdue';

/** Teams shows a user-specific view to at most 60 people named in `refresh.userIds`. */
export const CHANNEL_REFRESH_USERS_MAX = 60;

export type { ChannelDueItem, ChannelDueView };

/** A week's card as read now, with what a viewer's view is worked out from. */
export interface ChannelDueState {
  readonly view: ChannelDueView;
  readonly actions: ReadonlyMap<string, Versioned<Action>>;
  readonly directory: Directory;
}

function ownersLabel(action: Action, directory: Directory): string {
  return action.owners
    .map((o) => (o.kind === 'member' ? (directory.members.find((m) => m.id === o.memberId)?.initials ?? '?') : (directory.groups.find((g) => g.id === o.groupId)?.name ?? 'a group')))
    .join(', ');
}

/** Everyone isOwnedBy counts as an owner today: named current members, and the current members of an owning group. */
function ownerMemberIds(action: Action, directory: Directory, now: Date): string[] {
  const today = londonDate(now);
  const ids: string[] = [];
  for (const owner of action.owners) {
    if (owner.kind === 'member') {
      if (mayReadPartnershipRecords(owner.memberId, directory.memberships, today)) ids.push(owner.memberId);
    } else for (const ms of currentMembers(directory, owner.groupId, now)) ids.push(ms.memberId);
  }
  return ids;
}

/**
 * The board channel's weekly card as it stands at `now`. A bot turn that already read the
 * directory (its request context) passes it; without one it is read here.
 */
export async function readChannelDue(store: Store, now: Date, known?: Directory): Promise<ChannelDueState> {
  const today = londonDate(now);
  const [directory, open] = await Promise.all([known ?? loadDirectory(store), listAll(store.actions, { statuses: ['open', 'in-progress', 'proposed-complete'] })]);
  const due = open
    .map((action) => ({ action, dueDate: dueDateOf(action, directory.meetings) }))
    .filter((x): x is { action: Versioned<Action>; dueDate: LocalDate } => x.dueDate !== null && isDueThisWeek(x.action, x.dueDate, today))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.action.id.localeCompare(b.action.id));
  const teamsIdOf = new Map(directory.members.map((m) => [m.id, m.teamsUserId ?? null]));
  const userIds: string[] = [];
  for (const { action } of due) {
    for (const memberId of ownerMemberIds(action, directory, now)) {
      const teamsUserId = teamsIdOf.get(memberId);
      if (teamsUserId && !userIds.includes(teamsUserId)) userIds.push(teamsUserId);
    }
  }
  return {
    view: {
      weekKey: weekOf(today),
      today,
      windowEnd: channelDueWindowEnd(today),
      items: due.map(({ action, dueDate }) => ({
        actionId: action.id,
        version: action.version,
        minuteRef: action.minuteRef,
        text: action.text,
        owners: ownersLabel(action, directory),
        dueDate,
        overdue: isOverdue(action, dueDate, today),
      })),
      proposedComplete: open.filter((a) => a.status === 'proposed-complete').length,
      ownerTeamsUserIds: userIds.slice(0, CHANNEL_REFRESH_USERS_MAX),
    },
    actions: new Map(due.map(({ action }) => [action.id, action])),
    directory,
  };
}

/**
 * The actions on the card that this member owns (isOwnedBy, today): the ones their own view of
 * the card carries buttons for. The chair and the secretariat see buttons on their own actions
 * only, like anyone else: the channel card is not where the log is managed.
 */
export function ownActionIds(state: ChannelDueState, memberId: string, now: Date): Set<string> {
  const actor = actorIn(state.directory, memberId, now);
  return new Set([...state.actions.values()].filter((a) => isOwnedBy(a, actor)).map((a) => a.id));
}

/**
 * Names what a card shows: the view it is rendered from, and the version of every action on it (an owner's buttons
 * carry the version, so a note added to a listed action is a change to push even when the public
 * text is the same).
 */
export function channelDueFingerprint(message: MessageView, view: ChannelDueView): string {
  return createHash('sha256')
    .update(JSON.stringify(message))
    .update('\n')
    .update(view.items.map((i) => `${i.actionId}@${i.version}`).join(','))
    .digest('hex')
    .slice(0, 32);
}

/** Where the week's card went, if it went: the channel and its activity id, from the ledger. */
async function postedCard(store: Store, weekKey: LocalDate): Promise<{ readonly conversationId: string; readonly activityId: string } | null> {
  const line = await store.deliveries.get(channelDueDeliveryId(weekKey));
  if (!line || line.status !== 'sent' || !line.activityId || !line.conversationId) return null;
  return { conversationId: line.conversationId, activityId: line.activityId };
}

/** The conversation a card lives in, from an activity's conversation id ("19:…@thread.tacv2;messageid=…" for a channel post). */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

/**
 * Whether a card of `weekKey` was posted into this conversation, and whether it is this week's.
 * A press or refresh from anywhere else is not answered with the card.
 */
export async function channelDueCardIn(store: Store, conversationId: string, weekKey: LocalDate, now: Date): Promise<'current' | 'past' | 'not-here'> {
  const posted = await postedCard(store, weekKey);
  if (!posted || posted.conversationId !== baseConversationId(conversationId)) return 'not-here';
  return weekKey === weekOf(londonDate(now)) ? 'current' : 'past';
}

export type ChannelDueRefresh = 'updated' | 'unchanged' | 'not-posted' | 'failed';

/**
 * Keeps the week's card in the board channel current: re-reads the actions, renders the public
 * card and, if it differs from what this process last put there, replaces it in place (the
 * activity id is on the week's ledger line). Calls are run one after another, so the last
 * update always carries the latest state; every owner's client then fetches its view again.
 */
export interface ChannelDueCards {
  /** The card to post for this week, and the name of what it shows; null when nothing is due. */
  render(now: Date): Promise<{ readonly view: MessageView; readonly fingerprint: string; readonly weekKey: LocalDate; readonly items: number } | null>;
  /** The sweep posted the week's card showing this: no need to update it with the same. */
  posted(weekKey: LocalDate, fingerprint: string): void;
  refresh(now: Date): Promise<ChannelDueRefresh>;
  /** Replaces last week's card with a short card that points to this week's, and stops its refreshes. */
  retire(weekKey: LocalDate, now: Date): Promise<ChannelDueRefresh>;
}

export function createChannelDueCards(deps: { readonly store: Store; readonly sender: MessageSender; readonly logger: Logger }): ChannelDueCards {
  const shown = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function update(weekKey: LocalDate, view: MessageView, fingerprint: string, summary: string): Promise<ChannelDueRefresh> {
    const posted = await postedCard(deps.store, weekKey);
    if (!posted) return 'not-posted';
    if (shown.get(weekKey) === fingerprint) return 'unchanged';
    const install = await deps.store.installs.get(posted.conversationId);
    if (!install) return 'not-posted';
    const outcome = await deps.sender.update({ conversationId: install.id, reference: install.reference }, posted.activityId, { view, summary });
    deps.logger.log(outcome.ok ? 'info' : 'warn', 'channel_due.update', { deliveryId: channelDueDeliveryId(weekKey), ok: outcome.ok, failureCode: outcome.ok ? undefined : outcome.failureCode });
    if (!outcome.ok) return 'failed';
    shown.set(weekKey, fingerprint);
    return 'updated';
  }

  return {
    async render(now) {
      const { view } = await readChannelDue(deps.store, now);
      if (view.items.length === 0) return null;
      const message: MessageView = { kind: 'channel-due', due: view };
      return { view: message, fingerprint: channelDueFingerprint(message, view), weekKey: view.weekKey, items: view.items.length };
    },
    posted(weekKey, fingerprint) {
      shown.set(weekKey, fingerprint);
    },
    refresh(now) {
      return serially(async () => {
        const weekKey = weekOf(londonDate(now));
        if (!(await postedCard(deps.store, weekKey))) return 'not-posted';
        const { view } = await readChannelDue(deps.store, now);
        const message: MessageView = { kind: 'channel-due', due: view };
        return update(weekKey, message, channelDueFingerprint(message, view), CHANNEL_DUE_SUMMARY);
      });
    },
    retire(weekKey, now) {
      return serially(async () => {
        return update(weekKey, { kind: 'channel-due-retired', weekKey, currentWeekKey: weekOf(londonDate(now)) }, `retired:${weekKey}`, CHANNEL_DUE_SUMMARY);
      });
    },
  };
}

/** The Monday before this week's: the card a new week's card replaces. */
export function previousWeekKey(now: Date): LocalDate {
  return addDays(weekOf(londonDate(now)), -7);
}
