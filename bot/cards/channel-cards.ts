import type { LocalDate } from '../domain/index.js';
import type { ChannelDueView } from '../services/channel-due.js';
import { clip, formatDate, formatDue, plainText, type CardNotice } from './format.js';
import { renderCard, type AdaptiveCardJson } from './render.js';
import { CHANNEL_VERBS } from './verbs.js';

/** Lines on the channel card; the rest are counted, and are in the tab. */
export const CHANNEL_DUE_LIST_MAX = 12;
/** How much of an action's words the channel card prints: the title, as the minutes begin it. */
export const CHANNEL_TITLE_MAX = 110;

interface ChannelDueItemData {
  readonly title: string;
  readonly detail: string;
  readonly canAct: boolean;
  readonly actionId: string;
  readonly version: string;
  /** Each "Add an update" box has its own input id (ids are unique on a card); the button names it. */
  readonly noteInput: string;
}

export interface ChannelDueData {
  readonly heading: string;
  readonly summary: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly noticeStyle: string;
  readonly items: readonly ChannelDueItemData[];
  readonly hasMore: boolean;
  readonly more: string;
  readonly hasProposed: boolean;
  readonly proposed: string;
  readonly footer: string;
  readonly week: LocalDate;
  readonly userIds: readonly string[];
  readonly verbs: typeof CHANNEL_VERBS;
}

/**
 * Who the card is rendered for. Without an audience it is the public card everyone in the channel
 * sees (and the one posted); an owner's view adds buttons to their own actions only, and may carry
 * a notice that only they see (the answer to their press).
 */
export interface ChannelDueAudience {
  readonly ownActionIds?: ReadonlySet<string>;
  readonly notice?: CardNotice;
  /**
   * The viewer's own Teams id, for a view with buttons: that view is shown on their client only,
   * so its refresh names only them (and the card stays far under Teams' size limit).
   */
  readonly viewerTeamsUserId?: string;
}

/**
 * The board channel's weekly "due and overdue" card: minute, the action's words clipped, owners'
 * initials (or the owning group's name) and the due date, as the public minutes print them.
 * Never a note, a reason, report text or a name. `refresh.userIds` names the owners, whose clients
 * fetch their own view (with their buttons) through the `view` verb.
 */
export function toChannelDueData(view: ChannelDueView, audience: ChannelDueAudience = {}): ChannelDueData {
  const shown = view.items.slice(0, CHANNEL_DUE_LIST_MAX);
  const overdue = view.items.filter((i) => i.overdue).length;
  const dueLater = view.items.length - overdue;
  const own = audience.ownActionIds ?? new Set<string>();
  const mine = shown.filter((i) => own.has(i.actionId)).length;
  return {
    heading: `Actions due and overdue: week of ${formatDate(view.weekKey)}`,
    summary:
      view.items.length === 0
        ? `Nothing is due or overdue up to ${formatDate(view.windowEnd)}.`
        : `${overdue} overdue, ${dueLater} due by ${formatDate(view.windowEnd)}.${mine > 0 ? ` ${mine === 1 ? 'One of them is yours' : `${mine} of them are yours`}: the buttons are below it.` : ''}`,
    hasNotice: audience.notice !== undefined,
    notice: audience.notice?.text ?? '',
    noticeStyle: audience.notice?.tone ?? 'default',
    items: shown.map((item, index) => ({
      title: plainText(clip(`${item.minuteRef}: ${item.text}`, CHANNEL_TITLE_MAX)),
      detail: plainText(`${item.owners || 'No owner yet'} · due ${formatDue(item.dueDate, view.today)}`),
      canAct: own.has(item.actionId),
      actionId: item.actionId,
      version: item.version,
      noteInput: `note-${index + 1}`,
    })),
    hasMore: view.items.length > shown.length,
    more: `And ${view.items.length - shown.length} more: see the action log in the Safer Exec tab.`,
    hasProposed: view.proposedComplete > 0,
    proposed: `${view.proposedComplete} action${view.proposedComplete === 1 ? ' is' : 's are'} proposed complete, waiting to be closed.`,
    footer: 'Titles and owners\u2019 initials as the minutes print them. Owners see buttons on their own actions here; updates go to the action log, not to this channel.',
    week: view.weekKey,
    userIds: mine > 0 && audience.viewerTeamsUserId ? [audience.viewerTeamsUserId] : view.ownerTeamsUserIds,
    verbs: CHANNEL_VERBS,
  };
}

export function channelDueCard(view: ChannelDueView, audience: ChannelDueAudience = {}): AdaptiveCardJson {
  return renderCard('channel-due', toChannelDueData(view, audience));
}

/** Last week's card once a new one is posted: no list, no refresh (owners' clients stop asking). */
export function channelDueRetiredCard(weekKey: LocalDate, currentWeekKey: LocalDate): AdaptiveCardJson {
  return renderCard('channel-due-retired', {
    heading: `Actions due and overdue: week of ${formatDate(weekKey)}`,
    message: `Replaced by the card for the week of ${formatDate(currentWeekKey)}, further down the channel.`,
  });
}
