import { createHash, randomUUID } from 'node:crypto';
import type {
  Action,
  ConversationInstall,
  Delivery,
  Group,
  Meeting,
  Member,
  Membership,
  Organisation,
  ReportRound,
  Theme,
  ThemeReport,
} from '../../domain/index.js';
import { LAYOUT_VERSION, type ListKey, type RecordSetName } from '../../../infra/sharepoint/list-design.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  StoreError,
  type ActionQuery,
  type ConversationInstallQuery,
  type DeliveryQuery,
  type GroupQuery,
  type MeetingQuery,
  type MemberQuery,
  type MembershipQuery,
  type OrganisationQuery,
  type Page,
  type PageRequest,
  type RecordSet,
  type ReportRoundQuery,
  type Store,
  type ThemeQuery,
  type ThemeReportQuery,
  type Versioned,
} from '../store.js';
import { createGraphSiteClient, type FetchLike, type GraphSiteClient, type RetryPolicy, type TokenProvider } from './graph-client.js';
import { eTagOf, indexValue, resolveLayoutLists, unexpected, type FieldValues, type SpItem, type SpList } from './sharepoint-lists.js';

/**
 * How a query is served: Graph filters on ONE indexed column at a time, so each query picks its
 * most selective indexed column (or the owner index) and the rest is checked on the records.
 */
type QueryPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'all' }
  | { readonly kind: 'eq'; readonly column: string; readonly values: readonly string[] }
  | { readonly kind: 'owner'; readonly ownerKey: string };

interface ListSpec<T, Q> {
  readonly list: RecordSetName;
  readonly sortKey: (record: T) => string;
  /** Query columns and the typed mirror columns, as written to the item. */
  readonly columns: (record: T) => FieldValues;
  readonly plan: (query: Q) => QueryPlan;
  /** The whole query, checked against the record itself (the JSON body is the truth). */
  readonly matches: (record: T, query: Q) => boolean;
}

const ALL: QueryPlan = { kind: 'all' };
const eq = (column: string, value: string): QueryPlan => ({ kind: 'eq', column, values: [indexValue(value)] });
const key = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : indexValue(value));
const isoOrNull = (value: string | null): string | null => (value !== null && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);
const dayOrNull = (value: string): string | null => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : null);

export function ownerKey(owner: Action['owners'][number]): string {
  return owner.kind === 'member' ? `member:${owner.memberId}` : `group:${owner.groupId}`;
}

const specs = {
  organisations: {
    list: 'organisations',
    sortKey: (o) => o.name.toLowerCase(),
    columns: () => ({}),
    plan: () => ALL,
    matches: () => true,
  } satisfies ListSpec<Organisation, OrganisationQuery>,
  members: {
    list: 'members',
    sortKey: (m) => m.initials,
    columns: (m) => ({ Initials: key(m.initials), EntraObjectId: key(m.entraObjectId), TeamsUserId: key(m.teamsUserId), EmailKey: key(m.email?.toLowerCase()) }),
    plan: (q) =>
      q.entraObjectId !== undefined
        ? eq('EntraObjectId', q.entraObjectId)
        : q.teamsUserId !== undefined
          ? eq('TeamsUserId', q.teamsUserId)
          : q.email !== undefined
            ? eq('EmailKey', q.email.toLowerCase())
            : q.initials !== undefined
              ? eq('Initials', q.initials.toUpperCase())
              : ALL,
    matches: (m, q) =>
      (q.initials === undefined || m.initials === q.initials.toUpperCase()) &&
      (q.entraObjectId === undefined || m.entraObjectId === q.entraObjectId) &&
      (q.teamsUserId === undefined || m.teamsUserId === q.teamsUserId) &&
      (q.email === undefined || m.email?.toLowerCase() === q.email.toLowerCase()),
  } satisfies ListSpec<Member, MemberQuery>,
  groups: {
    list: 'groups',
    sortKey: (g) => g.name.toLowerCase(),
    columns: () => ({}),
    plan: () => ALL,
    matches: () => true,
  } satisfies ListSpec<Group, GroupQuery>,
  memberships: {
    list: 'memberships',
    sortKey: (m) => m.id,
    columns: (m) => ({ GroupId: key(m.groupId), MemberId: key(m.memberId), DecisionMaker: m.decisionMaker }),
    plan: (q) => (q.memberId !== undefined ? eq('MemberId', q.memberId) : q.groupId !== undefined ? eq('GroupId', q.groupId) : ALL),
    matches: (m, q) => (q.groupId === undefined || m.groupId === q.groupId) && (q.memberId === undefined || m.memberId === q.memberId),
  } satisfies ListSpec<Membership, MembershipQuery>,
  themes: {
    list: 'themes',
    sortKey: (t) => `${String(t.priorityNumber ?? 999).padStart(3, '0')}:${t.name.toLowerCase()}`,
    columns: (t) => ({ PriorityNumber: t.priorityNumber ?? null }),
    plan: () => ALL,
    matches: () => true,
  } satisfies ListSpec<Theme, ThemeQuery>,
  meetings: {
    list: 'meetings',
    sortKey: (m) => m.date,
    columns: (m) => ({ GroupId: key(m.groupId), MeetingDate: dayOrNull(m.date) }),
    // Without a group the whole (small: a few meetings a year per group) list is read.
    plan: (q) => (q.groupId !== undefined ? eq('GroupId', q.groupId) : ALL),
    matches: (m, q) =>
      (q.groupId === undefined || m.groupId === q.groupId) &&
      (q.fromDate === undefined || m.date >= q.fromDate) &&
      (q.toDate === undefined || m.date <= q.toDate),
  } satisfies ListSpec<Meeting, MeetingQuery>,
  actions: {
    list: 'actions',
    sortKey: (a) => a.id,
    columns: (a) => ({
      MeetingId: key(a.meetingId),
      Status: a.status,
      ThemeId: key(a.themeId),
      RolloverCount: a.rolloverCount,
      CreatedAt: isoOrNull(a.createdAt),
    }),
    plan: (q) => {
      if (q.statuses !== undefined && q.statuses.length === 0) return { kind: 'none' };
      if (q.meetingId !== undefined) return eq('MeetingId', q.meetingId);
      if (q.ownerMemberId !== undefined) return { kind: 'owner', ownerKey: `member:${q.ownerMemberId}` };
      if (q.ownerGroupId !== undefined) return { kind: 'owner', ownerKey: `group:${q.ownerGroupId}` };
      if (q.themeId !== undefined) return eq('ThemeId', q.themeId);
      // One indexed equality per status (the sweep asks for the three open ones): never an `or`.
      if (q.statuses !== undefined) return { kind: 'eq', column: 'Status', values: [...new Set(q.statuses)] };
      return ALL;
    },
    matches: (a, q) =>
      (q.meetingId === undefined || a.meetingId === q.meetingId) &&
      (q.themeId === undefined || a.themeId === q.themeId) &&
      (q.statuses === undefined || q.statuses.includes(a.status)) &&
      (q.ownerMemberId === undefined || a.owners.some((o) => o.kind === 'member' && o.memberId === q.ownerMemberId)) &&
      (q.ownerGroupId === undefined || a.owners.some((o) => o.kind === 'group' && o.groupId === q.ownerGroupId)),
  } satisfies ListSpec<Action, ActionQuery>,
  reportRounds: {
    list: 'reportRounds',
    sortKey: (r) => r.deadline,
    columns: (r) => ({ MeetingId: key(r.meetingId) }),
    plan: (q) => (q.meetingId !== undefined ? eq('MeetingId', q.meetingId) : ALL),
    matches: (r, q) => q.meetingId === undefined || r.meetingId === q.meetingId,
  } satisfies ListSpec<ReportRound, ReportRoundQuery>,
  themeReports: {
    list: 'themeReports',
    sortKey: (r) => r.id,
    columns: (r) => ({ RoundId: key(r.roundId), LeadMemberId: key(r.leadMemberId) }),
    plan: (q) => (q.roundId !== undefined ? eq('RoundId', q.roundId) : q.leadMemberId !== undefined ? eq('LeadMemberId', q.leadMemberId) : ALL),
    matches: (r, q) => (q.roundId === undefined || r.roundId === q.roundId) && (q.leadMemberId === undefined || r.leadMemberId === q.leadMemberId),
  } satisfies ListSpec<ThemeReport, ThemeReportQuery>,
  installs: {
    list: 'installs',
    sortKey: (i) => i.id,
    columns: (i) => ({ MemberId: key(i.memberId), Scope: i.scope }),
    plan: (q) => (q.memberId !== undefined ? eq('MemberId', q.memberId) : q.scope !== undefined ? eq('Scope', q.scope) : ALL),
    matches: (i, q) => (q.memberId === undefined || i.memberId === q.memberId) && (q.scope === undefined || i.scope === q.scope),
  } satisfies ListSpec<ConversationInstall, ConversationInstallQuery>,
  deliveries: {
    list: 'deliveries',
    sortKey: (d) => d.id,
    columns: (d) => ({ Status: d.status, Attempts: d.attempts, CreatedAt: isoOrNull(d.createdAt), LastAttemptAt: isoOrNull(d.lastAttemptAt) }),
    plan: (q) => (q.status !== undefined ? eq('Status', q.status) : ALL),
    matches: (d, q) => q.status === undefined || d.status === q.status,
  } satisfies ListSpec<Delivery, DeliveryQuery>,
};

/** Everything a write puts on an item: the JSON body, the key, a write token, the query columns. */
function itemFields<T extends { readonly id: string }>(spec: ListSpec<T, never>, record: T, writeToken: string): FieldValues {
  return {
    // Title is the genericList template's own column: the id, for people browsing the list.
    Title: record.id.slice(0, 255),
    RecordId: indexValue(record.id),
    Body: JSON.stringify(record),
    WriteToken: writeToken,
    ...spec.columns(record),
  };
}

function hydrate<T>(item: SpItem): Versioned<T> {
  const version = eTagOf(item);
  if (item.fields.Body === undefined || version === undefined) throw new Error('A SharePoint item came back without its Body or eTag.');
  return { ...(JSON.parse(item.fields.Body) as T), version };
}

/**
 * Continuation tokens are a position in the query's order, (sort key, id), plus a fingerprint of
 * the query, so a token is only accepted for the query that issued it. A position, not a Graph
 * nextLink: it stays valid when records are added between pages, and never leaks a site URL.
 */
const TOKEN_PREFIX = 'sp1.';

function queryFingerprint(query: unknown): string {
  const entries = Object.entries((query ?? {}) as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

function encodeContinuation(fingerprint: string, sortKey: string, id: string): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify([fingerprint, sortKey, id]), 'utf8').toString('base64url');
}

function decodeContinuation(token: string, fingerprint: string): [string, string] {
  if (token.startsWith(TOKEN_PREFIX)) {
    try {
      const value: unknown = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
      if (Array.isArray(value) && value.length === 3 && value[0] === fingerprint && typeof value[1] === 'string' && typeof value[2] === 'string') {
        return [value[1], value[2]];
      }
    } catch {
      // fall through to the error below
    }
  }
  throw new StoreError('STORE.BAD_CONTINUATION', 'The continuation token is not one this store issued for this query.');
}

const compareKeys = (a: [string, string], b: [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/**
 * Index entries younger than this may belong to a write still in flight (entries are added before
 * the action is written), so only older stale entries are removed. Generous, for clock skew
 * between this server and SharePoint.
 */
const OWNER_KEY_GRACE_MS = 15 * 60_000;

/**
 * "Which actions does this member own?" as one indexed query: a separate list with one item per
 * (owner, action). It is kept a superset of the truth — entries are added before the action is
 * written and removed only after, and only when old — and every hit is checked against the action's
 * own owners, so a stale entry can never show a wrong action and a crash can never hide one.
 */
class OwnerIndex {
  constructor(
    private readonly keys: SpList,
    private readonly actions: SpList,
  ) {}

  async add(actionId: string, ownerKeys: readonly string[]): Promise<void> {
    const graph = this.keys.graph;
    for (let i = 0; i < ownerKeys.length; i += 20) {
      const slice = ownerKeys.slice(i, i + 20);
      const answers = await graph.batch(
        slice.map((owner) => ({
          method: 'POST' as const,
          url: this.keys.itemsPath(),
          body: {
            fields: {
              Title: actionId.slice(0, 255),
              RecordId: indexValue(`${owner}|${actionId}`),
              Body: JSON.stringify({ ownerKey: owner, actionId }),
              WriteToken: randomUUID(),
              OwnerKey: indexValue(owner),
              ActionId: indexValue(actionId),
            },
          },
        })),
      );
      for (const answer of answers) {
        // 409 (or any refusal) where the entry already exists is the outcome we wanted.
        if (answer.status === 201 || answer.status === 200 || answer.status === 409) continue;
        throw unexpected('an owner index write', answer);
      }
    }
  }

  async prune(actionId: string, keep: ReadonlySet<string>): Promise<void> {
    const entries = await this.keys.queryItems({ column: 'ActionId', value: indexValue(actionId) });
    const cutoff = Date.now() - OWNER_KEY_GRACE_MS;
    const stale = entries.filter((item) => {
      const entry = JSON.parse(item.fields.Body ?? '{}') as { ownerKey?: string; actionId?: string };
      const created = Date.parse(item.createdDateTime ?? '');
      return entry.actionId === actionId && !keep.has(entry.ownerKey ?? '') && Number.isFinite(created) && created < cutoff;
    });
    for (let i = 0; i < stale.length; i += 20) {
      const answers = await this.keys.graph.batch(
        stale.slice(i, i + 20).map((item) => ({ method: 'DELETE' as const, url: this.keys.itemsPath(`/${item.id}`), headers: { 'If-Match': eTagOf(item) ?? '*' } })),
      );
      for (const answer of answers) {
        if (answer.status === 204 || answer.status === 200 || answer.status === 404 || answer.status === 412) continue;
        throw unexpected('an owner index clean-up', answer);
      }
    }
  }

  async actionItemsFor(owner: string): Promise<SpItem[]> {
    const entries = await this.keys.queryItems({ column: 'OwnerKey', value: indexValue(owner) });
    const actionIds = new Set<string>();
    for (const item of entries) {
      const entry = JSON.parse(item.fields.Body ?? '{}') as { ownerKey?: string; actionId?: string };
      if (entry.ownerKey === owner && entry.actionId) actionIds.add(entry.actionId);
    }
    return this.actions.findManyByRecordId([...actionIds]);
  }
}

function conflict(): StoreError {
  return new StoreError('STORE.CONFLICT', 'This record was changed by someone else since it was read.');
}

class SharePointRecordSet<T extends { readonly id: string }, Q> implements RecordSet<T, Q> {
  constructor(
    private readonly sp: SpList,
    private readonly spec: ListSpec<T, Q>,
    private readonly owners?: { readonly index: OwnerIndex; readonly keysOf: (record: T) => string[] },
  ) {}

  private notFound(): StoreError {
    return new StoreError('STORE.NOT_FOUND', `No ${this.spec.list} record with this id.`);
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    const item = await this.sp.findByRecordId(id);
    return item ? hydrate<T>(item) : undefined;
  }

  /**
   * Reads every item the query's indexed filter matches, checks the rest of the query on the
   * records, sorts them and returns the page after the token's position. Trade-off: each page
   * re-reads the matching items (ceil(n/200) requests) instead of walking a Graph nextLink, which
   * buys the documented order (Graph can only order by an indexed column it also filters on) and
   * tokens that survive writes between pages. Callers that want everything use `all`, which reads
   * the matching items once; the filter is always on an indexed column, so it stays legal past 5,000.
   */
  async list(query: Q, page: PageRequest = {}): Promise<Page<Versioned<T>>> {
    const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
    const fingerprint = queryFingerprint(query);
    const after = page.continuation !== undefined ? decodeContinuation(page.continuation, fingerprint) : undefined;
    const keyed = (await this.ordered(query)).filter((entry) => after === undefined || compareKeys(entry.position, after) > 0);
    const items = keyed.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((entry) => entry.record),
      ...(keyed.length > limit && last ? { continuation: encodeContinuation(fingerprint, last.position[0], last.position[1]) } : {}),
    };
  }

  /** One pass of the query's indexed read (following @odata.nextLink), filtered and sorted as `list` does. */
  async all(query: Q): Promise<Versioned<T>[]> {
    return (await this.ordered(query)).map((entry) => entry.record);
  }

  /** The records matching the query, each with its position (sort key, id), in the documented order. */
  private async ordered(query: Q): Promise<{ record: Versioned<T>; position: [string, string] }[]> {
    return (await this.matching(query))
      .map((record) => ({ record, position: [this.spec.sortKey(record), record.id] as [string, string] }))
      .sort((a, b) => compareKeys(a.position, b.position));
  }

  private async matching(query: Q): Promise<Versioned<T>[]> {
    const plan = this.spec.plan(query);
    let items: SpItem[];
    switch (plan.kind) {
      case 'none':
        return [];
      case 'all':
        items = await this.sp.queryItems();
        break;
      case 'eq':
        items = (await Promise.all(plan.values.map((value) => this.sp.queryItems({ column: plan.column, value })))).flat();
        break;
      case 'owner':
        if (!this.owners) throw new Error(`${this.spec.list} has no owner index.`);
        items = await this.owners.index.actionItemsFor(plan.ownerKey);
        break;
    }
    const seen = new Set<string>();
    const records: Versioned<T>[] = [];
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      const record = hydrate<T>(item);
      if (this.spec.matches(record, query)) records.push(record);
    }
    return records;
  }

  async create(record: T): Promise<Versioned<T>> {
    const token = randomUUID();
    if (this.owners) await this.owners.index.add(record.id, this.owners.keysOf(record));
    const response = await this.sp.createItem(itemFields(this.spec as ListSpec<T, never>, record, token));
    if (response.status === 201 || response.status === 200) {
      const version = eTagOf(response.body as SpItem);
      if (version) return { ...record, version };
      const read = await this.sp.findByRecordId(record.id);
      return { ...record, version: read?.fields.WriteToken === token ? eTagOf(read)! : 'superseded' };
    }
    // SharePoint's refusal of a duplicate in a unique column is not documented for Graph (409
    // nameAlreadyExists is what tenants report): whatever the status, the record existing is
    // the answer. A repeat of our own create that landed earlier carries our write token.
    const existing = await this.sp.findByRecordId(record.id);
    if (existing) {
      if (response.attempts > 1 && existing.fields.WriteToken === token) return { ...record, version: eTagOf(existing)! };
      throw new StoreError('STORE.DUPLICATE', `A ${this.spec.list} record with this id already exists.`);
    }
    throw unexpected(`a create in ${this.spec.list}`, response);
  }

  async update(record: T, expectedVersion: string): Promise<Versioned<T>> {
    const item = await this.sp.findByRecordId(record.id);
    if (!item) throw this.notFound();
    const token = randomUUID();
    const keys = this.owners?.keysOf(record);
    if (this.owners && keys) await this.owners.index.add(record.id, keys);
    const response = await this.sp.patchFields(item.id, itemFields(this.spec as ListSpec<T, never>, record, token), expectedVersion);
    let version: string | undefined;
    if (response.status === 200) {
      version = eTagOf({ fields: response.body as SpItem['fields'] });
      if (!version) {
        const read = await this.sp.findByRecordId(record.id);
        version = read?.fields.WriteToken === token ? eTagOf(read) : undefined;
      }
    } else if (response.status === 412) {
      // A retried PATCH whose first try landed meets its own new eTag: recognise it by the token.
      if (response.attempts > 1) {
        const read = await this.sp.findByRecordId(record.id);
        if (read?.fields.WriteToken === token) version = eTagOf(read);
      }
      if (!version) throw conflict();
    } else if (response.status === 404) {
      this.sp.forget(record.id);
      throw (await this.sp.findByRecordId(record.id)) ? conflict() : this.notFound();
    } else {
      throw unexpected(`an update in ${this.spec.list}`, response);
    }
    if (this.owners && keys) await this.owners.index.prune(record.id, new Set(keys));
    // A version nobody holds: the next update then re-reads instead of overwriting blindly.
    return { ...record, version: version ?? 'superseded' };
  }

  async delete(id: string, expectedVersion: string): Promise<void> {
    const item = await this.sp.findByRecordId(id);
    if (!item) throw this.notFound();
    const response = await this.sp.deleteItem(item.id, expectedVersion);
    if (response.status === 412) throw conflict();
    if (response.status === 404) {
      this.sp.forget(id);
      // Our own earlier try may have deleted it before its answer was lost.
      if (response.attempts > 1) return;
      throw (await this.sp.findByRecordId(id)) ? conflict() : this.notFound();
    }
    if (response.status !== 204 && response.status !== 200) throw unexpected(`a delete in ${this.spec.list}`, response);
    this.sp.forget(id);
    if (this.owners) await this.owners.index.prune(id, new Set());
  }
}

export interface SharePointStoreOptions {
  /** Graph root with version, e.g. https://graph.microsoft.com/v1.0 (GRAPH_BASE_URL). */
  readonly graphBaseUrl: string;
  /** SHAREPOINT_SITE_ID: `{hostname},{site-collection-id},{web-id}`. */
  readonly siteId: string;
  readonly tokenProvider: TokenProvider;
  /** Hosts besides Graph's own that may receive the token (a stand-in, a national cloud). */
  readonly customHosts?: readonly string[];
  readonly userAgent?: string;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /** Transport override: tests use one that trusts the stand-in's self-signed certificate. */
  readonly fetch?: FetchLike;
}

/** The store on SharePoint lists through Microsoft Graph (STORE=sharepoint). */
export class SharePointStore implements Store {
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

  constructor(lists: ReadonlyMap<ListKey, SpList>) {
    const list = (k: ListKey) => lists.get(k)!;
    const ownerIndex = new OwnerIndex(list('actionOwnerKeys'), list('actions'));
    this.organisations = new SharePointRecordSet<Organisation, OrganisationQuery>(list('organisations'), specs.organisations);
    this.members = new SharePointRecordSet<Member, MemberQuery>(list('members'), specs.members);
    this.groups = new SharePointRecordSet<Group, GroupQuery>(list('groups'), specs.groups);
    this.memberships = new SharePointRecordSet<Membership, MembershipQuery>(list('memberships'), specs.memberships);
    this.themes = new SharePointRecordSet<Theme, ThemeQuery>(list('themes'), specs.themes);
    this.meetings = new SharePointRecordSet<Meeting, MeetingQuery>(list('meetings'), specs.meetings);
    this.actions = new SharePointRecordSet<Action, ActionQuery>(list('actions'), specs.actions, { index: ownerIndex, keysOf: (a: Action) => a.owners.map(ownerKey) });
    this.reportRounds = new SharePointRecordSet<ReportRound, ReportRoundQuery>(list('reportRounds'), specs.reportRounds);
    this.themeReports = new SharePointRecordSet<ThemeReport, ThemeReportQuery>(list('themeReports'), specs.themeReports);
    this.installs = new SharePointRecordSet<ConversationInstall, ConversationInstallQuery>(list('installs'), specs.installs);
    this.deliveries = new SharePointRecordSet<Delivery, DeliveryQuery>(list('deliveries'), specs.deliveries);
  }

  async close(): Promise<void> {
    // Nothing to release: every request is a self-contained HTTPS call.
  }
}

/** Reads the layout version the site was provisioned with; undefined when never provisioned. */
export async function readLayoutVersion(metaList: SpList): Promise<number | undefined> {
  const item = await metaList.findByRecordId('layout');
  if (!item?.fields.Body) return undefined;
  const body = JSON.parse(item.fields.Body) as { layoutVersion?: unknown };
  return typeof body.layoutVersion === 'number' ? body.layoutVersion : undefined;
}

export function graphClientFor(options: SharePointStoreOptions): GraphSiteClient {
  return createGraphSiteClient({
    baseUrl: options.graphBaseUrl,
    siteId: options.siteId,
    getToken: options.tokenProvider,
    ...(options.customHosts ? { customHosts: options.customHosts } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Opens the store on a provisioned site: finds the lists by name and checks the layout version,
 * so a site that needs `npm run provision:sharepoint` fails at start-up, not at the first write.
 */
export async function createSharePointStore(options: SharePointStoreOptions): Promise<SharePointStore> {
  const graph = graphClientFor(options);
  const lists = await resolveLayoutLists(graph);
  const version = await readLayoutVersion(lists.get('meta')!);
  if (version === undefined || version < LAYOUT_VERSION) {
    throw new Error(`The SharePoint lists are at layout ${version ?? 'none'}; this Safer Exec needs ${LAYOUT_VERSION}: run npm run provision:sharepoint.`);
  }
  if (version > LAYOUT_VERSION) {
    throw new Error(`The SharePoint lists are at layout ${version}, newer than this Safer Exec knows (${LAYOUT_VERSION}).`);
  }
  return new SharePointStore(lists);
}
