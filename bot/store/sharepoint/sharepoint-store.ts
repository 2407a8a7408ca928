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
  type RecordSetKey,
  type ReportRoundQuery,
  type Store,
  type ThemeQuery,
  type ThemeReportQuery,
  type Versioned,
} from '../store.js';
import { createGraphSiteClient, type FetchLike, type GraphSiteClient, type RetryPolicy, type TokenProvider } from './graph-client.js';
import { eTagOf, indexValue, resolveLayoutLists, unexpected, type FieldValues, type SpItem, type SpList } from './sharepoint-lists.js';
import { DeltaBatcher, ListReadModel, expectReads, requestScope, versionOf, type Cached } from './list-read-model.js';

interface ListSpec<T, Q> {
  readonly list: RecordSetName;
  readonly sortKey: (record: T) => string;
  /** Key columns and the typed mirror columns, as written to the item (for people browsing the list). */
  readonly columns: (record: T) => FieldValues;
  /** The whole query, checked against the record in memory (the JSON body is the truth). */
  readonly matches: (record: T, query: Q) => boolean;
  /**
   * Lists that change rarely are trusted for a short window after a sync (DIRECTORY_FRESH_FOR_MS):
   * the directory (people, organisations, groups, memberships, themes: changed by the secretariat
   * a few times a year), meetings (a few writes per meeting cycle) and installs (when someone adds
   * or removes the app). Seeing another instance's change to them up to 15 s late is harmless:
   * every write is still checked against the item's eTag, and a conflict makes the next read ask.
   * Actions, deliveries, report rounds and theme reports change as people work, and are asked for
   * changes before each read (once per request inside a request scope).
   */
  readonly rarelyChanges?: boolean;
}

const key = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : indexValue(value));
const isoOrNull = (value: string | null): string | null => (value !== null && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);
const dayOrNull = (value: string): string | null => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : null);


const specs = {
  organisations: {
    list: 'organisations',
    rarelyChanges: true,
    sortKey: (o) => o.name.toLowerCase(),
    columns: () => ({}),
    matches: () => true,
  } satisfies ListSpec<Organisation, OrganisationQuery>,
  members: {
    list: 'members',
    rarelyChanges: true,
    sortKey: (m) => m.initials,
    columns: (m) => ({ Initials: key(m.initials), EntraObjectId: key(m.entraObjectId), TeamsUserId: key(m.teamsUserId), EmailKey: key(m.email?.toLowerCase()) }),
    matches: (m, q) =>
      (q.initials === undefined || m.initials === q.initials.toUpperCase()) &&
      (q.entraObjectId === undefined || m.entraObjectId === q.entraObjectId) &&
      (q.teamsUserId === undefined || m.teamsUserId === q.teamsUserId) &&
      (q.email === undefined || m.email?.toLowerCase() === q.email.toLowerCase()),
  } satisfies ListSpec<Member, MemberQuery>,
  groups: {
    list: 'groups',
    rarelyChanges: true,
    sortKey: (g) => g.name.toLowerCase(),
    columns: () => ({}),
    matches: () => true,
  } satisfies ListSpec<Group, GroupQuery>,
  memberships: {
    list: 'memberships',
    rarelyChanges: true,
    sortKey: (m) => m.id,
    columns: (m) => ({ GroupId: key(m.groupId), MemberId: key(m.memberId), DecisionMaker: m.decisionMaker }),
    matches: (m, q) => (q.groupId === undefined || m.groupId === q.groupId) && (q.memberId === undefined || m.memberId === q.memberId),
  } satisfies ListSpec<Membership, MembershipQuery>,
  themes: {
    list: 'themes',
    rarelyChanges: true,
    sortKey: (t) => `${String(t.priorityNumber ?? 999).padStart(3, '0')}:${t.name.toLowerCase()}`,
    columns: (t) => ({ PriorityNumber: t.priorityNumber ?? null }),
    matches: () => true,
  } satisfies ListSpec<Theme, ThemeQuery>,
  meetings: {
    list: 'meetings',
    rarelyChanges: true,
    sortKey: (m) => m.date,
    columns: (m) => ({ GroupId: key(m.groupId), MeetingDate: dayOrNull(m.date) }),
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
    matches: (r, q) => q.meetingId === undefined || r.meetingId === q.meetingId,
  } satisfies ListSpec<ReportRound, ReportRoundQuery>,
  themeReports: {
    list: 'themeReports',
    sortKey: (r) => r.id,
    columns: (r) => ({ RoundId: key(r.roundId), LeadMemberId: key(r.leadMemberId) }),
    matches: (r, q) => (q.roundId === undefined || r.roundId === q.roundId) && (q.leadMemberId === undefined || r.leadMemberId === q.leadMemberId),
  } satisfies ListSpec<ThemeReport, ThemeReportQuery>,
  installs: {
    list: 'installs',
    rarelyChanges: true,
    sortKey: (i) => i.id,
    columns: (i) => ({ MemberId: key(i.memberId), Scope: i.scope }),
    matches: (i, q) => (q.memberId === undefined || i.memberId === q.memberId) && (q.scope === undefined || i.scope === q.scope),
  } satisfies ListSpec<ConversationInstall, ConversationInstallQuery>,
  deliveries: {
    list: 'deliveries',
    sortKey: (d) => d.id,
    columns: (d) => ({ Status: d.status, Attempts: d.attempts, CreatedAt: isoOrNull(d.createdAt), LastAttemptAt: isoOrNull(d.lastAttemptAt) }),
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

/** A caller's own copy of a cached record (as the SQLite store parses a row per read). */
function hydrate<T>(cached: Cached<T>): Versioned<T> {
  if (cached.item.fields.Body === undefined) throw new Error('A SharePoint item came back without its Body.');
  return { ...(JSON.parse(cached.item.fields.Body) as T), version: versionOf(cached) };
}

function parseBody(item: SpItem): unknown {
  if (item.fields.Body === undefined) throw new Error('A SharePoint item came back without its Body.');
  return JSON.parse(item.fields.Body) as unknown;
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

function conflict(): StoreError {
  return new StoreError('STORE.CONFLICT', 'This record was changed by someone else since it was read.');
}

/**
 * SharePoint answers a second item with the same value in a unique column with an error whose
 * status Microsoft does not document for Graph: tenants report 409 nameAlreadyExists, and 400
 * has been seen. Either is only taken as "already exists" after reading the item back.
 */
const MAYBE_DUPLICATE = new Set([400, 409]);

/** The item as Graph answered a create or an update: what goes into memory. */
function answeredItem(itemId: string, body: unknown, written: FieldValues, fromFields: boolean): SpItem | undefined {
  const answer = (body ?? {}) as SpItem & SpItem['fields'];
  const eTag = fromFields ? eTagOf({ fields: answer }) : eTagOf(answer);
  if (!eTag) return undefined;
  const fields = fromFields ? answer : (answer.fields ?? {});
  return { id: itemId, eTag, fields: { ...fields, RecordId: String(written['RecordId']), Body: String(written['Body']), WriteToken: String(written['WriteToken']) } };
}

/**
 * One record set on one list, answered from the list's read model: reads cost at most one delta
 * call (none inside a request scope that already synced the list, or inside the freshness window
 * of a list that rarely changes); queries, order and paging are served from memory; writes go to
 * Graph with If-Match and their answers update memory.
 */
class SharePointRecordSet<T extends { readonly id: string }, Q> implements RecordSet<T, Q> {
  constructor(
    private readonly model: ListReadModel<T>,
    private readonly spec: ListSpec<T, Q>,
  ) {}

  private get sp(): SpList {
    return this.model.sp;
  }

  private notFound(): StoreError {
    return new StoreError('STORE.NOT_FOUND', `No ${this.spec.list} record with this id.`);
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    await this.model.ensureFresh();
    const cached = this.model.get(id);
    return cached && cached.parsed.id === id ? hydrate(cached) : undefined;
  }

  /**
   * The records matching the query, sorted, the page after the token's position. Tokens are a
   * position in the order, so they survive writes between pages.
   */
  async list(query: Q, page: PageRequest = {}): Promise<Page<Versioned<T>>> {
    const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
    const fingerprint = queryFingerprint(query);
    const after = page.continuation !== undefined ? decodeContinuation(page.continuation, fingerprint) : undefined;
    const keyed = (await this.ordered(query)).filter((entry) => after === undefined || compareKeys(entry.position, after) > 0);
    const items = keyed.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((entry) => hydrate(entry.cached)),
      ...(keyed.length > limit && last ? { continuation: encodeContinuation(fingerprint, last.position[0], last.position[1]) } : {}),
    };
  }

  async all(query: Q): Promise<Versioned<T>[]> {
    return (await this.ordered(query)).map((entry) => hydrate(entry.cached));
  }

  /** The records matching the query, each with its position (sort key, id), in the documented order. */
  private async ordered(query: Q): Promise<{ cached: Cached<T>; position: [string, string] }[]> {
    await this.model.ensureFresh();
    const matched: { cached: Cached<T>; position: [string, string] }[] = [];
    for (const cached of this.model.values()) {
      if (this.spec.matches(cached.parsed, query)) matched.push({ cached, position: [this.spec.sortKey(cached.parsed), cached.parsed.id] });
    }
    return matched.sort((a, b) => compareKeys(a.position, b.position));
  }

  /** The item id for a record: from memory, else after one sync (item ids never change). */
  private async itemIdOf(id: string): Promise<string | undefined> {
    const known = this.model.itemIdOf(id);
    if (known !== undefined) return known;
    await this.model.sync();
    return this.model.itemIdOf(id);
  }

  /** Reads Graph again and says whether the record now holds the given write token. */
  private async landed(id: string, token: string): Promise<Cached<T> | undefined> {
    await this.model.sync();
    const cached = this.model.get(id);
    return cached?.item.fields.WriteToken === token ? cached : undefined;
  }

  async create(record: T): Promise<Versioned<T>> {
    const token = randomUUID();
    const fields = itemFields(this.spec as ListSpec<T, never>, record, token);
    const response = await this.sp.createItem(fields);
    if (response.status === 201 || response.status === 200) {
      const itemId = (response.body as SpItem | undefined)?.id;
      const item = itemId ? answeredItem(itemId, response.body, fields, false) : undefined;
      if (item) {
        this.model.apply(item);
        return { ...record, version: item.eTag! };
      }
      const read = await this.landed(record.id, token);
      return { ...record, version: read ? versionOf(read) : 'superseded' };
    }
    if (MAYBE_DUPLICATE.has(response.status)) {
      await this.model.sync();
      const existing = this.model.get(record.id);
      if (existing) {
        // A repeat of our own create whose first answer was lost carries our write token.
        if (existing.item.fields.WriteToken === token) return { ...record, version: versionOf(existing) };
        throw new StoreError('STORE.DUPLICATE', `A ${this.spec.list} record with this id already exists.`);
      }
    }
    throw unexpected(`a create in ${this.spec.list}`, response);
  }

  async update(record: T, expectedVersion: string): Promise<Versioned<T>> {
    const itemId = await this.itemIdOf(record.id);
    if (itemId === undefined) throw this.notFound();
    const token = randomUUID();
    const fields = itemFields(this.spec as ListSpec<T, never>, record, token);
    const response = await this.sp.patchFields(itemId, fields, expectedVersion);
    if (response.status === 200) {
      const item = answeredItem(itemId, response.body, fields, true);
      if (item) {
        this.model.apply(item);
        return { ...record, version: item.eTag! };
      }
      const read = await this.landed(record.id, token);
      // A version nobody holds: the next update then re-reads instead of overwriting blindly.
      return { ...record, version: read ? versionOf(read) : 'superseded' };
    }
    if (response.status === 412) {
      // A retried PATCH whose first try landed meets its own new eTag: recognise it by the token.
      if (response.attempts > 1) {
        const read = await this.landed(record.id, token);
        if (read) return { ...record, version: versionOf(read) };
      }
      this.model.invalidate();
      throw conflict();
    }
    if (response.status === 404) {
      this.model.remove(itemId);
      this.model.invalidate();
      await this.model.sync();
      throw this.model.get(record.id) ? conflict() : this.notFound();
    }
    throw unexpected(`an update in ${this.spec.list}`, response);
  }

  async delete(id: string, expectedVersion: string): Promise<void> {
    const itemId = await this.itemIdOf(id);
    if (itemId === undefined) throw this.notFound();
    const response = await this.sp.deleteItem(itemId, expectedVersion);
    if (response.status === 412) {
      this.model.invalidate();
      throw conflict();
    }
    if (response.status === 404) {
      this.model.remove(itemId, true);
      // Our own earlier try may have deleted it before its answer was lost.
      if (response.attempts > 1) return;
      await this.model.sync();
      throw this.model.get(id) ? conflict() : this.notFound();
    }
    if (response.status !== 204 && response.status !== 200) throw unexpected(`a delete in ${this.spec.list}`, response);
    this.model.remove(itemId, true);
  }
}

/** One SharePoint list per record set of the Store port, no more and no fewer: fails to compile if they drift. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const LISTS_MATCH_RECORD_SETS: SameNames<RecordSetName, RecordSetKey> = true;
void LISTS_MATCH_RECORD_SETS;

/** The lists every request's context reads together (bot/services/directory.ts loadDirectory). */
const DIRECTORY_LISTS: readonly RecordSetName[] = ['organisations', 'members', 'groups', 'memberships', 'themes', 'meetings'];

/** How long the lists that rarely change (see ListSpec.rarelyChanges) are trusted after a sync. */
export const DIRECTORY_FRESH_FOR_MS = 15_000;
/** Where Graph refuses delta on a list: how long one full read of it is trusted. */
export const FALLBACK_FRESH_FOR_MS = 2_000;

export interface ReadModelOptions {
  readonly directoryFreshForMs?: number;
  readonly fallbackFreshForMs?: number;
}

export interface SharePointStoreOptions extends ReadModelOptions {
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

  /** The lists' read models, by record set (tests and the bench look at their sync mode). */
  readonly readModels: ReadonlyMap<RecordSetName, ListReadModel>;
  /** Gathers the lists' delta calls into Graph JSON batches (see DeltaBatcher). */
  readonly deltaBatcher = new DeltaBatcher();

  constructor(lists: ReadonlyMap<ListKey, SpList>, options: ReadModelOptions = {}) {
    const models = new Map<RecordSetName, ListReadModel>();
    const open = <T extends { readonly id: string }, Q>(spec: ListSpec<T, Q>): SharePointRecordSet<T, Q> => {
      const model = new ListReadModel<T>(
        lists.get(spec.list)!,
        {
          freshForMs: spec.rarelyChanges ? (options.directoryFreshForMs ?? DIRECTORY_FRESH_FOR_MS) : 0,
          fallbackFreshForMs: spec.rarelyChanges ? Math.max(options.directoryFreshForMs ?? DIRECTORY_FRESH_FOR_MS, options.fallbackFreshForMs ?? FALLBACK_FRESH_FOR_MS) : (options.fallbackFreshForMs ?? FALLBACK_FRESH_FOR_MS),
        },
        (item) => parseBody(item) as T,
      );
      models.set(spec.list, model as ListReadModel);
      return new SharePointRecordSet<T, Q>(model, spec);
    };
    this.organisations = open(specs.organisations);
    this.members = open(specs.members);
    this.groups = open(specs.groups);
    this.memberships = open(specs.memberships);
    this.themes = open(specs.themes);
    this.meetings = open(specs.meetings);
    this.actions = open(specs.actions);
    this.reportRounds = open(specs.reportRounds);
    this.themeReports = open(specs.themeReports);
    this.installs = open(specs.installs);
    this.deliveries = open(specs.deliveries);
    this.readModels = models;
    // The directory (what every request's context reads: loadDirectory) is asked for as one: when
    // one of its lists needs a delta call, the others that are stale go in the same batch.
    const directory = DIRECTORY_LISTS.map((name) => models.get(name)!);
    for (const [name, model] of models) model.joinBatches(this.deltaBatcher, DIRECTORY_LISTS.includes(name) ? directory : [model]);
  }

  /** One request: each list is asked for its changes at most once inside `work` (see requestScope). */
  runInRequest<R>(work: () => R): R {
    return requestScope(work);
  }

  /** The lists this request will read join the first batch it sends (see expectReads). */
  willRead(sets: readonly RecordSetKey[]): void {
    expectReads(sets.map((name) => this.readModels.get(name)!));
  }

  async close(): Promise<void> {
    // Nothing to release: every request is a self-contained HTTPS call, memory goes with the object.
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
  return new SharePointStore(lists, {
    ...(options.directoryFreshForMs !== undefined ? { directoryFreshForMs: options.directoryFreshForMs } : {}),
    ...(options.fallbackFreshForMs !== undefined ? { fallbackFreshForMs: options.fallbackFreshForMs } : {}),
  });
}
