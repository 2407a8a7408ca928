import type { LocalDate, ReminderStage } from '../domain/index.js';
import type { ActionView } from '../services/action-log.js';
import { clip, dueLabel, formatDate, plainText, type CardNotice } from './format.js';
import { renderCard, type AdaptiveCardJson } from './render.js';
import { ACTION_VERBS } from './verbs.js';

export interface ActionReminderData {
  readonly heading: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly noticeStyle: string;
  readonly actionId: string;
  readonly version: string;
  readonly actionText: string;
  readonly meetingLabel: string;
  readonly minuteRef: string;
  readonly dueLabel: string;
  readonly statusLabel: string;
  readonly lastUpdateLabel: string;
  readonly hasDateRequest: boolean;
  readonly dateRequestLabel: string;
  readonly canAct: boolean;
  readonly showBack: boolean;
  readonly minDate: LocalDate;
  readonly verbs: typeof ACTION_VERBS;
}

/**
 * Who is reading, as far as closing actions and deciding dates goes: the chair (who closes them
 * and decides new dates, in the tab or from the weekly digest), someone else who manages the log
 * (vice-chair, secretariat: in the tab), or an owner (the chair does it).
 */
export type ActionCardViewer = 'chair' | 'manager' | 'owner';

/** What a person is told about closing a proposed-complete action, worded for who they are. */
export function closingSentence(viewer: ActionCardViewer, count = 1): string {
  const it = count === 1 ? 'it' : 'them';
  switch (viewer) {
    case 'chair':
      return `You can close ${it} in the Safer Exec tab or from your weekly digest.`;
    case 'manager':
      return `You can close ${it} in the Safer Exec tab.`;
    case 'owner':
      return `The chair will close ${it} at or before the next meeting.`;
  }
}

/** Who the card is for and why it was sent: a reminder at a stage, or the owner opening it. */
export interface ActionCardAudience {
  readonly stage: ReminderStage | 'opened' | 'assigned';
  /** Shown without its buttons, whatever the reader may do: a card whose change is still being saved. */
  readonly readOnly?: boolean;
  readonly today: LocalDate;
  readonly notice?: CardNotice;
  /** Shown when the card was opened from "my actions". */
  readonly showBack?: boolean;
  /** Who is reading: sentences about the chair are worded for them. Default: an owner. */
  readonly viewer?: ActionCardViewer;
}

const HEADINGS: Record<ActionCardAudience['stage'], string> = {
  before: 'Reminder: an action of yours is due soon',
  'on-day': 'Reminder: an action of yours is due today',
  overdue: 'Reminder: an action of yours is overdue',
  opened: 'Your action',
  assigned: 'You have been given an action',
};

export function toActionReminderData(view: ActionView, audience: ActionCardAudience): ActionReminderData {
  const last = view.lastUpdate;
  const lastLabel = !last
    ? 'None yet'
    : last.kind === 'created'
      ? `None since the meeting (${formatDate(last.at.slice(0, 10))})`
      : `${formatDate(last.at.slice(0, 10))}${last.byLabel ? ` by ${last.byLabel}` : ''}: ${last.kind === 'note' && last.note ? last.note : last.summary}`;
  const request = view.dateChangeRequest;
  return {
    heading: HEADINGS[audience.stage],
    hasNotice: audience.notice !== undefined,
    notice: audience.notice?.text ?? '',
    noticeStyle: audience.notice?.tone ?? 'default',
    actionId: view.id,
    version: view.version,
    actionText: plainText(view.text),
    meetingLabel: view.meetingDate ? `Exec, ${formatDate(view.meetingDate)}` : 'Exec',
    minuteRef: plainText(view.minuteRef),
    dueLabel: dueLabel(view, audience.today),
    statusLabel: view.statusLabel,
    lastUpdateLabel: plainText(lastLabel),
    hasDateRequest: request !== null,
    dateRequestLabel: request
      ? `A new date (${formatDate(request.proposedDate)}) has been asked for: ${audience.viewer === 'chair' ? 'you decide, in the Safer Exec tab or from your weekly digest' : 'waiting for the chair'}.`
      : '',
    // What the reader may do is in the view (the domain's rule, for them): the card only shows it.
    canAct: !audience.readOnly && view.allowed.markDone,
    showBack: audience.showBack ?? false,
    minDate: audience.today,
    verbs: ACTION_VERBS,
  };
}

export function actionReminderCard(view: ActionView, audience: ActionCardAudience): AdaptiveCardJson {
  return renderCard('action-reminder', toActionReminderData(view, audience));
}

export interface MyActionsData {
  readonly heading: string;
  readonly summary: string;
  readonly items: readonly { readonly actionId: string; readonly text: string; readonly detail: string }[];
  readonly verbs: typeof ACTION_VERBS;
}

/** The list a member gets for "my actions": open ones first by due date; at most 20 so the card stays small. */
export const MY_ACTIONS_MAX = 12;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "2 open actions, 1 overdue. 1 proposed complete: the chair will close it." An action proposed
 * complete is neither open work nor overdue (the domain's isOverdue), so it is counted apart and
 * its line shows no "overdue".
 */
function myActionsSummary(views: readonly ActionView[], viewer: ActionCardViewer): string {
  const proposed = views.filter((v) => v.status === 'proposed-complete').length;
  const open = views.length - proposed;
  const overdue = views.filter((v) => v.overdue).length;
  if (views.length === 0) return 'You have no open actions. Nothing to do here.';
  const openPart = open === 0 ? 'No open actions.' : `${plural(open, 'open action')}${overdue ? `, ${overdue} overdue` : ''}.`;
  const proposedPart = proposed === 0 ? '' : ` ${plural(proposed, 'action')} proposed complete: ${closingSentence(viewer, proposed).replace(/^./, (c) => c.toLowerCase())}`;
  return `${openPart}${proposedPart}`;
}

export function toMyActionsData(views: readonly ActionView[], today: LocalDate, viewer: ActionCardViewer = 'owner'): MyActionsData {
  const shown = views.slice(0, MY_ACTIONS_MAX);
  const more = views.length - shown.length;
  return {
    heading: 'Your actions',
    summary: `${myActionsSummary(views, viewer)}${more > 0 ? ` Showing the first ${shown.length}: the tab has the rest.` : ''}`,
    items: shown.map((v) => ({
      actionId: v.id,
      text: plainText(clip(v.text, 200)),
      detail: plainText(`Minute ${v.minuteRef} · due ${dueLabel(v, today)} · ${v.statusLabel}`),
    })),
    verbs: ACTION_VERBS,
  };
}

export function myActionsCard(views: readonly ActionView[], today: LocalDate, viewer: ActionCardViewer = 'owner'): AdaptiveCardJson {
  return renderCard('my-actions', toMyActionsData(views, today, viewer));
}
