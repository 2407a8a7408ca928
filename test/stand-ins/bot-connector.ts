/**
 * A local stand-in for the Bot Connector service (the Teams side of a bot's outgoing calls),
 * speaking the documented v3 REST API on 127.0.0.1:
 *   POST /v3/conversations                                     create a conversation → 201 {id, serviceUrl}; a 1:1 ({isGroup:false,
 *                                                              bot, members:[{id}], tenantId / channelData.tenant.id}) answers the same
 *                                                              id for the same user, as Teams does; a malformed body → 400 BadSyntax
 *   GET  /v3/conversations/{id}/pagedmembers?pageSize&continuationToken
 *                                                              a team's roster one page at a time → {members:[TeamsChannelAccount],
 *                                                              continuationToken?} (no token on the last page)
 *   POST /v3/conversations/{id}/activities                     send to conversation → 201 {id}
 *   POST /v3/conversations/{id}/activities/{replyToId}         reply to activity → 201 {id}
 *   PUT  /v3/conversations/{id}/activities/{activityId}        update activity → 200 {id}
 *   GET  /v3/conversations/{id}/members/{memberId}             get conversation member → TeamsChannelAccount
 * Errors use the connector's ErrorResponse body: {"error":{"code","message"}}.
 * A test scripts failures with `failNext` / `failEvery`; it asserts on `received` and `messages`.
 * With `rateLimits` (off by default) it also enforces Teams' throttling, answering 429 with Retry-After.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  readonly method: string;
  readonly path: string;
  /** The query string, with its `?` (empty when none). */
  readonly query: string;
  readonly conversationId: string | null;
  readonly activityId: string | null;
  readonly body: any;
  /** The status the stand-in answered. */
  readonly status: number;
  readonly at: number;
}

export interface ScriptedFailure {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly code?: string;
  readonly message?: string;
}

export interface StoredMessage {
  readonly id: string;
  readonly conversationId: string;
  /** The latest version (after PUTs). */
  activity: any;
  readonly versions: any[];
}

export interface ConnectorRateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface ConnectorRateLimits {
  /** Windows per conversation ("per bot per thread"); each must hold. */
  readonly perConversation: readonly ConnectorRateWindow[];
  /** Windows across every conversation ("per app per tenant"). */
  readonly perApp: readonly ConnectorRateWindow[];
}

/**
 * Teams' published limits for a bot's writes, from "Optimize your bot with rate limiting in Teams"
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), per bot per thread, "Send to
 * conversation": 7 operations in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in 3,600 s; and the global limit
 * per app per tenant, 50 requests per second (an older revision of the page said 30). The stand-in
 * keeps its own copy on purpose: it plays the service, and must not agree with the client by
 * construction. Microsoft does not document the Retry-After Teams sends; the stand-in sends the
 * whole seconds until the fullest window has room again (at least 1), and a refused request does not
 * count against the windows.
 */
export const TEAMS_DOCUMENTED_LIMITS: ConnectorRateLimits = {
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perApp: [{ limit: 50, windowMs: 1_000 }],
};

export interface BotConnectorStandInOptions {
  /** Enforce these limits on writes (POST/PUT activities, POST conversations). Off unless given. */
  readonly rateLimits?: ConnectorRateLimits;
  /**
   * The most members it answers per page of /pagedmembers, whatever was asked (default 500).
   * Teams says the page size "depends on the implementation": a small value makes a test page.
   */
  readonly maxPageSize?: number;
}

/**
 * A team member as GET /v3/conversations/{id}/pagedmembers answers them. The documented
 * wire names the Entra object id `objectId` ("Get Teams specific context for your bot",
 * learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context).
 */
export interface TeamsChannelAccountWire {
  readonly id: string;
  readonly name?: string;
  readonly objectId?: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
  readonly tenantId?: string;
  readonly userRole?: 'user' | 'guest' | 'anonymous';
}

/** What a POST /v3/conversations that was accepted asked for. */
export interface CreatedConversation {
  readonly id: string;
  readonly isGroup: boolean;
  readonly botId: string;
  readonly memberIds: readonly string[];
  /** `tenantId` at the top level of the body, if given. */
  readonly tenantId: string | null;
  /** `channelData.tenant.id`, if given. */
  readonly channelDataTenantId: string | null;
}

/** The id the stand-in gives the bot's 1:1 chat with a user: the same every time, as Teams' is. */
export function personalConversationIdFor(teamsUserId: string): string {
  return `a:1on1-${Buffer.from(teamsUserId).toString('base64url')}`;
}

export interface BotConnectorStandIn {
  readonly url: string;
  /** serviceUrl to put in activities: `${url}/` like Teams' own. */
  readonly serviceUrl: string;
  readonly received: ReceivedCall[];
  readonly messages: Map<string, StoredMessage>;
  /**
   * Answer the next n matching writes (POST/PUT activities) with this failure. A `match` that
   * accepts a call's `path` also scripts POST /v3/conversations and GET .../pagedmembers; a
   * failure with no `match` applies to activity writes only.
   */
  failNext(n: number, failure: ScriptedFailure, match?: (call: { method: string; conversationId: string | null; path: string }) => boolean): void;
  /** Answer every k-th write (1-based count of writes) with this failure, from now on. */
  failEvery(k: number, failure: ScriptedFailure): void;
  /** Conversations whose user has blocked the bot: every write gets 403. */
  block(conversationId: string): void;
  /** Members GET /members/{id} answers with. */
  members: Map<string, { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string }>;
  /** A team's members, by the team's (or its channel's) conversation id, for /pagedmembers. */
  setRoster(conversationId: string, members: readonly TeamsChannelAccountWire[]): void;
  /** Every POST /v3/conversations it accepted, in order. */
  readonly created: CreatedConversation[];
  /** Users who blocked the bot or may not use it: creating a 1:1 with them gets 403. */
  blockUser(teamsUserId: string): void;
  messagesIn(conversationId: string): StoredMessage[];
  /** Writes answered 429 by the rate limits (0 unless `rateLimits` was given). */
  throttled(): number;
  /**
   * From now on, each write meets at most one fault, drawn with these probabilities: a 429
   * with Retry-After, a 503, or a dropped connection either before the message is posted or
   * after it is (the caller cannot tell those two apart). `faults` counts what was injected.
   */
  injectRandomFaults(random: () => number, rates: Partial<Record<ConnectorFault, number>>): void;
  readonly faults: Record<ConnectorFault, number>;
  /** Ids of messages that were posted but whose poster got a dropped connection instead of an answer. */
  readonly postedWithoutAnswer: Set<string>;
  /**
   * Called after a new message is stored and before it is answered (a test may kill its poster
   * here). A callback that returns a promise holds the answer until it settles, so a test can
   * change the world "while the post is on the wire", deterministically.
   */
  onPosted(callback: ((message: StoredMessage) => void | Promise<unknown>) | null): void;
  reset(): void;
  close(): Promise<void>;
}

export type ConnectorFault = '429' | '503' | 'drop-before-posting' | 'drop-after-posting';

/** Arrival times of accepted writes per key, checked against sliding windows. */
function slidingWindows(windows: readonly ConnectorRateWindow[]) {
  const longest = Math.max(0, ...windows.map((w) => w.windowMs));
  const stamps = new Map<string, number[]>();
  return {
    /** Milliseconds until one more write fits every window (0 = it fits now). */
    waitFor(key: string, now: number): number {
      const kept = (stamps.get(key) ?? []).filter((t) => t > now - longest);
      stamps.set(key, kept);
      let wait = 0;
      for (const w of windows) {
        const inWindow = kept.filter((t) => t > now - w.windowMs);
        if (inWindow.length >= w.limit) wait = Math.max(wait, inWindow[inWindow.length - w.limit]! + w.windowMs - now);
      }
      return wait;
    },
    record(key: string, now: number): void {
      stamps.get(key)!.push(now);
    },
    clear(): void {
      stamps.clear();
    },
  };
}

/**
 * The checks Teams makes of a create-conversation body, as far as they are known: a bot, a
 * tenant (top-level `tenantId` or `channelData.tenant.id`; Teams answers "Could not parse tenant
 * id" without one), and for a 1:1 exactly one member with an id. A group conversation is a new
 * thread in a channel (`channelData.channel.id`); bots cannot create group chats.
 */
function conversationParameters(body: unknown): { ok: true; value: Omit<CreatedConversation, 'id'> } | { ok: false; message: string } {
  const bad = { ok: false as const, message: 'Incorrect conversation creation parameters' };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad;
  const b = body as Record<string, any>;
  if (!b.bot || typeof b.bot !== 'object' || typeof b.bot.id !== 'string' || !b.bot.id) return bad;
  const tenantId = typeof b.tenantId === 'string' && b.tenantId ? b.tenantId : null;
  const channelDataTenantId = typeof b.channelData?.tenant?.id === 'string' && b.channelData.tenant.id ? b.channelData.tenant.id : null;
  if (!tenantId && !channelDataTenantId) return { ok: false, message: 'Could not parse tenant id' };
  if (b.isGroup !== undefined && typeof b.isGroup !== 'boolean') return bad;
  const isGroup = b.isGroup === true;
  const members = b.members;
  if (members !== undefined && (!Array.isArray(members) || members.some((m: any) => !m || typeof m.id !== 'string' || !m.id))) return bad;
  const memberIds: string[] = (members ?? []).map((m: { id: string }) => m.id);
  if (!isGroup && memberIds.length !== 1) return bad;
  if (isGroup && typeof b.channelData?.channel?.id !== 'string') return bad;
  return { ok: true, value: { isGroup, botId: b.bot.id, memberIds, tenantId, channelDataTenantId } };
}

/** Continuation tokens are opaque to the client; this one carries the conversation and the offset. */
function makeToken(conversationId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ c: conversationId, o: offset })).toString('base64url');
}

function readToken(token: string, conversationId: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { c?: unknown; o?: unknown };
    return parsed.c === conversationId && Number.isInteger(parsed.o) && (parsed.o as number) > 0 ? (parsed.o as number) : null;
  } catch {
    return null;
  }
}

export async function startBotConnectorStandIn(options: BotConnectorStandInOptions = {}): Promise<BotConnectorStandIn> {
  const received: ReceivedCall[] = [];
  const messages = new Map<string, StoredMessage>();
  const members = new Map<string, { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string }>();
  const blocked = new Set<string>();
  let queued: { failure: ScriptedFailure; match?: (call: { method: string; conversationId: string | null; path: string }) => boolean }[] = [];
  const rosters = new Map<string, readonly TeamsChannelAccountWire[]>();
  const created: CreatedConversation[] = [];
  const blockedUsers = new Set<string>();
  const maxPageSize = options.maxPageSize ?? 500;
  let every: { k: number; failure: ScriptedFailure } | null = null;
  let writes = 0;
  let counter = 0;
  let throttled = 0;
  let randomFaults: { random: () => number; rates: Partial<Record<ConnectorFault, number>> } | null = null;
  const faults: Record<ConnectorFault, number> = { '429': 0, '503': 0, 'drop-before-posting': 0, 'drop-after-posting': 0 };
  const postedWithoutAnswer = new Set<string>();
  let onPosted: ((message: StoredMessage) => void | Promise<unknown>) | null = null;
  const drawFault = (): ConnectorFault | null => {
    if (!randomFaults) return null;
    let roll = randomFaults.random();
    for (const [fault, rate] of Object.entries(randomFaults.rates) as [ConnectorFault, number][]) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return null;
  };
  /** A connection dropped with no HTTP answer at all, as a failing load balancer would. */
  const drop = (res: ServerResponse) => res.socket?.destroy();
  const conversationLimits = options.rateLimits ? slidingWindows(options.rateLimits.perConversation) : null;
  const appLimits = options.rateLimits ? slidingWindows(options.rateLimits.perApp) : null;
  /** Enforces the rate limits on one write: true when it was refused (and answered). */
  const refusedByLimits = (conversationId: string | null, answer: (failure: ScriptedFailure) => void): boolean => {
    if (!conversationLimits || !appLimits) return false;
    const now = Date.now();
    const conversationKey = conversationId ?? '(new conversation)';
    const wait = Math.max(conversationLimits.waitFor(conversationKey, now), appLimits.waitFor('app', now));
    if (wait > 0) {
      throttled++;
      answer({ status: 429, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)), code: 'TooManyRequests' });
      return true;
    }
    conversationLimits.record(conversationKey, now);
    appLimits.record('app', now);
    return false;
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<any>((resolve) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        try {
          resolve(text ? JSON.parse(text) : undefined);
        } catch {
          resolve(text);
        }
      });
    });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const conversationId = parts[0] === 'v3' && parts[1] === 'conversations' && parts[2] ? parts[2] : null;
    const activityId = parts[3] === 'activities' && parts[4] ? parts[4] : null;
    const record = (status: number) => received.push({ method, path: url.pathname, query: url.search, conversationId, activityId, body, status, at: Date.now() });
    const fail = (failure: ScriptedFailure) => {
      record(failure.status);
      const code = failure.code ?? (failure.status === 429 ? 'TooManyRequests' : failure.status === 403 ? 'ConversationBlockedByUser' : 'ServiceError');
      send(res, failure.status, { error: { code, message: failure.message ?? `Stand-in answered ${failure.status}` } }, failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {});
    };

    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      record(404);
      return send(res, 404, { error: { code: 'NotFound', message: 'Unknown path' } });
    }
    /** A scripted failure for a call outside the activity writes: only one whose `match` names it. */
    const scriptedFor = () => {
      const index = queued.findIndex((q) => q.match?.({ method, conversationId, path: url.pathname }));
      return index >= 0 ? queued.splice(index, 1)[0]!.failure : null;
    };
    // POST /v3/conversations
    if (method === 'POST' && parts.length === 2) {
      if (refusedByLimits(null, fail)) return;
      const scripted = scriptedFor();
      if (scripted) return fail(scripted);
      const parsed = conversationParameters(body);
      if (!parsed.ok) return fail({ status: 400, code: 'BadSyntax', message: parsed.message });
      if (!parsed.value.isGroup && blockedUsers.has(parsed.value.memberIds[0]!)) return fail({ status: 403, code: 'ConversationBlockedByUser' });
      const id = parsed.value.isGroup ? `a:created-${++counter}` : personalConversationIdFor(parsed.value.memberIds[0]!);
      created.push({ id, ...parsed.value });
      record(201);
      return send(res, 201, { id, serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    }
    // GET /v3/conversations/{id}/pagedmembers
    if (method === 'GET' && parts[3] === 'pagedmembers' && parts.length === 4) {
      const scripted = scriptedFor();
      if (scripted) return fail(scripted);
      const roster = conversationId ? rosters.get(conversationId) : undefined;
      if (!roster) return fail({ status: 404, code: 'ConversationNotFound', message: 'Conversation not found.' });
      const askedSize = url.searchParams.get('pageSize');
      if (askedSize !== null && !/^\d{1,6}$/.test(askedSize)) return fail({ status: 400, code: 'BadArgument', message: 'pageSize must be a number.' });
      // Teams treats a page size under 50 as 50 and caps it at 500; 200 when none is asked.
      const pageSize = Math.min(maxPageSize, askedSize === null ? 200 : Math.max(50, Math.min(500, Number(askedSize))));
      const token = url.searchParams.get('continuationToken');
      const offset = token === null ? 0 : readToken(token, conversationId!);
      if (offset === null || offset > roster.length) return fail({ status: 400, code: 'BadArgument', message: 'Invalid continuation token.' });
      const next = offset + pageSize < roster.length ? makeToken(conversationId!, offset + pageSize) : undefined;
      record(200);
      return send(res, 200, { members: roster.slice(offset, offset + pageSize), ...(next ? { continuationToken: next } : {}) });
    }
    const isWrite = parts[3] === 'activities' && (method === 'POST' || method === 'PUT');
    if (!isWrite) {
      record(404);
      return send(res, 404, { error: { code: 'NotFound', message: 'Unknown path' } });
    }
    writes++;
    if (conversationId && blocked.has(conversationId)) return fail({ status: 403, code: 'ConversationBlockedByUser' });
    const scripted = queued.findIndex((q) => !q.match || q.match({ method, conversationId, path: url.pathname }));
    if (scripted >= 0) {
      const [item] = queued.splice(scripted, 1);
      return fail(item!.failure);
    }
    if (every && writes % every.k === 0) return fail(every.failure);
    if (refusedByLimits(conversationId, fail)) return;
    // New posts only: updates replace a known activity and are safe to retry, so they show nothing new.
    const fault = method === 'POST' ? drawFault() : null;
    if (fault) faults[fault]++;
    if (fault === '429') return fail({ status: 429, retryAfterSeconds: 1, code: 'TooManyRequests' });
    if (fault === '503') return fail({ status: 503, code: 'ServiceUnavailable' });
    if (fault === 'drop-before-posting') {
      record(0);
      return drop(res);
    }

    if (method === 'PUT') {
      const existing = activityId ? messages.get(activityId) : undefined;
      if (!existing || existing.conversationId !== conversationId) {
        record(404);
        return send(res, 404, { error: { code: 'ActivityNotFoundInConversation', message: 'No such activity' } });
      }
      existing.activity = body;
      existing.versions.push(body);
      record(200);
      return send(res, 200, { id: existing.id });
    }
    const id = `1${String(++counter).padStart(12, '0')}`;
    const stored: StoredMessage = { id, conversationId: conversationId!, activity: body, versions: [body] };
    messages.set(id, stored);
    const holding = onPosted?.(stored);
    if (holding instanceof Promise) await holding.catch(() => undefined);
    if (fault === 'drop-after-posting') {
      postedWithoutAnswer.add(id);
      record(0);
      return drop(res);
    }
    record(201);
    return send(res, 201, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serviceUrl: `${url}/`,
    received,
    messages,
    members,
    setRoster(conversationId, accounts) {
      rosters.set(conversationId, [...accounts]);
    },
    created,
    blockUser(teamsUserId) {
      blockedUsers.add(teamsUserId);
    },
    failNext(n, failure, match) {
      for (let i = 0; i < n; i++) queued.push({ failure, ...(match ? { match } : {}) });
    },
    failEvery(k, failure) {
      every = { k, failure };
      writes = 0;
    },
    block(conversationId) {
      blocked.add(conversationId);
    },
    messagesIn(conversationId) {
      return [...messages.values()].filter((m) => m.conversationId === conversationId);
    },
    throttled: () => throttled,
    injectRandomFaults(random, rates) {
      randomFaults = { random, rates };
    },
    faults,
    postedWithoutAnswer,
    onPosted(callback) {
      onPosted = callback;
    },
    reset() {
      throttled = 0;
      conversationLimits?.clear();
      appLimits?.clear();
      received.length = 0;
      messages.clear();
      queued = [];
      every = null;
      writes = 0;
      blocked.clear();
      rosters.clear();
      created.length = 0;
      blockedUsers.clear();
      onPosted = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
