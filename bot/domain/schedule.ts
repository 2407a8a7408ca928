import { addDays, daysBetween, londonClock, type LocalDate } from './dates.js';
import { isWorkingDay } from './bank-holidays.js';
import { weekOf } from './deliveries.js';
import { dueDateOf, isOpenStatus, isOwnedBy, type Action } from './actions.js';
import type { Meeting } from './meetings.js';
import type { ReportRound, ThemeReport } from './reports.js';
import type { Actor } from './people.js';

export interface ReminderPolicy {
  /** First reminder this many days before the due date. */
  readonly daysBefore: number;
  /** While overdue, remind again every this many days. */
  readonly overdueEveryDays: number;
}

export interface ReportPromptPolicy {
  /** Prompt leads this many days before the paper deadline. */
  readonly daysBeforeDeadline: number;
  /** Chase leads who have not reported every this many days after the prompt, up to the deadline. */
  readonly chaseEveryDays: number;
}

export interface WorkingHours {
  readonly startHour: number;
  readonly endHour: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { daysBefore: 5, overdueEveryDays: 7 };
export const DEFAULT_REPORT_PROMPT_POLICY: ReportPromptPolicy = { daysBeforeDeadline: 14, chaseEveryDays: 3 };
export const DEFAULT_WORKING_HOURS: WorkingHours = { startHour: 9, endHour: 17 };

/** Sweeps run in working hours on working days, London time: nobody gets a reminder at 2 am or on Christmas Day. */
export function isWorkingTime(now: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const clock = londonClock(now);
  return isWorkingDay(clock.date) && clock.hour >= hours.startHour && clock.hour < hours.endHour;
}

export type ReminderStage = 'before' | 'on-day' | 'overdue';

export interface DueReminder {
  readonly actionId: string;
  readonly stage: ReminderStage;
  readonly dueDate: LocalDate;
  /**
   * Names this reminder for the delivery ledger. Stable for the whole slot, so a sweep
   * on any day inside the slot (a Monday after a weekend due date) sends it once, and
   * a second sweep sends nothing.
   */
  readonly slotKey: string;
}

/**
 * Whether an owner has touched the action since its reminders began: an update, a
 * status change or a request for a new date all stop the reminders for this due date.
 */
export function ownerUpdatedSince(action: Action, since: LocalDate, isOwner: (memberId: string) => boolean): boolean {
  return action.history.some(
    (h) => h.byMemberId !== null && h.kind !== 'created' && h.at.slice(0, 10) >= since && isOwner(h.byMemberId),
  );
}

/**
 * The reminder due for this action today, if any. Slots: `before` from daysBefore ahead
 * of the due date, `on-day` from the due date, then `overdue-k` every overdueEveryDays.
 */
export function dueReminder(
  action: Action,
  meetings: readonly Meeting[],
  today: LocalDate,
  policy: ReminderPolicy,
  isOwner: (memberId: string) => boolean,
): DueReminder | null {
  if (!isOpenStatus(action.status) || action.status === 'proposed-complete') return null;
  if (action.owners.length === 0) return null;
  const dueDate = dueDateOf(action, meetings);
  if (dueDate === null) return null;
  const windowStart = addDays(dueDate, -policy.daysBefore);
  if (today < windowStart) return null;
  if (ownerUpdatedSince(action, windowStart, isOwner)) return null;
  const late = daysBetween(dueDate, today);
  if (late < 0) return { actionId: action.id, stage: 'before', dueDate, slotKey: `${action.id}:${dueDate}:before` };
  const k = Math.floor(late / policy.overdueEveryDays);
  if (k === 0) return { actionId: action.id, stage: 'on-day', dueDate, slotKey: `${action.id}:${dueDate}:on-day` };
  return { actionId: action.id, stage: 'overdue', dueDate, slotKey: `${action.id}:${dueDate}:overdue-${k}` };
}

export function isOwnerFor(action: Action, actorOf: (memberId: string) => Actor): (memberId: string) => boolean {
  return (memberId) => isOwnedBy(action, actorOf(memberId));
}

/** The last day the board channel's weekly card looks ahead to: the Sunday that ends this week. */
export function channelDueWindowEnd(today: LocalDate): LocalDate {
  return addDays(weekOf(today), 6);
}

/**
 * Whether an action is on the board channel's weekly "due and overdue" card: still to be done
 * (open or in progress: one proposed complete is done as far as its owners go, and not overdue)
 * and due by the end of this week, or overdue.
 */
export function isDueThisWeek(action: Pick<Action, 'status'>, dueDate: LocalDate | null, today: LocalDate): boolean {
  if (action.status !== 'open' && action.status !== 'in-progress') return false;
  return dueDate !== null && dueDate <= channelDueWindowEnd(today);
}

export type ReportPromptStage = 'prompt' | 'chase';

export interface DueReportPrompt {
  readonly reportId: string;
  readonly stage: ReportPromptStage;
  readonly slotKey: string;
}

/**
 * The prompt or chase due for one theme report today. The first prompt goes out
 * daysBeforeDeadline ahead; leads who have not answered are chased every chaseEveryDays
 * and once more on the deadline day itself.
 */
export function dueReportPrompt(
  report: ThemeReport,
  round: ReportRound,
  today: LocalDate,
  policy: ReportPromptPolicy,
): DueReportPrompt | null {
  if (report.versions.length > 0 || report.leadMemberId === null || round.closedAt) return null;
  const start = addDays(round.deadline, -policy.daysBeforeDeadline);
  if (today < start || today > round.deadline) return null;
  const sinceStart = daysBetween(start, today);
  if (today === round.deadline) return { reportId: report.id, stage: 'chase', slotKey: `${report.id}:deadline` };
  const k = Math.floor(sinceStart / policy.chaseEveryDays);
  if (k === 0) return { reportId: report.id, stage: 'prompt', slotKey: `${report.id}:prompt` };
  return { reportId: report.id, stage: 'chase', slotKey: `${report.id}:chase-${k}` };
}
