import type {
  Action,
  ActionStatus,
  ConversationInstall,
  Delivery,
  DeliveryStatus,
  Group,
  Meeting,
  Member,
  Membership,
  Organisation,
  ReportRound,
  Theme,
  ThemeReport,
} from '../domain/index.js';

/**
 * The one persistence port. It speaks the domain: no SQL, no list item ids, no OData.
 * Shaped so a SharePoint list serves each record set as well as a table does:
 * - every record carries an opaque `version` (a row counter, or an item's eTag);
 * - `update` takes the version it read and fails with STORE.CONFLICT if another write got there first;
 * - `create` fails with STORE.DUPLICATE if the id is taken, which makes keyed creates idempotent;
 * - lists come in pages with an opaque continuation token, filtered on a few indexed fields.
 */
export type Versioned<T> = T & { readonly version: string };

export interface PageRequest {
  /** At most this many items (adapters cap it at MAX_PAGE_SIZE). */
  readonly limit?: number;
  /** The token from the previous page; absent for the first page. */
  readonly continuation?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when there is more: pass it back to get the next page. */
  readonly continuation?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export type StoreErrorCode = 'STORE.CONFLICT' | 'STORE.NOT_FOUND' | 'STORE.DUPLICATE' | 'STORE.BAD_CONTINUATION';

/** Raised by adapters for the expected failures; services turn them into domain results. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

export interface RecordSet<T extends { readonly id: string }, Q> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Items in a stable order (see each query type), one page at a time. */
  list(query: Q, page?: PageRequest): Promise<Page<Versioned<T>>>;
  /**
   * Every record matching the query, in the documented order, read in one pass: the same
   * records, in the same order, as paging through `list` to the end, without re-reading per page.
   */
  all(query: Q): Promise<Versioned<T>[]>;
  create(record: T): Promise<Versioned<T>>;
  update(record: T, expectedVersion: string): Promise<Versioned<T>>;
  /** Removes a record if it is still at the expected version. */
  delete(id: string, expectedVersion: string): Promise<void>;
}

/** Ordered by name. */
export type OrganisationQuery = Record<string, never>;
/** Ordered by initials. */
export interface MemberQuery {
  readonly initials?: string;
  readonly entraObjectId?: string;
  readonly teamsUserId?: string;
  readonly email?: string;
}
/** Ordered by name. */
export type GroupQuery = Record<string, never>;
/** Ordered by id. */
export interface MembershipQuery {
  readonly groupId?: string;
  readonly memberId?: string;
}
/** Ordered by priority number, then name. */
export type ThemeQuery = Record<string, never>;
/** Ordered by date. */
export interface MeetingQuery {
  readonly groupId?: string;
  readonly fromDate?: string;
  readonly toDate?: string;
}
/** Ordered by id (which the services make sortable by meeting and minute). */
export interface ActionQuery {
  readonly meetingId?: string;
  readonly ownerMemberId?: string;
  readonly ownerGroupId?: string;
  readonly statuses?: readonly ActionStatus[];
  readonly themeId?: string;
}
/** Ordered by deadline. */
export interface ReportRoundQuery {
  readonly meetingId?: string;
}
/** Ordered by id. */
export interface ThemeReportQuery {
  readonly roundId?: string;
  readonly leadMemberId?: string;
}
/** Ordered by id. */
export interface ConversationInstallQuery {
  readonly memberId?: string;
  readonly scope?: ConversationInstall['scope'];
}
/** Ordered by id. */
export interface DeliveryQuery {
  readonly status?: DeliveryStatus;
}

/** A store's record sets, by name: what `Store.willRead` takes. */
export type RecordSetKey = { [K in keyof Store]-?: Store[K] extends RecordSet<infer _Record, infer _Query> ? K : never }[keyof Store];

export interface Store {
  readonly organisations: RecordSet<Organisation, OrganisationQuery>;
  readonly members: RecordSet<Member, MemberQuery>;
  readonly groups: RecordSet<Group, GroupQuery>;
  readonly memberships: RecordSet<Membership, MembershipQuery>;
  readonly themes: RecordSet<Theme, ThemeQuery>;
  readonly meetings: RecordSet<Meeting, MeetingQuery>;
  readonly actions: RecordSet<Action, ActionQuery>;
  readonly reportRounds: RecordSet<ReportRound, ReportRoundQuery>;
  readonly themeReports: RecordSet<ThemeReport, ThemeReportQuery>;
  readonly installs: RecordSet<ConversationInstall, ConversationInstallQuery>;
  readonly deliveries: RecordSet<Delivery, DeliveryQuery>;
  /**
   * Optional: runs `work` as one request (an HTTP request, a sweep). A store that answers reads
   * from memory kept fresh by a change feed (SharePoint) then checks each record set for changes
   * at most once inside it, however many reads `work` makes; its own writes are read back at once.
   * Stores without such a model (SQLite) leave it out; callers then just call `work`.
   */
  runInRequest?<R>(work: () => R): R;
  /**
   * Optional, a hint: inside `runInRequest`, says which record sets the request is going to read,
   * so a store that checks each for changes (SharePoint) asks for all that need it in one round
   * trip, with the first read that has to ask, instead of one round trip per read that comes
   * later. Reads are as fresh and as correct without it; stores that read directly leave it out.
   */
  willRead?(sets: readonly RecordSetKey[]): void;
  close(): Promise<void>;
}

/** Every record matching a query, in order, read in one pass (see RecordSet.all). */
export async function listAll<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, query: Q): Promise<Versioned<T>[]> {
  return set.all(query);
}
