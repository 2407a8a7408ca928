import Database from 'better-sqlite3';
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
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  StoreError,
  type ActionQuery,
  type ConversationInstallQuery,
  type DeliveryQuery,
  type MeetingQuery,
  type MemberQuery,
  type MembershipQuery,
  type Page,
  type PageRequest,
  type RecordSet,
  type ReportRoundQuery,
  type Store,
  type ThemeReportQuery,
  type Versioned,
} from '../store.js';
import { migrate } from './migrations.js';

type Db = Database.Database;
type SqlValue = string | number | null;

/** How one record type maps onto its table: the columns queries filter on, and the sort order. */
interface TableSpec<T, Q> {
  readonly table: string;
  readonly columns: Readonly<Record<string, (record: T) => SqlValue>>;
  readonly sortKey: (record: T) => string;
  readonly filter: (query: Q) => { clauses: string[]; params: SqlValue[] };
  /** Multi-valued keys (an action's owners) kept in `<table>_keys` for indexed lookups. */
  readonly keys?: (record: T) => string[];
}

const noFilter = () => ({ clauses: [] as string[], params: [] as SqlValue[] });

function encodeContinuation(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id]), 'utf8').toString('base64url');
}

function decodeContinuation(token: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new StoreError('STORE.BAD_CONTINUATION', 'The continuation token is not one this store issued.');
}

/**
 * Freezes a record and everything in it. Records are readonly in the domain's types; frozen, a
 * write to one handed out from the store's memory fails loudly instead of changing what the next
 * request reads.
 */
function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Parsed records kept per table at most: past this the cache starts again (a sweep over 50,000 deliveries). */
const MAX_PARSED = 20_000;
/** Different queries whose whole answers are kept per table. */
const MAX_ANSWERS = 100;

class SqliteRecordSet<T extends { readonly id: string }, Q> implements RecordSet<T, Q> {
  private readonly columnNames: string[];
  /** Each SQL text prepared once: preparing was a fifth of a card press. */
  private readonly statements = new Map<string, Database.Statement>();
  /**
   * Each row's JSON parsed once: a row whose body is the one parsed before is answered from here
   * (comparing the text is far cheaper than parsing it again). Keyed by the body itself, so a
   * write from another process (a sweep) is never missed.
   */
  private readonly parsed = new Map<string, { readonly body: string; readonly record: Versioned<T> }>();
  /**
   * Whole answers to `all(query)` (the directory's lists, read on every request; the action log),
   * kept until this table is written through this store (cleared: nothing of a changed or erased
   * record lingers) or anything is committed by another connection, a sweep in another process
   * (SQLite's data_version): a second read of an unchanged table reads nothing.
   */
  private readonly answers = new Map<string, { readonly dataVersion: number; readonly records: readonly Versioned<T>[] }>();

  constructor(
    private readonly db: Db,
    private readonly spec: TableSpec<T, Q>,
  ) {
    this.columnNames = Object.keys(spec.columns);
  }

  private row(record: T): SqlValue[] {
    return this.columnNames.map((name) => this.spec.columns[name]!(record));
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private hydrate(row: { id?: string; body: string; version: number }): Versioned<T> {
    const version = String(row.version);
    const id = row.id;
    const known = id === undefined ? undefined : this.parsed.get(id);
    if (known && known.body === row.body && known.record.version === version) return { ...known.record };
    const record = { ...(JSON.parse(row.body) as T), version };
    if (id !== undefined) {
      if (this.parsed.size >= MAX_PARSED) this.parsed.clear();
      this.parsed.set(id, { body: row.body, record });
    }
    return { ...record };
  }

  private writeKeys(record: T): void {
    if (!this.spec.keys) return;
    const table = `${this.spec.table}_keys`;
    this.statement(`DELETE FROM ${table} WHERE record_id = ?`).run(record.id);
    const insert = this.statement(`INSERT OR IGNORE INTO ${table} (record_id, key) VALUES (?, ?)`);
    for (const key of this.spec.keys(record)) insert.run(record.id, key);
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    const row = this.statement(`SELECT id, body, version FROM ${this.spec.table} WHERE id = ?`).get(id) as
      | { id: string; body: string; version: number }
      | undefined;
    return row ? this.hydrate(row) : undefined;
  }

  /** The query's rows in (sort_key, id) order: after a position if given, at most `limit` if given. */
  private select(query: Q, after?: [string, string], limit?: number): { id: string; sort_key: string; body: string; version: number }[] {
    const { clauses, params } = this.spec.filter(query);
    if (after) {
      clauses.push('(sort_key, id) > (?, ?)');
      params.push(after[0], after[1]);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const sql = `SELECT id, sort_key, body, version FROM ${this.spec.table} ${where} ORDER BY sort_key, id`;
    return (limit === undefined ? this.statement(sql).all(...params) : this.statement(`${sql} LIMIT ?`).all(...params, limit)) as {
      id: string;
      sort_key: string;
      body: string;
      version: number;
    }[];
  }

  async list(query: Q, page: PageRequest = {}): Promise<Page<Versioned<T>>> {
    const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
    const after = page.continuation ? decodeContinuation(page.continuation) : undefined;
    const rows = this.select(query, after, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => this.hydrate(r)),
      ...(more && last ? { continuation: encodeContinuation(last.sort_key, last.id) } : {}),
    };
  }

  async all(query: Q): Promise<Versioned<T>[]> {
    const key = JSON.stringify(query ?? {});
    const dataVersion = this.statement('PRAGMA data_version').pluck().get() as number;
    const known = this.answers.get(key);
    // Kept answers are frozen, so they are handed out as they are: copying every record of the
    // directory on each request was a tenth of a card press. A fresh array, so callers may sort it.
    if (known && known.dataVersion === dataVersion) return known.records.slice();
    const records = this.select(query).map((r) => deepFreeze(this.hydrate(r)));
    if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
    this.answers.set(key, { dataVersion, records });
    return records.slice();
  }

  async create(record: T): Promise<Versioned<T>> {
    this.answers.clear();
    const columns = ['id', 'sort_key', 'body', 'version', ...this.columnNames];
    const sql = `INSERT INTO ${this.spec.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    try {
      this.db.transaction(() => {
        this.statement(sql).run(record.id, this.spec.sortKey(record), JSON.stringify(record), 1, ...this.row(record));
        this.writeKeys(record);
      })();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new StoreError('STORE.DUPLICATE', `A ${this.spec.table} record with this id already exists.`);
      }
      throw error;
    }
    return { ...record, version: '1' };
  }

  async update(record: T, expectedVersion: string): Promise<Versioned<T>> {
    this.answers.clear();
    const expected = Number(expectedVersion);
    const sets = ['sort_key = ?', 'body = ?', 'version = version + 1', ...this.columnNames.map((c) => `${c} = ?`)];
    const sql = `UPDATE ${this.spec.table} SET ${sets.join(', ')} WHERE id = ? AND version = ?`;
    const changed = this.db.transaction(() => {
      const result = this.statement(sql).run(this.spec.sortKey(record), JSON.stringify(record), ...this.row(record), record.id, Number.isInteger(expected) ? expected : -1);
      if (result.changes === 1) this.writeKeys(record);
      return result.changes;
    })();
    // What was parsed before is not kept past a write (an erasure must not linger in memory).
    this.parsed.delete(record.id);
    if (changed === 0) throw this.missingOrStale(record.id);
    return { ...record, version: String(expected + 1) };
  }

  async delete(id: string, expectedVersion: string): Promise<void> {
    this.answers.clear();
    const expected = Number(expectedVersion);
    const changed = this.db.transaction(() => {
      const result = this.statement(`DELETE FROM ${this.spec.table} WHERE id = ? AND version = ?`).run(id, Number.isInteger(expected) ? expected : -1);
      if (result.changes === 1 && this.spec.keys) this.statement(`DELETE FROM ${this.spec.table}_keys WHERE record_id = ?`).run(id);
      return result.changes;
    })();
    this.parsed.delete(id);
    if (changed === 0) throw this.missingOrStale(id);
  }

  private missingOrStale(id: string): StoreError {
    const exists = this.statement(`SELECT 1 FROM ${this.spec.table} WHERE id = ?`).get(id);
    return exists
      ? new StoreError('STORE.CONFLICT', 'This record was changed by someone else since it was read.')
      : new StoreError('STORE.NOT_FOUND', `No ${this.spec.table} record with this id.`);
  }
}

function equals<Q>(column: string, pick: (q: Q) => string | undefined): (q: Q) => { clauses: string[]; params: SqlValue[] } {
  return (q) => {
    const value = pick(q);
    return value === undefined ? noFilter() : { clauses: [`${column} = ?`], params: [value] };
  };
}

function combine<Q>(...filters: ((q: Q) => { clauses: string[]; params: SqlValue[] })[]) {
  return (q: Q) => {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    for (const f of filters) {
      const part = f(q);
      clauses.push(...part.clauses);
      params.push(...part.params);
    }
    return { clauses, params };
  };
}

export function ownerKey(owner: Action['owners'][number]): string {
  return owner.kind === 'member' ? `member:${owner.memberId}` : `group:${owner.groupId}`;
}

const specs = {
  organisations: { table: 'organisations', columns: {}, sortKey: (o) => o.name.toLowerCase(), filter: noFilter } satisfies TableSpec<Organisation, unknown>,
  members: {
    table: 'members',
    columns: {
      initials: (m) => m.initials,
      entra_object_id: (m) => m.entraObjectId,
      teams_user_id: (m) => m.teamsUserId,
      email: (m) => m.email?.toLowerCase() ?? null,
    },
    sortKey: (m) => m.initials,
    filter: combine<MemberQuery>(
      equals('initials', (q) => q.initials?.toUpperCase()),
      equals('entra_object_id', (q) => q.entraObjectId),
      equals('teams_user_id', (q) => q.teamsUserId),
      equals('email', (q) => q.email?.toLowerCase()),
    ),
  } satisfies TableSpec<Member, MemberQuery>,
  groups: { table: 'groups', columns: {}, sortKey: (g) => g.name.toLowerCase(), filter: noFilter } satisfies TableSpec<Group, unknown>,
  memberships: {
    table: 'memberships',
    columns: { group_id: (m) => m.groupId, member_id: (m) => m.memberId },
    sortKey: (m) => m.id,
    filter: combine<MembershipQuery>(equals('group_id', (q) => q.groupId), equals('member_id', (q) => q.memberId)),
  } satisfies TableSpec<Membership, MembershipQuery>,
  themes: {
    table: 'themes',
    columns: {},
    sortKey: (t) => `${String(t.priorityNumber ?? 999).padStart(3, '0')}:${t.name.toLowerCase()}`,
    filter: noFilter,
  } satisfies TableSpec<Theme, unknown>,
  meetings: {
    table: 'meetings',
    columns: { group_id: (m) => m.groupId, date: (m) => m.date },
    sortKey: (m) => m.date,
    filter: (q: MeetingQuery) => {
      const clauses: string[] = [];
      const params: SqlValue[] = [];
      if (q.groupId !== undefined) (clauses.push('group_id = ?'), params.push(q.groupId));
      if (q.fromDate !== undefined) (clauses.push('date >= ?'), params.push(q.fromDate));
      if (q.toDate !== undefined) (clauses.push('date <= ?'), params.push(q.toDate));
      return { clauses, params };
    },
  } satisfies TableSpec<Meeting, MeetingQuery>,
  actions: {
    table: 'actions',
    columns: { meeting_id: (a) => a.meetingId, status: (a) => a.status, theme_id: (a) => a.themeId },
    sortKey: (a) => a.id,
    keys: (a) => a.owners.map(ownerKey),
    filter: (q: ActionQuery) => {
      const clauses: string[] = [];
      const params: SqlValue[] = [];
      if (q.meetingId !== undefined) (clauses.push('meeting_id = ?'), params.push(q.meetingId));
      if (q.themeId !== undefined) (clauses.push('theme_id = ?'), params.push(q.themeId));
      if (q.statuses !== undefined) {
        clauses.push(q.statuses.length ? `status IN (${q.statuses.map(() => '?').join(', ')})` : '0');
        params.push(...q.statuses);
      }
      for (const key of [
        q.ownerMemberId !== undefined ? `member:${q.ownerMemberId}` : undefined,
        q.ownerGroupId !== undefined ? `group:${q.ownerGroupId}` : undefined,
      ]) {
        if (key === undefined) continue;
        clauses.push('id IN (SELECT record_id FROM actions_keys WHERE key = ?)');
        params.push(key);
      }
      return { clauses, params };
    },
  } satisfies TableSpec<Action, ActionQuery>,
  reportRounds: {
    table: 'report_rounds',
    columns: { meeting_id: (r) => r.meetingId },
    sortKey: (r) => r.deadline,
    filter: equals<ReportRoundQuery>('meeting_id', (q) => q.meetingId),
  } satisfies TableSpec<ReportRound, ReportRoundQuery>,
  themeReports: {
    table: 'theme_reports',
    columns: { round_id: (r) => r.roundId, lead_member_id: (r) => r.leadMemberId },
    sortKey: (r) => r.id,
    filter: combine<ThemeReportQuery>(equals('round_id', (q) => q.roundId), equals('lead_member_id', (q) => q.leadMemberId)),
  } satisfies TableSpec<ThemeReport, ThemeReportQuery>,
  installs: {
    table: 'installs',
    columns: { member_id: (i) => i.memberId, scope: (i) => i.scope },
    sortKey: (i) => i.id,
    filter: combine<ConversationInstallQuery>(equals('member_id', (q) => q.memberId), equals('scope', (q) => q.scope)),
  } satisfies TableSpec<ConversationInstall, ConversationInstallQuery>,
  deliveries: {
    table: 'deliveries',
    columns: { status: (d) => d.status },
    sortKey: (d) => d.id,
    filter: equals<DeliveryQuery>('status', (q) => q.status),
  } satisfies TableSpec<Delivery, DeliveryQuery>,
};

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly filename: string;
}

/** The embedded default: one SQLite file under DATA_DIR, created and migrated on first open. */
export class SqliteStore implements Store {
  readonly organisations;
  readonly members;
  readonly groups;
  readonly memberships;
  readonly themes;
  readonly meetings;
  readonly actions;
  readonly reportRounds;
  readonly themeReports;
  readonly installs;
  readonly deliveries;
  private readonly db: Db;

  constructor(options: SqliteStoreOptions) {
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    // Two processes (the server and a `npm run sweep`) may share the file: wait rather than fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten, not left in free pages: an erased person or a purged report
    // must not be readable from the file afterwards.
    this.db.pragma('secure_delete = ON');
    migrate(this.db);
    this.organisations = new SqliteRecordSet<Organisation, Record<string, never>>(this.db, specs.organisations);
    this.members = new SqliteRecordSet<Member, MemberQuery>(this.db, specs.members);
    this.groups = new SqliteRecordSet<Group, Record<string, never>>(this.db, specs.groups);
    this.memberships = new SqliteRecordSet<Membership, MembershipQuery>(this.db, specs.memberships);
    this.themes = new SqliteRecordSet<Theme, Record<string, never>>(this.db, specs.themes);
    this.meetings = new SqliteRecordSet<Meeting, MeetingQuery>(this.db, specs.meetings);
    this.actions = new SqliteRecordSet<Action, ActionQuery>(this.db, specs.actions);
    this.reportRounds = new SqliteRecordSet<ReportRound, ReportRoundQuery>(this.db, specs.reportRounds);
    this.themeReports = new SqliteRecordSet<ThemeReport, ThemeReportQuery>(this.db, specs.themeReports);
    this.installs = new SqliteRecordSet<ConversationInstall, ConversationInstallQuery>(this.db, specs.installs);
    this.deliveries = new SqliteRecordSet<Delivery, DeliveryQuery>(this.db, specs.deliveries);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
