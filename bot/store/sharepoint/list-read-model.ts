import { AsyncLocalStorage } from 'node:async_hooks';
import { MAX_BATCH_SIZE, type GraphResponse } from './graph-client.js';
import { eTagOf, indexValue, unexpected, type SpItem, type SpList } from './sharepoint-lists.js';

/**
 * One list's items in memory, kept fresh with Graph's listItem delta
 * (learn.microsoft.com/graph/api/listitem-delta): the first sync enumerates the list, following
 * `@odata.nextLink` to the `@odata.deltaLink`; each later sync asks the deltaLink for what changed
 * since (usually one request, empty). Items with a `deleted` facet (or an OData `@removed`) leave
 * memory; an item seen twice keeps its last state; a 410 Gone restarts from the `Location` it
 * gives (a fresh enumeration, which then replaces memory). If Graph refuses delta on the list
 * (400, 403 as `Sites.Selected` might, 404, 501), the list falls back to a full read of its items
 * each sync, with a short freshness window (see `ReadModelPolicy`).
 *
 * Reads are answered from memory after `ensureFresh`, which costs at most one delta call and is
 * shared: concurrent readers of one list wait on the same call, and inside a request scope (see
 * `requestScope`) a list synced once is not synced again. Writes go to Graph with If-Match and
 * their answer is put into memory (`apply`), so an instance reads its own writes without a call.
 *
 * Lists that join a `DeltaBatcher` have their delta calls gathered: the lists that need a sync at
 * the same moment (and the stale lists of the same group, e.g. the whole directory when a read
 * needs one of it, and the lists the request said it will read: `expectReads`) are asked in one
 * Graph JSON batch, one HTTP request. Only the first call of each sync goes in the batch; a
 * further page, or the fresh start a 410 names, is fetched alone.
 */

export interface ReadModelPolicy {
  /** Reads within this long of the last sync skip the delta call (0: always ask). */
  readonly freshForMs: number;
  /** In full-read fallback mode, the freshness window (a full read costs a request per 200 items). */
  readonly fallbackFreshForMs: number;
}

/** Graph statuses that say delta is not available here (not a passing failure). */
const DELTA_UNUSABLE = new Set([400, 403, 404, 405, 501]);

/** How long one request scope trusts a sync it made: bounds staleness in a long sweep. */
export const SCOPE_REUSE_MS = 5_000;

interface RequestScope {
  readonly synced: Map<ListReadModel, number>;
  /** Lists the request said it will read: they join the first batch it sends (see `expectReads`). */
  readonly expected: Set<ListReadModel>;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `work` as one request: each list is synced at most once inside it (for SCOPE_REUSE_MS),
 * however many reads the services make. A conflict on a list drops it from the scope, so a
 * service that re-reads after STORE.CONFLICT sees the other writer's change.
 */
export function requestScope<T>(work: () => T): T {
  return scopes.run({ synced: new Map(), expected: new Set() }, work);
}

/**
 * Tells the current request scope that `work` will read these lists, so whichever read first
 * needs a delta call brings the others that need one into the same batch: a request that reads
 * the directory and then the actions pays one HTTP request, not two. A hint only: outside a
 * scope it does nothing, and a list it names that is never read costs one batch part.
 */
export function expectReads(models: Iterable<ListReadModel>): void {
  const scope = scopes.getStore();
  if (scope) for (const model of models) scope.expected.add(model);
}

/** The lists a scope expects to read that it has not synced lately (those it has need no call). */
function expectedIn(scope: RequestScope, now: number): ListReadModel[] {
  return [...scope.expected].filter((model) => {
    const at = scope.synced.get(model);
    return at === undefined || now - at >= SCOPE_REUSE_MS;
  });
}

/** The item version SharePoint puts after the comma in an eTag (`"{guid},7"`), when it is there. */
function eTagVersion(eTag: string | undefined): number | undefined {
  const match = eTag ? /,(\d+)"?\s*$/.exec(eTag) : null;
  return match ? Number(match[1]) : undefined;
}

/** True when `incoming` is known to be older than `current` (same item, lower version). */
function isOlder(incoming: SpItem, current: SpItem | undefined): boolean {
  if (!current) return false;
  const a = eTagVersion(eTagOf(incoming));
  const b = eTagVersion(eTagOf(current));
  return a !== undefined && b !== undefined && a < b;
}

interface DeltaPage {
  readonly value?: (SpItem & { readonly deleted?: unknown; readonly '@removed'?: unknown })[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

export interface Cached<T> {
  readonly item: SpItem;
  /** Parsed once, for filtering and sorting; callers get their own copy (see `record`). */
  readonly parsed: T;
}

/** The first request of a sync, already sent (in a batch): the sync reads its answer from here. */
type FirstResponse = () => Promise<GraphResponse>;

/**
 * Gathers the delta calls of several lists into Graph JSON batches (learn.microsoft.com/graph/json-batching):
 * lists asked for in the same turn of the event loop (a `Promise.all` over the directory) go out
 * together, at most 20 to a batch. One list alone is sent as a plain GET, as before. A part
 * answered 429/503 is retried on its own after its Retry-After by the Graph client; a 410 or a
 * refusal of delta is handled by the list exactly as when it asked alone.
 */
export class DeltaBatcher {
  private readonly pending = new Map<ListReadModel, { resolve: () => void; reject: (error: unknown) => void }>();
  private scheduled = false;
  /** HTTP requests that carried more than one list's delta call (for tests and the bench). */
  batchesSent = 0;

  /**
   * Syncs `model` now, in a batch with whatever else is asked for this turn, its stale group and
   * the stale lists of `expected` (those the request said it will read). `companionSynced` hears
   * of each list synced alongside (a request scope counts it as asked).
   */
  sync(model: ListReadModel, expected: Iterable<ListReadModel> = [], companionSynced?: (companion: ListReadModel) => void): Promise<void> {
    const joined = model.currentSync();
    if (joined) return joined;
    if (model.batchablePath() === undefined) return model.sync();
    const promise = this.enqueue(model);
    for (const companion of new Set([...model.group, ...expected])) {
      if (companion === model || companion.currentSync() || companion.batchablePath() === undefined || !companion.isStale()) continue;
      // A companion's failure is its own: its reader asks again alone, and says what went wrong.
      this.enqueue(companion).then(() => companionSynced?.(companion), () => undefined);
    }
    return promise;
  }

  private enqueue(model: ListReadModel): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.pending.set(model, { resolve, reject }));
    model.holdSync(promise);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.scheduled = false;
    const entries = [...this.pending];
    this.pending.clear();
    for (let start = 0; start < entries.length; start += MAX_BATCH_SIZE) {
      const chunk = entries.slice(start, start + MAX_BATCH_SIZE);
      if (chunk.length === 1) {
        const [model, settle] = chunk[0]!;
        model.runHeldSync().then(settle.resolve, settle.reject);
        continue;
      }
      const graph = chunk[0]![0].sp.graph;
      this.batchesSent += 1;
      const answers = graph.batch(chunk.map(([model]) => ({ method: 'GET' as const, url: model.batchablePath()! })));
      // Each list's sync starts now (what it holds, for a fresh enumeration) and reads its own answer.
      chunk.forEach(([model, settle], i) => {
        model.runHeldSync(() => answers.then((all) => all[i]!)).then(settle.resolve, settle.reject);
      });
      answers.catch(() => undefined);
    }
  }
}

export class ListReadModel<T = unknown> {
  private readonly byItemId = new Map<string, Cached<T>>();
  private readonly byRecordId = new Map<string, string>();
  /** Item ids this instance deleted: a delta already in flight must not bring them back. */
  private readonly deletedHere = new Set<string>();
  private deltaLink: string | undefined;
  private mode: 'delta' | 'full' = 'delta';
  /** When the last sync began (its answer is at least that fresh). */
  private lastSyncAt = Number.NEGATIVE_INFINITY;
  private invalidatedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private presentAtStart: ReadonlySet<string> = new Set();
  private readonly writtenDuringSync = new Set<string>();
  private batcher: DeltaBatcher | undefined;
  /** The lists synced together with this one when it is stale (itself included). */
  group: readonly ListReadModel[] = [this as ListReadModel];

  constructor(
    readonly sp: SpList,
    private readonly policy: ReadModelPolicy,
    private readonly parse: (item: SpItem) => T,
  ) {}

  /** 'delta', or 'full' once Graph has refused delta on this list. */
  get syncMode(): 'delta' | 'full' {
    return this.mode;
  }

  /** Gathers this list's delta calls with those of `group` (and any other list asking at once) into batches. */
  joinBatches(batcher: DeltaBatcher, group: readonly ListReadModel[]): void {
    this.batcher = batcher;
    this.group = group;
  }

  /** Whether a read now would ask Graph: the freshness window has passed, or a conflict said so. */
  isStale(now = Date.now()): boolean {
    const window = this.mode === 'delta' ? this.policy.freshForMs : this.policy.fallbackFreshForMs;
    return now - this.lastSyncAt >= window || this.lastSyncAt <= this.invalidatedAt;
  }

  /** Makes memory current for a read: at most one Graph sync, shared as described above. */
  async ensureFresh(): Promise<void> {
    const scope = scopes.getStore();
    const now = Date.now();
    const scopedAt = scope?.synced.get(this);
    if (scopedAt !== undefined && now - scopedAt < SCOPE_REUSE_MS) return;
    if (this.isStale(now)) await (this.batcher ? this.batcher.sync(this, scope ? expectedIn(scope, now) : [], scope ? (companion) => scope.synced.set(companion, Date.now()) : undefined) : this.sync());
    scope?.synced.set(this, Date.now());
  }

  /** The sync under way, if any (a batched one included), for a reader to join. */
  currentSync(): Promise<void> | undefined {
    return this.inFlight;
  }

  /**
   * The first call of the next sync as a batch part's URL, or undefined when it cannot go in a
   * batch: the list reads in full (no delta), or its deltaLink is on another host.
   */
  batchablePath(): string | undefined {
    if (this.mode !== 'delta') return undefined;
    return this.sp.graph.batchUrl(this.deltaLink ?? this.sp.itemsPath(`/delta?${DELTA_SELECT}`));
  }

  /** Marks a batched sync as under way (readers and writers see it in flight) until `done` settles. */
  holdSync(done: Promise<void>): void {
    const held = done.finally(() => {
      if (this.inFlight === held) this.inFlight = undefined;
    });
    held.catch(() => undefined);
    this.inFlight = held;
  }

  /** Runs the sync held by `holdSync`, its first call answered by `first` (a batch part) when given. */
  runHeldSync(first?: FirstResponse): Promise<void> {
    return this.runSync(first);
  }

  /** A sync now, joining one already in flight (writes use it to read back an uncertain outcome). */
  sync(): Promise<void> {
    this.inFlight ??= this.runSync().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** After a 412: the next read anywhere in this instance asks Graph again. */
  invalidate(): void {
    // A sync already in flight may have started before the other writer's change: not enough.
    this.invalidatedAt = Date.now();
    scopes.getStore()?.synced.delete(this);
  }

  get(recordId: string): Cached<T> | undefined {
    const itemId = this.byRecordId.get(indexValue(recordId));
    return itemId === undefined ? undefined : this.byItemId.get(itemId);
  }

  itemIdOf(recordId: string): string | undefined {
    return this.byRecordId.get(indexValue(recordId));
  }

  values(): IterableIterator<Cached<T>> {
    return this.byItemId.values();
  }

  /** Puts an item Graph returned (a create's or update's answer) into memory. */
  apply(item: SpItem): void {
    if (this.inFlight) this.writtenDuringSync.add(item.id);
    this.put(item);
  }

  private put(item: SpItem): void {
    if (this.deletedHere.has(item.id)) return;
    const current = this.byItemId.get(item.id);
    if (isOlder(item, current?.item)) return;
    if (item.fields.Body === undefined || item.fields.RecordId === undefined) return;
    if (current?.item.fields.RecordId !== undefined && current.item.fields.RecordId !== item.fields.RecordId) this.byRecordId.delete(current.item.fields.RecordId);
    this.byItemId.set(item.id, { item, parsed: this.parse(item) });
    this.byRecordId.set(item.fields.RecordId, item.id);
  }

  remove(itemId: string, deletedHere = false): void {
    const current = this.byItemId.get(itemId);
    if (current?.item.fields.RecordId !== undefined && this.byRecordId.get(current.item.fields.RecordId) === itemId) this.byRecordId.delete(current.item.fields.RecordId);
    this.byItemId.delete(itemId);
    if (deletedHere) this.deletedHere.add(itemId);
  }

  private async runSync(first?: FirstResponse): Promise<void> {
    const started = Date.now();
    // A fresh enumeration removes what it did not list, but only what was here when it began:
    // an item this instance wrote meanwhile may simply have been written after the enumeration passed.
    this.presentAtStart = new Set(this.byItemId.keys());
    this.writtenDuringSync.clear();
    if (this.mode === 'delta') {
      try {
        await this.syncDelta(first);
        this.lastSyncAt = started;
        return;
      } catch (error) {
        if (!(error instanceof DeltaUnusable)) throw error;
        this.mode = 'full';
        this.deltaLink = undefined;
      }
    }
    await this.fullRead();
    this.lastSyncAt = started;
  }

  private async syncDelta(batched?: FirstResponse): Promise<void> {
    const select = DELTA_SELECT;
    let fresh = this.deltaLink === undefined;
    let next: string | undefined = this.deltaLink ?? this.sp.itemsPath(`/delta?${select}`);
    // A fresh enumeration lists every item: collected apart, it replaces memory at the end.
    let seen = new Map<string, SpItem | null>();
    let first = true;
    for (let restarts = 0; next; first = false) {
      const response: GraphResponse = first && batched ? await batched() : await this.sp.graph.send({ method: 'GET', path: next, idempotent: true });
      if (response.status === 410) {
        // "a Location header that contains a new nextLink that starts a fresh delta enumeration".
        if (++restarts > 3) throw unexpected(`a delta of ${this.sp.displayName}`, response);
        next = response.headers['location'] || this.sp.itemsPath(`/delta?${select}`);
        fresh = true;
        seen = new Map();
        continue;
      }
      if (response.status !== 200) {
        // Only the very first call decides that delta is not offered; later failures are failures.
        if (first && this.deltaLink === undefined && DELTA_UNUSABLE.has(response.status)) throw new DeltaUnusable();
        throw unexpected(`a delta of ${this.sp.displayName}`, response);
      }
      const page = response.body as DeltaPage;
      for (const entry of page.value ?? []) {
        // The same item may appear more than once: the last occurrence wins.
        seen.set(entry.id, entry.deleted !== undefined || entry['@removed'] !== undefined ? null : entry);
      }
      if (page['@odata.deltaLink']) {
        this.commit(seen, fresh);
        this.deltaLink = page['@odata.deltaLink'];
        return;
      }
      next = page['@odata.nextLink'];
      if (!next) throw new Error(`A delta page of ${this.sp.displayName} had neither a nextLink nor a deltaLink.`);
    }
  }

  private commit(seen: ReadonlyMap<string, SpItem | null>, fresh: boolean): void {
    if (fresh) {
      for (const itemId of this.presentAtStart) if (!seen.has(itemId) && !this.writtenDuringSync.has(itemId)) this.remove(itemId);
    }
    for (const [itemId, item] of seen) {
      if (item === null) this.remove(itemId);
      else this.put(item);
    }
  }

  private async fullRead(): Promise<void> {
    const items = await this.sp.queryItems();
    this.commit(new Map(items.map((item) => [item.id, item])), true);
  }
}

class DeltaUnusable extends Error {}

const DELTA_SELECT = 'expand=fields(select=RecordId,Body,WriteToken)';

/** The eTag of a cached item: the record's version. */
export function versionOf(cached: Cached<unknown>): string {
  const version = eTagOf(cached.item);
  if (version === undefined) throw new Error('A SharePoint item came back without its eTag.');
  return version;
}
