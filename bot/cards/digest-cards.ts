import type { LocalDate } from '../domain/index.js';
import type { ActionView } from '../services/action-log.js';
import type { DigestView } from '../services/digest.js';
import { clip, dueLabel, formatDate, plainText, type CardNotice } from './format.js';
import { renderCard, type AdaptiveCardJson } from './render.js';
import { DIGEST_VERBS } from './verbs.js';

interface DigestItem {
  readonly actionId: string;
  readonly version: string;
  readonly text: string;
  readonly detail: string;
  /** The reader may press this item's buttons (decide the date, close it): the view's `allowed`, for them. */
  readonly canAct: boolean;
}

export interface DigestData {
  readonly heading: string;
  readonly summary: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly noticeStyle: string;
  readonly dateRequestsHeading: string;
  readonly dateRequests: readonly DigestItem[];
  readonly proposedHeading: string;
  readonly proposedComplete: readonly DigestItem[];
  readonly overdueHeading: string;
  readonly overdue: readonly DigestItem[];
  readonly missingHeading: string;
  readonly missingReports: readonly { readonly theme: string; readonly lead: string }[];
  readonly unownedHeading: string;
  readonly unowned: readonly DigestItem[];
  readonly reportsInHeading: string;
  readonly hasReportsIn: boolean;
  readonly reportsIn: readonly { readonly theme: string; readonly detail: string }[];
  readonly hasDeliveryProblems: boolean;
  readonly deliveryProblems: string;
  readonly verbs: typeof DIGEST_VERBS;
}

/** Each list is cut at this many so the card stays far under Teams' size limit; the tab has the rest. */
export const DIGEST_LIST_MAX = 8;
/** Unowned actions are a to-do for the secretariat in the tab; the card names the first few. */
const UNOWNED_LIST_MAX = 4;

const owners = (v: ActionView) => v.owners.map((o) => o.label).join(', ') || 'no owner';
const heading = (label: string, n: number, shown: number) => `${label}: ${n === 0 ? 'none' : n}${n > shown ? ` (first ${shown} shown)` : ''}`;

export function toDigestData(view: DigestView, notice?: CardNotice): DigestData {
  const today = view.today;
  const item = (v: ActionView, detail: string, canAct = false): DigestItem => ({ actionId: v.id, version: v.version, text: plainText(clip(`${v.minuteRef}: ${v.text}`, 160)), detail: plainText(clip(detail, 240)), canAct });
  const requests = view.dateRequests.slice(0, DIGEST_LIST_MAX);
  const proposed = view.proposedComplete.slice(0, DIGEST_LIST_MAX);
  const overdue = view.overdue.slice(0, DIGEST_LIST_MAX);
  const problems = [
    view.waitingForMeeting ? `${view.waitingForMeeting} action${view.waitingForMeeting === 1 ? ' waits' : 's wait'} for the next meeting to be scheduled` : '',
    view.unreachableCount ? `${view.unreachableCount} member${view.unreachableCount === 1 ? '' : 's'} cannot be reached by the bot yet (not installed)` : '',
    view.failedDeliveries ? `${view.failedDeliveries} message${view.failedDeliveries === 1 ? '' : 's'} could not be delivered` : '',
  ].filter(Boolean);
  return {
    heading: `Weekly digest, ${formatDate(today)}`,
    summary: `${view.overdue.length} overdue, ${view.dateRequests.length} new date${view.dateRequests.length === 1 ? '' : 's'} to decide, ${view.proposedComplete.length} to close, ${view.missingReports.length} report${view.missingReports.length === 1 ? '' : 's'} missing.`,
    hasNotice: notice !== undefined,
    notice: notice?.text ?? '',
    noticeStyle: notice?.tone ?? 'default',
    dateRequestsHeading: heading('New dates asked for', view.dateRequests.length, requests.length),
    dateRequests: requests.map((v) =>
      item(v, `${owners(v)} asks for ${formatDate(v.dateChangeRequest?.proposedDate ?? null)} (now due ${dueLabel(v, today)}). Reason: ${v.dateChangeRequest?.reason ?? ''}`, v.allowed.decideDate),
    ),
    proposedHeading: heading('Proposed complete', view.proposedComplete.length, proposed.length),
    proposedComplete: proposed.map((v) => item(v, `${owners(v)}${v.lastUpdate?.note ? `: ${v.lastUpdate.note}` : ''}`, v.allowed.close)),
    overdueHeading: heading('Overdue actions', view.overdue.length, overdue.length),
    overdue: overdue.map((v) => item(v, `${owners(v)} · due ${dueLabel(v, today)}`)),
    missingHeading: heading('Theme reports not in', view.missingReports.length, view.missingReports.length),
    missingReports: view.missingReports.map((r) => ({ theme: plainText(r.themeName), lead: plainText(r.leadLabel) })),
    unownedHeading: heading('Actions that reach nobody (give them an owner)', view.unowned.length, Math.min(view.unowned.length, UNOWNED_LIST_MAX)),
    unowned: view.unowned.slice(0, UNOWNED_LIST_MAX).map((v) => ({ ...item(v, v.owners.length ? `${owners(v)} has no current members to remind` : 'No owner named'), text: plainText(clip(`${v.minuteRef}: ${v.text}`, 100)) })),
    reportsInHeading: heading('Theme reports in', view.reportsIn.length, view.reportsIn.length),
    hasReportsIn: view.reportsIn.length > 0,
    reportsIn: view.reportsIn.map((r) => ({ theme: plainText(r.themeName), detail: plainText(`${r.leadLabel}, ${formatDate(r.submittedAt.slice(0, 10))}${r.versions > 1 ? ` (${r.versions} versions)` : ''}`) })),
    hasDeliveryProblems: problems.length > 0,
    deliveryProblems: problems.length ? `To sort out: ${problems.join('; ')}. The secretariat can see the details in the tab.` : '',
    verbs: DIGEST_VERBS,
  };
}

export function digestCard(view: DigestView, notice?: CardNotice): AdaptiveCardJson {
  return renderCard('digest', toDigestData(view, notice));
}

/** The Exec channel's version: counts and theme titles, never people or action text. */
export interface DigestChannelData {
  readonly heading: string;
  readonly overdueCount: string;
  readonly dateRequestCount: string;
  readonly proposedCount: string;
  readonly missingCount: string;
  readonly hasMissingThemes: boolean;
  readonly missingThemes: string;
  readonly footer: string;
}

export function toDigestChannelData(view: DigestView): DigestChannelData {
  return {
    heading: `This week in the action log, ${formatDate(view.today)}`,
    overdueCount: String(view.overdue.length),
    dateRequestCount: String(view.dateRequests.length),
    proposedCount: String(view.proposedComplete.length),
    missingCount: String(view.missingReports.length),
    hasMissingThemes: view.missingReports.length > 0,
    missingThemes: plainText(`Reports still to come: ${view.missingReports.map((r) => r.themeName).join(', ')}.`),
    footer: 'Owners get their own reminders; the details are in the Safer Exec tab.',
  };
}

export function digestChannelCard(view: DigestView): AdaptiveCardJson {
  return renderCard('digest-channel', toDigestChannelData(view));
}

export function isDigestEmpty(view: DigestView): boolean {
  return view.overdue.length + view.dateRequests.length + view.proposedComplete.length + view.missingReports.length + view.unowned.length === 0;
}

export type { LocalDate };
