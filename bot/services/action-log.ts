import {
  ACTION_STATUS_LABELS,
  actionAllowed,
  actionRag,
  applyActionChange,
  describeActionUpdate,
  dueDateOf,
  isOverdue,
  lastUpdateOf,
  londonDate,
  managesActionLog,
  mayReadPartnershipRecords,
  meetingStatus,
  newAction,
  ok,
  fail,
  type Action,
  type ActionAllowed,
  type ActionChange,
  type ActionStatus,
  type ActionUpdate,
  type Actor,
  type LocalDate,
  type NewAction,
  type Owner,
  type Rag,
  type Result,
} from '../domain/index.js';
import { isStoreError, listAll, type ActionQuery, type Store, type Versioned } from '../store/store.js';
import type { Directory } from './directory.js';
import type { RequestContext } from './request-context.js';

export interface OwnerView {
  readonly kind: 'member' | 'group';
  readonly id: string;
  /** "TN" for a member, the group's name for a group. */
  readonly label: string;
  readonly name: string;
}

export interface HistoryLineView extends ActionUpdate {
  readonly byLabel: string | null;
  /** The line in words (the domain's describeActionUpdate): what cards, the tab and the exports show. */
  readonly summary: string;
}

export interface ActionView {
  readonly id: string;
  readonly version: string;
  readonly meetingId: string;
  readonly meetingDate: LocalDate | null;
  readonly minuteRef: string;
  readonly text: string;
  readonly themeId: string | null;
  readonly themeName: string | null;
  readonly owners: readonly OwnerView[];
  readonly due: Action['due'];
  readonly dueDate: LocalDate | null;
  readonly status: ActionStatus;
  readonly statusLabel: string;
  readonly rag: Rag | null;
  readonly overdue: boolean;
  readonly rolloverCount: number;
  readonly dateChangeRequest: Action['dateChangeRequest'];
  readonly lastUpdate: HistoryLineView | null;
  /** What the person this view was made for may do with the action (the domain's rule): cards and the tab show these and only these. */
  readonly allowed: ActionAllowed;
}

export interface ActionDetailView extends ActionView {
  readonly history: readonly HistoryLineView[];
}

export const ACTION_SORTS = ['due', 'meeting', 'status', 'owner', 'rag'] as const;
export type ActionSort = (typeof ACTION_SORTS)[number];

export interface ActionLogFilter {
  readonly ownerMemberId?: string;
  readonly ownerGroupId?: string;
  readonly themeId?: string;
  readonly meetingId?: string;
  readonly statuses?: readonly ActionStatus[];
  readonly overdue?: boolean;
  readonly search?: string;
  readonly sort?: ActionSort;
  readonly descending?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export interface ActionLogPage {
  readonly items: readonly ActionView[];
  readonly total: number;
  readonly offset: number;
  readonly nextOffset: number | null;
}

function ownerViews(action: Action, directory: Directory): OwnerView[] {
  return action.owners.map((o) => {
    if (o.kind === 'member') {
      const member = directory.members.find((x) => x.id === o.memberId);
      return { kind: 'member', id: o.memberId, label: member?.initials ?? '?', name: member?.name ?? 'Unknown member' };
    }
    const group = directory.groups.find((x) => x.id === o.groupId);
    return { kind: 'group', id: o.groupId, label: group?.name ?? 'Unknown group', name: group?.name ?? 'Unknown group' };
  });
}

export function historyLine(line: ActionUpdate, directory: Directory): HistoryLineView {
  const by = line.byMemberId ? directory.members.find((x) => x.id === line.byMemberId) : undefined;
  return { ...line, byLabel: line.byMemberId ? (by?.initials || 'a former member') : null, summary: describeActionUpdate(line, directory) };
}

/** The action as `viewer` sees it: labels from the directory, and what they may do with it. */
export function toActionView(action: Versioned<Action>, directory: Directory, today: LocalDate, viewer: Actor): ActionView {
  const dueDate = dueDateOf(action, directory.meetings);
  const meeting = directory.meetings.find((x) => x.id === action.meetingId);
  const theme = action.themeId ? directory.themes.find((x) => x.id === action.themeId) : undefined;
  const last = lastUpdateOf(action);
  return {
    id: action.id,
    version: action.version,
    meetingId: action.meetingId,
    meetingDate: meeting?.date ?? null,
    minuteRef: action.minuteRef,
    text: action.text,
    themeId: action.themeId,
    themeName: theme?.name ?? null,
    owners: ownerViews(action, directory),
    due: action.due,
    dueDate,
    status: action.status,
    statusLabel: ACTION_STATUS_LABELS[action.status],
    rag: actionRag(action, dueDate, today),
    overdue: isOverdue(action, dueDate, today),
    rolloverCount: action.rolloverCount,
    dateChangeRequest: action.dateChangeRequest,
    lastUpdate: last ? historyLine(last, directory) : null,
    allowed: actionAllowed(viewer, action),
  };
}

const RAG_ORDER: Record<string, number> = { red: 0, amber: 1, green: 2, none: 3 };

/**
 * The log's orders, as localeCompare gives them, without its cost: localeCompare with options makes
 * a collator on every call, and sorting 2,000 actions spent most of its time doing so. Ids, ISO
 * dates and status codes ([a-z0-9.-] only) collate in code-point order, so those are compared
 * directly and the collator is kept for other text (owners' labels, group names).
 */
const TEXT_ORDER = new Intl.Collator();
const MINUTE_ORDER = new Intl.Collator('en', { numeric: true });
const PLAIN = /^[a-z0-9.-]*$/;
const byText = (x: string, y: string): number => (PLAIN.test(x) && PLAIN.test(y) ? (x < y ? -1 : x > y ? 1 : 0) : TEXT_ORDER.compare(x, y));

function compare(sort: ActionSort): (a: ActionView, b: ActionView) => number {
  switch (sort) {
    case 'due':
      return (a, b) => byText(a.dueDate ?? '9999', b.dueDate ?? '9999') || byText(a.id, b.id);
    case 'meeting':
      return (a, b) => byText(a.meetingDate ?? '', b.meetingDate ?? '') || MINUTE_ORDER.compare(a.minuteRef, b.minuteRef) || byText(a.id, b.id);
    case 'status':
      return (a, b) => byText(a.status, b.status) || byText(a.id, b.id);
    case 'owner':
      return (a, b) => byText(a.owners[0]?.label ?? '~', b.owners[0]?.label ?? '~') || byText(a.id, b.id);
    case 'rag':
      return (a, b) => (RAG_ORDER[a.rag ?? 'none']! - RAG_ORDER[b.rag ?? 'none']!) || byText(a.dueDate ?? '9999', b.dueDate ?? '9999');
  }
}

export const MAX_ACTION_PAGE = 500;

/** Orders (a filter, a search, a sort) of the log kept per store and viewer: the last few asked for. */
const MAX_CACHED_ORDERS = 50;

/**
 * The action log's views and orders, kept between requests for one store and one viewer on one
 * day over one directory. A view is rebuilt only when its action's version changes; an order only
 * when some matching action changed. Anything else (another day, another person, a directory
 * change: a member's initials, a meeting moved) starts afresh, because views depend on them.
 */
interface LogCache {
  readonly stamp: string;
  readonly orders: Map<string, { readonly signature: string; readonly views: readonly ActionView[] }>;
  view(action: Versioned<Action>): ActionView;
  /** What the log's search looks in, lower-cased, once per view. */
  searchText(view: ActionView): string;
}

const logCaches = new WeakMap<Store, LogCache>();

function directoryStamp(directory: Directory): string {
  return Object.values(directory)
    .map((records: readonly { readonly id: string; readonly version: string }[]) => records.map((r) => `${r.id}@${r.version}`).join(','))
    .join('|');
}

function logCacheFor(store: Store, context: RequestContext): LogCache {
  const stamp = `${context.today}|${JSON.stringify(context.actor)}|${directoryStamp(context.directory)}`;
  const known = logCaches.get(store);
  if (known?.stamp === stamp) return known;
  const views = new Map<string, ActionView>();
  const texts = new WeakMap<ActionView, string>();
  const cache: LogCache = {
    stamp,
    orders: new Map(),
    view(action) {
      const key = `${action.id}@${action.version}`;
      let view = views.get(key);
      if (!view) {
        view = toActionView(action, context.directory, context.today, context.actor);
        if (views.size >= 20_000) views.clear();
        views.set(key, view);
      }
      return view;
    },
    searchText(v) {
      let text = texts.get(v);
      if (text === undefined) {
        text = [v.text, v.minuteRef, v.themeName ?? '', ...v.owners.flatMap((o) => [o.label, o.name]), v.lastUpdate?.note ?? ''].join('\n').toLowerCase();
        texts.set(v, text);
      }
      return text;
    },
  };
  logCaches.set(store, cache);
  return cache;
}

/**
 * The chair's log: filters that the store can index go to the store; overdue, search
 * and sort need the computed due date, so they run here over the matching set.
 */
export async function listActionLog(store: Store, filter: ActionLogFilter, context: RequestContext): Promise<ActionLogPage> {
  const { directory, today } = context;
  const query: ActionQuery = {
    ...(filter.ownerMemberId ? { ownerMemberId: filter.ownerMemberId } : {}),
    ...(filter.ownerGroupId ? { ownerGroupId: filter.ownerGroupId } : {}),
    ...(filter.themeId ? { themeId: filter.themeId } : {}),
    ...(filter.meetingId ? { meetingId: filter.meetingId } : {}),
    ...(filter.statuses ? { statuses: filter.statuses } : {}),
  };
  const actions = await listAll(store.actions, query);
  const cache = logCacheFor(store, context);
  const search = filter.search?.trim().toLowerCase() ?? '';
  // The matching, sorted log is kept until an action changes (its id and version are the signature),
  // so the next page, or the same filter again, is a slice of it: no view built, nothing sorted.
  const orderKey = JSON.stringify([query, filter.overdue ?? null, search, filter.sort ?? 'meeting', filter.descending ?? false]);
  const signature = actions.map((a) => `${a.id}@${a.version}`).join('\n');
  let views = cache.orders.get(orderKey)?.signature === signature ? cache.orders.get(orderKey)!.views : undefined;
  if (!views) {
    let matching = actions.map((a) => cache.view(a));
    if (filter.overdue !== undefined) matching = matching.filter((v) => v.overdue === filter.overdue);
    if (search) matching = matching.filter((v) => cache.searchText(v).includes(search));
    matching.sort(compare(filter.sort ?? 'meeting'));
    if (filter.descending) matching.reverse();
    views = matching;
    if (cache.orders.size >= MAX_CACHED_ORDERS) cache.orders.clear();
    cache.orders.set(orderKey, { signature, views });
  }
  const offset = filter.offset ?? 0;
  const limit = Math.min(filter.limit ?? 100, MAX_ACTION_PAGE);
  const items = views.slice(offset, offset + limit);
  return { items, total: views.length, offset, nextOffset: offset + limit < views.length ? offset + limit : null };
}

export async function getActionDetail(store: Store, id: string, context: RequestContext): Promise<Result<ActionDetailView>> {
  const action = await store.actions.get(id);
  if (!action) return fail('ACTION.NOT_FOUND', 'There is no action with this id.');
  return ok(toActionDetailView(action, context));
}

/** An action read or just written, as the caller sees it, from the context's directory (no second read). */
export function toActionDetailView(action: Versioned<Action>, context: RequestContext): ActionDetailView {
  const { directory } = context;
  return { ...toActionView(action, directory, context.today, context.actor), history: action.history.map((h) => historyLine(h, directory)) };
}

export interface ChangeRequest {
  readonly actionId: string;
  /** The version the person saw: a change made on stale information is refused, not merged. */
  readonly expectedVersion: string;
  readonly change: ActionChange;
  /**
   * Names this change so a retry of it (a double click, a resent request, a Teams
   * re-delivery) is recognised and answered with the result instead of applied twice.
   */
  readonly changeId: string;
}

/** Owners are people on the board today, or groups that exist: never someone who has left. */
function checkOwners(owners: readonly Owner[], directory: Directory, now: Date): Result<true> {
  const today = londonDate(now);
  for (const owner of owners) {
    if (owner.kind === 'group') {
      if (!directory.groups.some((g) => g.id === owner.groupId)) return fail('ACTION.INVALID_CHANGE', 'One of the owners is not a known group.');
      continue;
    }
    const member = directory.members.find((m) => m.id === owner.memberId);
    if (!member) return fail('ACTION.INVALID_CHANGE', 'One of the owners is not a known person.');
    if (!mayReadPartnershipRecords(member.id, directory.memberships, today)) {
      return fail('ACTION.INVALID_CHANGE', `${member.name} (${member.initials}) is not a current member: choose someone on the board today, or a group.`);
    }
  }
  return ok(true);
}

export interface NewActionRequest extends NewAction {
  /** The id the action gets: made by the caller from its request id, so a resent create finds its action. */
  readonly actionId: string;
  readonly changeId: string;
}

/** "8.3" → "008.003", so ids (the log's stable order) sort by meeting date, then minute. */
function sortableMinute(minuteRef: string): string {
  return minuteRef.replace(/\.$/, '').split('.').map((part) => part.padStart(3, '0')).join('.');
}

export function newActionId(meetingDate: LocalDate, minuteRef: string, suffix: string): string {
  return `act-${meetingDate}-${sortableMinute(minuteRef.trim())}-${suffix}`;
}

/** Records an action agreed at a meeting. Creating the same request twice creates it once. */
export async function createAction(store: Store, context: RequestContext, request: NewActionRequest): Promise<Result<ActionDetailView>> {
  const existing = await store.actions.get(request.actionId);
  if (existing) {
    return existing.history[0]?.id === request.changeId ? ok(toActionDetailView(existing, context)) : fail('STORE.CONFLICT', 'A different action already has this id.');
  }
  const { directory, actor, now } = context;
  const meeting = directory.meetings.find((m) => m.id === request.meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id: choose the meeting that agreed the action.');
  if (meetingStatus(meeting) === 'cancelled') return fail('MEETING.NOT_OPEN', 'That meeting was cancelled: no actions were agreed at it.');
  if (request.themeId !== null && !directory.themes.some((t) => t.id === request.themeId)) return fail('THEME.NOT_FOUND', 'There is no theme with this id.');
  const owners = checkOwners(request.owners, directory, now);
  if (!owners.ok && managesActionLog(actor)) return owners;
  const created = newAction(request.actionId, request, meeting, { actor, now, updateId: request.changeId });
  if (!created.ok) return created;
  try {
    return ok(toActionDetailView(await store.actions.create(created.value), context));
  } catch (error) {
    if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
    const raced = await store.actions.get(request.actionId);
    if (!raced || raced.history[0]?.id !== request.changeId) return fail('STORE.CONFLICT', 'A different action already has this id.');
    return ok(toActionDetailView(raced, context));
  }
}

export async function changeAction(store: Store, context: RequestContext, request: ChangeRequest): Promise<Result<ActionDetailView>> {
  const action = await store.actions.get(request.actionId);
  if (!action) return fail('ACTION.NOT_FOUND', 'There is no action with this id.');
  if (action.history.some((h) => h.id === request.changeId)) return ok(toActionDetailView(action, context));
  if (action.version !== request.expectedVersion) {
    return fail('STORE.CONFLICT', 'Someone else changed this action since you opened it. Reload it to see their change, then try again.');
  }
  const { directory, actor, now } = context;
  const { version: _readVersion, ...record } = action;
  const changed = applyActionChange(record, request.change, { actor, now, updateId: request.changeId });
  if (!changed.ok) return changed;
  if (request.change.kind === 'set-owners') {
    const owners = checkOwners(request.change.owners, directory, now);
    if (!owners.ok) return owners;
  }
  try {
    // The saved record, as the store answered the write: no second read of the action or the directory.
    return ok(toActionDetailView(await store.actions.update(changed.value, request.expectedVersion), context));
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT')) {
      return fail('STORE.CONFLICT', 'Someone else changed this action at the same moment. Reload it to see their change, then try again.');
    }
    throw error;
  }
}

/** Every action matching the filter, all pages: for exports, which must not stop at one page. */
export async function listWholeActionLog(store: Store, filter: Omit<ActionLogFilter, 'limit' | 'offset'>, context: RequestContext): Promise<ActionView[]> {
  const all: ActionView[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: ActionLogPage = await listActionLog(store, { ...filter, limit: MAX_ACTION_PAGE, offset }, context);
    all.push(...page.items);
    offset = page.nextOffset;
  }
  return all;
}
