/**
 * A local stand-in for the Bot Connector service (the Teams side of a bot's outgoing calls),
 * speaking the documented v3 REST API on 127.0.0.1:
 *   POST /v3/conversations                                     create a conversation → {id, activityId?, serviceUrl}
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
}

export interface BotConnectorStandIn {
  readonly url: string;
  /** serviceUrl to put in activities: `${url}/` like Teams' own. */
  readonly serviceUrl: string;
  readonly received: ReceivedCall[];
  readonly messages: Map<string, StoredMessage>;
  /** Answer the next n matching writes (POST/PUT activities) with this failure. */
  failNext(n: number, failure: ScriptedFailure, match?: (call: { method: string; conversationId: string | null }) => boolean): void;
  /** Answer every k-th write (1-based count of writes) with this failure, from now on. */
  failEvery(k: number, failure: ScriptedFailure): void;
  /** Conversations whose user has blocked the bot: every write gets 403. */
  block(conversationId: string): void;
  /** Members GET /members/{id} answers with. */
  members: Map<string, { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string }>;
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
  /** Called after a new message is stored and before it is answered (a test may kill its poster here). */
  onPosted(callback: ((message: StoredMessage) => void) | null): void;
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

export async function startBotConnectorStandIn(options: BotConnectorStandInOptions = {}): Promise<BotConnectorStandIn> {
  const received: ReceivedCall[] = [];
  const messages = new Map<string, StoredMessage>();
  const members = new Map<string, { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string }>();
  const blocked = new Set<string>();
  let queued: { failure: ScriptedFailure; match?: (call: { method: string; conversationId: string | null }) => boolean }[] = [];
  let every: { k: number; failure: ScriptedFailure } | null = null;
  let writes = 0;
  let counter = 0;
  let throttled = 0;
  let randomFaults: { random: () => number; rates: Partial<Record<ConnectorFault, number>> } | null = null;
  const faults: Record<ConnectorFault, number> = { '429': 0, '503': 0, 'drop-before-posting': 0, 'drop-after-posting': 0 };
  const postedWithoutAnswer = new Set<string>();
  let onPosted: ((message: StoredMessage) => void) | null = null;
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
    const record = (status: number) => received.push({ method, path: url.pathname, conversationId, activityId, body, status, at: Date.now() });
    const fail = (failure: ScriptedFailure) => {
      record(failure.status);
      const code = failure.code ?? (failure.status === 429 ? 'TooManyRequests' : failure.status === 403 ? 'ConversationBlockedByUser' : 'ServiceError');
      send(res, failure.status, { error: { code, message: `Stand-in answered ${failure.status}` } }, failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {});
    };

    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      record(404);
      return send(res, 404, { error: { code: 'NotFound', message: 'Unknown path' } });
    }
    // POST /v3/conversations
    if (method === 'POST' && parts.length === 2) {
      if (refusedByLimits(null, fail)) return;
      const id = `a:created-${++counter}`;
      record(201);
      return send(res, 201, { id, serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    }
    // GET members
    if (method === 'GET' && parts[3] === 'members' && parts[4]) {
      const member = members.get(parts[4]);
      record(member ? 200 : 404);
      return member ? send(res, 200, member) : send(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'No such member' } });
    }
    const isWrite = parts[3] === 'activities' && (method === 'POST' || method === 'PUT');
    if (!isWrite) {
      record(404);
      return send(res, 404, { error: { code: 'NotFound', message: 'Unknown path' } });
    }
    writes++;
    if (conversationId && blocked.has(conversationId)) return fail({ status: 403, code: 'ConversationBlockedByUser' });
    const scripted = queued.findIndex((q) => !q.match || q.match({ method, conversationId }));
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
    onPosted?.(stored);
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
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
