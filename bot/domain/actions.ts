import { addDays, daysBetween, formatLongDate, isLocalDate, type LocalDate } from './dates.js';
import { nextMeetingAfter, type Meeting } from './meetings.js';
import { managesActionLog, type Actor } from './people.js';
import { fail, ok, type Result } from './result.js';

export const ACTION_STATUSES = ['open', 'in-progress', 'proposed-complete', 'closed', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: 'Open',
  'in-progress': 'In progress',
  'proposed-complete': 'Proposed complete',
  closed: 'Closed',
  dropped: 'Dropped',
};

/** Statuses an owner may set: they propose completion; the chair closes. */
export const OWNER_STATUSES: readonly ActionStatus[] = ['open', 'in-progress', 'proposed-complete'];

export type Owner =
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'group'; readonly groupId: string };

/** Minutes give a date ("in September") or, most often, "to the next meeting". */
export type Due = { readonly kind: 'date'; readonly date: LocalDate } | { readonly kind: 'next-meeting' };

export const ACTION_UPDATE_KINDS = [
  'created',
  'note',
  'status',
  'owners',
  'due',
  'date-change-requested',
  'date-change-approved',
  'date-change-refused',
  'rolled-over',
  'text',
  'deferred',
] as const;
export type ActionUpdateKind = (typeof ACTION_UPDATE_KINDS)[number];

/** What each kind of history line is called wherever a person reads it: tab, cards and exports. */
export const ACTION_UPDATE_LABELS: Record<ActionUpdateKind, string> = {
  created: 'Agreed at the meeting',
  note: 'Update',
  status: 'Status changed',
  owners: 'Owners changed',
  due: 'Due date changed',
  'date-change-requested': 'New date requested',
  'date-change-approved': 'New date approved',
  'date-change-refused': 'New date refused',
  'rolled-over': 'Rolled over',
  text: 'Wording corrected',
  deferred: 'Deferred by the chair',
};

/** One line of an action's history: who did what, when. */
export interface ActionUpdate {
  readonly id: string;
  readonly at: string;
  /** null when the system did it (a roll-over at a meeting). */
  readonly byMemberId: string | null;
  readonly kind: ActionUpdateKind;
  readonly note: string | null;
  readonly from: string | null;
  readonly to: string | null;
}

export interface DateChangeRequest {
  readonly requestedByMemberId: string;
  readonly requestedAt: string;
  readonly proposedDate: LocalDate;
  readonly reason: string;
}

export interface Action {
  readonly id: string;
  readonly meetingId: string;
  /** The minute it came from, as printed: "8.3". */
  readonly minuteRef: string;
  readonly text: string;
  readonly themeId: string | null;
  /** Empty when the minutes named nobody ("OPiC data to be released..."): the chair assigns one. */
  readonly owners: readonly Owner[];
  readonly due: Due;
  readonly status: ActionStatus;
  readonly rolloverCount: number;
  readonly createdAt: string;
  readonly dateChangeRequest: DateChangeRequest | null;
  /** Oldest first. Kept in the record so the status and its history change in one versioned write. */
  readonly history: readonly ActionUpdate[];
}

export const ACTION_TEXT_MAX = 2000;
export const ACTION_NOTE_MAX = 2000;

export function isOpenStatus(status: ActionStatus): boolean {
  return status === 'open' || status === 'in-progress' || status === 'proposed-complete';
}

/** The meeting a "next meeting" action counts from: the last one it was rolled over at, else the one that agreed it. */
function referenceMeetingId(action: Action): string {
  for (let i = action.history.length - 1; i >= 0; i--) {
    const line = action.history[i]!;
    if (line.kind === 'rolled-over' && line.to) return line.to;
  }
  return action.meetingId;
}

/** The date an action is due: its own date, or the next meeting of its group after the one it counts from. */
export function dueDateOf(action: Action, meetings: readonly Meeting[]): LocalDate | null {
  if (action.due.kind === 'date') return action.due.date;
  const reference = meetings.find((m) => m.id === referenceMeetingId(action));
  if (!reference) return null;
  return nextMeetingAfter(meetings, reference.groupId, reference.date)?.date ?? null;
}

export function isOwnedBy(action: Action, actor: Actor): boolean {
  return action.owners.some((o) =>
    o.kind === 'member' ? o.memberId === actor.memberId : actor.groupIds.includes(o.groupId),
  );
}

export function isOverdue(action: Action, dueDate: LocalDate | null, today: LocalDate): boolean {
  return isOpenStatus(action.status) && action.status !== 'proposed-complete' && dueDate !== null && dueDate < today;
}

export type Rag = 'red' | 'amber' | 'green';

export const RAG_LABELS: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

/** How the chair reads the log at a glance. Closed and dropped actions have no RAG. */
export function actionRag(action: Action, dueDate: LocalDate | null, today: LocalDate, soonDays = 14): Rag | null {
  if (!isOpenStatus(action.status)) return null;
  if (action.status === 'proposed-complete') return 'green';
  if (isOverdue(action, dueDate, today)) return 'red';
  if (action.owners.length === 0) return 'amber';
  if (action.dateChangeRequest) return 'amber';
  if (dueDate !== null && daysBetween(today, dueDate) <= soonDays && action.status === 'open') return 'amber';
  if (action.rolloverCount >= 2) return 'amber';
  return 'green';
}

export type ActionChange =
  | { readonly kind: 'set-status'; readonly status: ActionStatus; readonly note?: string }
  | { readonly kind: 'add-note'; readonly note: string }
  | { readonly kind: 'request-date-change'; readonly proposedDate: LocalDate; readonly reason: string }
  | { readonly kind: 'decide-date-change'; readonly approve: boolean; readonly note?: string }
  | { readonly kind: 'set-owners'; readonly owners: readonly Owner[] }
  | { readonly kind: 'set-due'; readonly due: Due }
  | { readonly kind: 'edit-text'; readonly text: string }
  /** The chair defers an action at (or before) the meeting it is due at: it rolls over marked as deferred. */
  | { readonly kind: 'defer'; readonly note?: string };

/** Deferred by the chair since it was agreed or last rolled over: the next roll-over says so. */
export function isDeferred(action: Action): boolean {
  for (let i = action.history.length - 1; i >= 0; i--) {
    const kind = action.history[i]!.kind;
    if (kind === 'deferred') return true;
    if (kind === 'rolled-over') return false;
  }
  return false;
}

/** Whether the actor may make this kind of change to this action at all (before checking the values). */
export function mayChange(actor: Actor, action: Action, change: ActionChange): boolean {
  if (managesActionLog(actor)) return true;
  if (!isOwnedBy(action, actor)) return false;
  switch (change.kind) {
    case 'add-note':
    case 'request-date-change':
      return true;
    case 'set-status':
      return OWNER_STATUSES.includes(change.status) && OWNER_STATUSES.includes(action.status);
    default:
      return false;
  }
}

/**
 * What one person may do with one action now: the same rule as mayChange, with what makes
 * sense in the action's state, decided once per request here and carried in the views, so the
 * cards and the tab show exactly these buttons and never work the rule out again. The server
 * still applies mayChange and applyActionChange on every write.
 */
export interface ActionAllowed {
  /** Statuses this person may move it to (never its current one): an owner proposes completion, a manager also closes, drops and reopens. */
  readonly status: readonly ActionStatus[];
  /** Propose it complete from open or in progress: a card's "Mark done". */
  readonly markDone: boolean;
  readonly addNote: boolean;
  /** Ask the chair for a new date: for those who cannot set the date themselves, while it is open. */
  readonly requestDate: boolean;
  /** Approve or refuse the new date asked for (only while a request waits). */
  readonly decideDate: boolean;
  readonly setOwners: boolean;
  readonly setDue: boolean;
  readonly editText: boolean;
  /** Defer it to the next meeting: an open action not deferred already. */
  readonly defer: boolean;
  /** Drop it, saying why: an action not closed or dropped yet. */
  readonly drop: boolean;
  readonly close: boolean;
}

export function actionAllowed(actor: Actor, action: Action): ActionAllowed {
  const may = (change: ActionChange) => mayChange(actor, action, change);
  const live = isOpenStatus(action.status);
  const working = live && action.status !== 'proposed-complete';
  const status = ACTION_STATUSES.filter((s) => s !== action.status && may({ kind: 'set-status', status: s }));
  const setDue = may({ kind: 'set-due', due: { kind: 'next-meeting' } });
  return {
    status,
    markDone: working && status.includes('proposed-complete'),
    addNote: may({ kind: 'add-note', note: '' }),
    requestDate: live && !setDue && may({ kind: 'request-date-change', proposedDate: '', reason: '' }),
    decideDate: action.dateChangeRequest !== null && may({ kind: 'decide-date-change', approve: true }),
    setOwners: may({ kind: 'set-owners', owners: [] }),
    setDue,
    editText: may({ kind: 'edit-text', text: '' }),
    defer: working && !isDeferred(action) && may({ kind: 'defer' }),
    drop: live && status.includes('dropped'),
    close: status.includes('closed'),
  };
}

export interface ChangeContext {
  readonly actor: Actor;
  readonly now: Date;
  /** Id for the history line this change writes; the caller makes it, so a retry can reuse it. */
  readonly updateId: string;
}

function describeOwners(owners: readonly Owner[]): string {
  return owners.map((o) => (o.kind === 'member' ? `member:${o.memberId}` : `group:${o.groupId}`)).join(',');
}

function describeDue(due: Due): string {
  return due.kind === 'date' ? due.date : 'next-meeting';
}

/**
 * Applies one change, checking who may make it and whether it makes sense now.
 * Returns the new action with the change recorded in its history.
 */
export function applyActionChange(action: Action, change: ActionChange, ctx: ChangeContext): Result<Action> {
  if (!mayChange(ctx.actor, action, change)) {
    return fail(
      'ACTION.FORBIDDEN',
      isOwnedBy(action, ctx.actor)
        ? 'Owners can update the status and add notes; the chair or secretariat changes owners, dates and closes actions.'
        : 'Only the owners of this action, the chair or the secretariat can change it.',
    );
  }
  const at = ctx.now.toISOString();
  const line = (kind: ActionUpdateKind, fields: Partial<Pick<ActionUpdate, 'note' | 'from' | 'to'>>): ActionUpdate => ({
    id: ctx.updateId,
    at,
    byMemberId: ctx.actor.memberId,
    kind,
    note: fields.note ?? null,
    from: fields.from ?? null,
    to: fields.to ?? null,
  });
  const withLine = (next: Partial<Action>, update: ActionUpdate): Result<Action> =>
    ok({ ...action, ...next, history: [...action.history, update] });

  switch (change.kind) {
    case 'add-note': {
      const note = change.note.trim();
      if (!note) return fail('ACTION.INVALID_CHANGE', 'The update is empty: write what has happened.');
      if (note.length > ACTION_NOTE_MAX) return fail('ACTION.INVALID_CHANGE', `An update can be at most ${ACTION_NOTE_MAX} characters.`);
      // A note on an untouched action shows work has started.
      const status = action.status === 'open' && isOwnedBy(action, ctx.actor) ? 'in-progress' : action.status;
      return withLine({ status }, line('note', { note }));
    }
    case 'set-status': {
      if (change.status === action.status) {
        return fail('ACTION.INVALID_TRANSITION', `The action is already ${ACTION_STATUS_LABELS[action.status].toLowerCase()}.`);
      }
      const note = change.note?.trim() || null;
      // A dropped action stays in the log: the board reads why it was let go.
      if (change.status === 'dropped' && !note) return fail('ACTION.INVALID_CHANGE', 'Say why the action is dropped: the reason stays in its history.');
      if (note && note.length > ACTION_NOTE_MAX) return fail('ACTION.INVALID_CHANGE', `A note can be at most ${ACTION_NOTE_MAX} characters.`);
      return withLine(
        { status: change.status, dateChangeRequest: isOpenStatus(change.status) ? action.dateChangeRequest : null },
        line('status', { from: action.status, to: change.status, note }),
      );
    }
    case 'request-date-change': {
      if (!isOpenStatus(action.status)) return fail('ACTION.INVALID_TRANSITION', 'A closed or dropped action has no date to change.');
      if (!isLocalDate(change.proposedDate)) return fail('ACTION.INVALID_CHANGE', 'The new date must be a real date (YYYY-MM-DD).');
      const today = at.slice(0, 10);
      if (change.proposedDate < addDays(today, -1)) return fail('ACTION.INVALID_CHANGE', 'The new date is in the past.');
      const reason = change.reason.trim();
      if (!reason) return fail('ACTION.INVALID_CHANGE', 'Say why a new date is needed: the chair decides on the reason.');
      if (reason.length > ACTION_NOTE_MAX) return fail('ACTION.INVALID_CHANGE', `The reason can be at most ${ACTION_NOTE_MAX} characters.`);
      const request: DateChangeRequest = {
        requestedByMemberId: ctx.actor.memberId,
        requestedAt: at,
        proposedDate: change.proposedDate,
        reason,
      };
      return withLine(
        { dateChangeRequest: request },
        line('date-change-requested', { from: describeDue(action.due), to: change.proposedDate, note: reason }),
      );
    }
    case 'decide-date-change': {
      const request = action.dateChangeRequest;
      if (!request) return fail('ACTION.NO_DATE_CHANGE_PENDING', 'There is no date-change request waiting on this action.');
      const note = change.note?.trim() || null;
      if (change.approve) {
        return withLine(
          { dateChangeRequest: null, due: { kind: 'date', date: request.proposedDate } },
          line('date-change-approved', { from: describeDue(action.due), to: request.proposedDate, note }),
        );
      }
      return withLine({ dateChangeRequest: null }, line('date-change-refused', { from: describeDue(action.due), to: request.proposedDate, note }));
    }
    case 'edit-text': {
      const text = change.text.trim();
      if (!text) return fail('ACTION.INVALID_CHANGE', 'The action text is empty: write what was agreed.');
      if (text.length > ACTION_TEXT_MAX) return fail('ACTION.INVALID_CHANGE', `An action can be at most ${ACTION_TEXT_MAX} characters.`);
      if (text === action.text) return fail('ACTION.INVALID_CHANGE', 'The text is unchanged.');
      // The old wording is kept in the history line: minutes are corrected, not rewritten.
      return withLine({ text }, line('text', { from: action.text, to: text }));
    }
    case 'defer': {
      if (!isOpenStatus(action.status) || action.status === 'proposed-complete') return fail('ACTION.INVALID_TRANSITION', 'Only an open action can be deferred.');
      const note = change.note?.trim() || null;
      if (note && note.length > ACTION_NOTE_MAX) return fail('ACTION.INVALID_CHANGE', `A note can be at most ${ACTION_NOTE_MAX} characters.`);
      if (isDeferred(action)) return fail('ACTION.INVALID_TRANSITION', 'The action is already deferred to the next meeting.');
      return withLine({}, line('deferred', { note }));
    }
    case 'set-owners': {
      return withLine({ owners: change.owners }, line('owners', { from: describeOwners(action.owners), to: describeOwners(change.owners) }));
    }
    case 'set-due': {
      if (change.due.kind === 'date' && !isLocalDate(change.due.date)) {
        return fail('ACTION.INVALID_CHANGE', 'The due date must be a real date (YYYY-MM-DD).');
      }
      return withLine({ due: change.due, dateChangeRequest: null }, line('due', { from: describeDue(action.due), to: describeDue(change.due) }));
    }
  }
}

/**
 * When a meeting is held, every action still open that was due at it is carried to the
 * next one ("rolled over"), and the count shows the chair which ones keep slipping.
 */
export function rollOverAt(action: Action, meeting: Meeting, meetings: readonly Meeting[], now: Date, updateId: string): Action | null {
  if (!isOpenStatus(action.status) || action.status === 'proposed-complete') return null;
  if (action.meetingId === meeting.id) return null;
  const due = dueDateOf(action, meetings);
  if (due === null || due > meeting.date) return null;
  if (action.history.some((h) => h.kind === 'rolled-over' && h.to === meeting.id)) return null;
  const deferred = isDeferred(action);
  return {
    ...action,
    // Now due at the meeting after this one (dueDateOf counts from the roll-over line).
    due: { kind: 'next-meeting' },
    rolloverCount: action.rolloverCount + 1,
    history: [
      ...action.history,
      { id: updateId, at: now.toISOString(), byMemberId: null, kind: 'rolled-over', note: deferred ? ROLLED_OVER_DEFERRED_NOTE : null, from: describeDue(action.due), to: meeting.id },
    ],
  };
}

/** The note on a roll-over line of an action the chair deferred, so matters arising can say "deferred". */
export const ROLLED_OVER_DEFERRED_NOTE = 'Deferred by the chair';

export interface NewAction {
  readonly meetingId: string;
  readonly minuteRef: string;
  readonly text: string;
  readonly owners: readonly Owner[];
  readonly due: Due;
  readonly themeId: string | null;
}

/**
 * An action agreed at a meeting, as the secretariat records it. Who may record it, and
 * whether its meeting, owners and theme exist, are the caller's checks against the directory.
 */
export function newAction(id: string, input: NewAction, meeting: Meeting, ctx: ChangeContext): Result<Action> {
  if (!managesActionLog(ctx.actor)) return fail('ACTION.FORBIDDEN', 'Only the chair or the secretariat can record actions.');
  const text = input.text.trim();
  if (!text) return fail('ACTION.INVALID_CHANGE', 'The action text is empty: write what was agreed.');
  if (text.length > ACTION_TEXT_MAX) return fail('ACTION.INVALID_CHANGE', `An action can be at most ${ACTION_TEXT_MAX} characters.`);
  const minuteRef = input.minuteRef.trim().replace(/\.$/, '');
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(minuteRef)) return fail('ACTION.INVALID_CHANGE', 'The minute reference is digits with dots, as printed in the minutes (8 or 8.3).');
  if (input.due.kind === 'date') {
    if (!isLocalDate(input.due.date)) return fail('ACTION.INVALID_CHANGE', 'The due date must be a real date (YYYY-MM-DD).');
    if (input.due.date < meeting.date) return fail('ACTION.INVALID_CHANGE', `The due date is before the meeting that agreed the action (${formatLongDate(meeting.date)}).`);
  }
  const ownerKeys = input.owners.map((o) => (o.kind === 'member' ? `m:${o.memberId}` : `g:${o.groupId}`));
  if (new Set(ownerKeys).size !== ownerKeys.length) return fail('ACTION.INVALID_CHANGE', 'An owner is listed twice.');
  const at = ctx.now.toISOString();
  return ok({
    id,
    meetingId: meeting.id,
    minuteRef,
    text,
    themeId: input.themeId,
    owners: input.owners,
    due: input.due,
    status: 'open',
    rolloverCount: 0,
    createdAt: at,
    dateChangeRequest: null,
    history: [{ id: ctx.updateId, at, byMemberId: ctx.actor.memberId, kind: 'created', note: null, from: null, to: describeOwners(input.owners) }],
  });
}

/** How long after a change of owners a new owner is still told of it (a sweep that missed a day catches up). */
export const OWNER_NOTICE_DAYS = 14;

/**
 * The people a history line made owners of an action (agreeing it with owners, or changing its
 * owners): member owners named in `to` and not in `from`, by id. Groups are resolved by the caller.
 */
export function ownersAddedBy(line: ActionUpdate): { memberIds: string[]; groupIds: string[] } {
  if (line.kind !== 'created' && line.kind !== 'owners') return { memberIds: [], groupIds: [] };
  const parse = (value: string | null) => new Set((value ?? '').split(',').filter(Boolean));
  const before = line.kind === 'created' ? new Set<string>() : parse(line.from);
  const added = [...parse(line.to)].filter((key) => !before.has(key));
  return {
    memberIds: added.filter((k) => k.startsWith('member:')).map((k) => k.slice('member:'.length)),
    groupIds: added.filter((k) => k.startsWith('group:')).map((k) => k.slice('group:'.length)),
  };
}

export function lastUpdateOf(action: Action): ActionUpdate | null {
  return action.history[action.history.length - 1] ?? null;
}
