import type { Logger } from '../observability/logger.js';
import type { ConversationTarget, MessageSender, OutgoingMessage, SendOptions, SendOutcome } from '../services/messaging.js';
import { renderMessage } from './message-cards.js';
import { realLimiterClock, SlidingWindowLimiter, TEAMS_APP_WINDOWS, TEAMS_CONVERSATION_WINDOWS, type LimiterClock } from './rate-limiter.js';

/** The wire: post a new activity into a conversation, or replace one. Throws on an HTTP failure. */
export interface BotTransport {
  send(reference: Readonly<Record<string, unknown>>, activity: OutgoingActivity): Promise<{ id: string }>;
  update(reference: Readonly<Record<string, unknown>>, activityId: string, activity: OutgoingActivity): Promise<void>;
}

export interface OutgoingActivity {
  readonly type: 'message';
  readonly summary: string;
  readonly attachments: readonly { readonly contentType: string; readonly content: unknown }[];
}

export interface ProactiveSenderOptions {
  readonly logger: Logger;
  readonly clock?: LimiterClock;
  readonly random?: () => number;
  /** Tries per message, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the message is recorded as failed (THROTTLED). */
  readonly maxRetryAfterMs?: number;
  /** A call with no answer after this long is abandoned (a post is then in doubt). */
  readonly callTimeoutMs?: number;
}

/** What a failed call looked like on the wire, read from whatever the transport threw. */
export interface WireFailure {
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  /** The error code from the Bot Connector's error body, if any. */
  readonly errorCode: string | null;
  /**
   * For a failure with no HTTP status: false when the request never left this machine
   * (connection refused, DNS), so nothing can have been posted; true when it may have been
   * delivered and only the answer was lost (reset, hang-up, timeout).
   */
  readonly mayHaveArrived?: boolean;
}

const RETRYABLE = new Set([412, 429, 502, 503, 504]);
/**
 * Answers that say Teams did not post the message: throttled (429), precondition (412),
 * unavailable (503). A 502/504 comes from a gateway that may already have passed the post on.
 */
const REFUSED_BEFORE_POSTING = new Set([412, 429, 503]);
const NEVER_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL/;

/** The triage ladder: blocked → record and stop; throttled → wait as told; transient → back off; anything else → record. */
export type Triage = { readonly kind: 'retry'; readonly waitMs: number | null } | { readonly kind: 'final'; readonly failureCode: string };

export function triage(failure: WireFailure): Triage {
  if (failure.status === 403) {
    const blocked = failure.errorCode === null || /MessageWritesBlocked|ConversationBlockedByUser|BotNotInConversationRoster/i.test(failure.errorCode);
    return { kind: 'final', failureCode: blocked ? 'MessageWritesBlocked' : `HTTP_403_${failure.errorCode}` };
  }
  if (failure.status === null) return { kind: 'retry', waitMs: null };
  if (RETRYABLE.has(failure.status)) return { kind: 'retry', waitMs: failure.status === 429 ? failure.retryAfterMs : null };
  if (failure.status === 404) return { kind: 'final', failureCode: 'CONVERSATION_NOT_FOUND' };
  return { kind: 'final', failureCode: `HTTP_${failure.status}` };
}

/**
 * A new post is not idempotent: the Bot Connector has no request id to deduplicate on. So a
 * send is retried only when the failure proves nothing was posted; otherwise it stops and
 * reports `posted: 'unknown'`. Updates replace a known activity and are retried as usual.
 */
export function triageSend(failure: WireFailure): Triage | { readonly kind: 'in-doubt'; readonly failureCode: string } {
  if (failure.status !== null && failure.status >= 500 && !REFUSED_BEFORE_POSTING.has(failure.status)) return { kind: 'in-doubt', failureCode: `HTTP_${failure.status}` };
  const decision = triage(failure);
  if (decision.kind === 'final') return decision;
  if (failure.status === null) return failure.mayHaveArrived === false ? decision : { kind: 'in-doubt', failureCode: 'NO_ANSWER' };
  if (REFUSED_BEFORE_POSTING.has(failure.status)) return decision;
  return { kind: 'in-doubt', failureCode: `HTTP_${failure.status}` };
}

/** Reads status, Retry-After and the error code from botbuilder's RestError (or any error with the same fields). */
export function readWireFailure(error: unknown): WireFailure {
  const e = error as { statusCode?: unknown; response?: { headers?: unknown; bodyAsText?: unknown; parsedBody?: unknown }; code?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : null;
  const headers = e?.response?.headers as { get?: (name: string) => string | undefined } | Record<string, string> | undefined;
  const rawRetry = typeof (headers as { get?: unknown })?.get === 'function' ? (headers as { get(name: string): string | undefined }).get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  let retryAfterMs: number | null = null;
  if (rawRetry !== undefined && rawRetry !== null && String(rawRetry).trim() !== '') {
    const seconds = Number(rawRetry);
    if (Number.isFinite(seconds)) retryAfterMs = Math.max(0, seconds * 1000);
    else {
      const date = Date.parse(String(rawRetry));
      if (Number.isFinite(date)) retryAfterMs = Math.max(0, date - Date.now());
    }
  }
  let errorCode: string | null = null;
  const body = e?.response?.parsedBody ?? (typeof e?.response?.bodyAsText === 'string' ? safeJson(e.response.bodyAsText) : undefined);
  const fromBody = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (typeof fromBody === 'string') errorCode = fromBody;
  else if (typeof e?.code === 'string' && status !== null) errorCode = e.code;
  if (typeof e?.response?.bodyAsText === 'string' && /MessageWritesBlocked/.test(e.response.bodyAsText)) errorCode = 'MessageWritesBlocked';
  if (status !== null) return { status, retryAfterMs, errorCode };
  const description = `${typeof e?.code === 'string' ? e.code : ''} ${(error as { message?: unknown })?.message ?? ''} ${(error as { cause?: { code?: unknown } })?.cause?.code ?? ''}`;
  return { status, retryAfterMs, errorCode, mayHaveArrived: !NEVER_CONNECTED.test(description) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The one way the bot posts proactively. Respects Teams' limits before each call (per
 * conversation and per app), waits for Retry-After on 429, backs off with jitter on
 * 412/502/503/504, gives up after a bounded number of tries with a failure code, and never
 * retries a 403 (the user blocked or removed the bot). Logs ids and codes, never content.
 */
export class ProactiveSender implements MessageSender {
  private readonly perConversation: SlidingWindowLimiter;
  private readonly perApp: SlidingWindowLimiter;
  private readonly clock: LimiterClock;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly callTimeoutMs: number;

  constructor(
    private readonly transport: BotTransport,
    private readonly options: ProactiveSenderOptions,
  ) {
    this.clock = options.clock ?? realLimiterClock;
    this.perConversation = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, this.clock);
    this.perApp = new SlidingWindowLimiter(TEAMS_APP_WINDOWS, this.clock);
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
  }

  send(target: ConversationTarget, message: OutgoingMessage, options: SendOptions = {}): Promise<SendOutcome> {
    return this.withRetries(target, 'send', async (activity) => (await this.transport.send(target.reference, activity)).id, message, options.claim);
  }

  update(target: ConversationTarget, activityId: string, message: OutgoingMessage): Promise<SendOutcome> {
    return this.withRetries(target, 'update', async (activity) => {
      await this.transport.update(target.reference, activityId, activity);
      return activityId;
    }, message);
  }

  /** Exponential backoff with full jitter: a random wait up to base·2^(attempt-1), capped. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** The call, or a failure with no status once `callTimeoutMs` passes with no answer. */
  private withTimeout<T>(call: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('The Bot Connector did not answer in time.'), { code: 'CALL_TIMEOUT' })), this.callTimeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  private async withRetries(
    target: ConversationTarget,
    operation: 'send' | 'update',
    call: (activity: OutgoingActivity) => Promise<string>,
    message: OutgoingMessage,
    claim?: () => Promise<boolean>,
  ): Promise<SendOutcome> {
    const activity: OutgoingActivity = {
      type: 'message',
      summary: message.summary,
      // The services said what to send, as a view; the card is made here, on the Teams side.
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: renderMessage(message.view) }],
    };
    for (let attempt = 1; ; attempt++) {
      await this.perConversation.acquire(target.conversationId);
      await this.perApp.acquire('app');
      if (attempt === 1 && claim && !(await claim())) return { ok: false, failureCode: 'NOT_CLAIMED', attempts: 0, posted: 'no' };
      try {
        const activityId = await this.withTimeout(call(activity));
        return { ok: true, activityId, attempts: attempt };
      } catch (error) {
        const failure = readWireFailure(error);
        const decision = operation === 'send' ? triageSend(failure) : triage(failure);
        this.options.logger.log('warn', 'proactive.attempt_failed', {
          operation,
          conversationId: target.conversationId,
          attempt,
          status: failure.status,
          errorCode: failure.errorCode,
        });
        if (decision.kind === 'final') return { ok: false, failureCode: decision.failureCode, attempts: attempt, posted: 'no' };
        if (decision.kind === 'in-doubt') return { ok: false, failureCode: decision.failureCode, attempts: attempt, posted: 'unknown' };
        if (attempt >= this.maxAttempts) {
          return { ok: false, failureCode: failure.status === 429 ? 'THROTTLED' : failure.status === null ? 'NETWORK' : `HTTP_${failure.status}`, attempts: attempt, posted: 'no' };
        }
        const wait = decision.waitMs ?? this.backoffMs(attempt);
        if (wait > this.maxRetryAfterMs) return { ok: false, failureCode: 'THROTTLED', attempts: attempt, posted: 'no' };
        await this.clock.sleep(wait);
      }
    }
  }
}
