/**
 * The ProactiveSender's triage ladder and rate limits, against a scripted transport and a
 * virtual clock: what a user of the bot would notice is whether a message arrives, once,
 * and how long Teams is made to wait.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/observability/logger.js';
import { ProactiveSender, triage, type BotTransport } from '../../bot/teams/proactive-sender.js';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, type LimiterClock } from '../../bot/teams/rate-limiter.js';
import type { OutgoingMessage } from '../../bot/services/messaging.js';

function virtualClock(): LimiterClock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

const httpError = (status: number, retryAfter?: string, code?: string) =>
  Object.assign(new Error(`HTTP ${status}`), {
    statusCode: status,
    response: { headers: new Map(retryAfter ? [['retry-after', retryAfter]] : []), bodyAsText: JSON.stringify({ error: { code: code ?? 'X', message: 'm' } }) },
  });

function scriptedTransport(script: (Error | 'ok')[]): BotTransport & { calls: number; at: number[] } {
  const transport = {
    calls: 0,
    at: [] as number[],
    async send() {
      const step = script[transport.calls++] ?? 'ok';
      if (step !== 'ok') throw step;
      return { id: `msg-${transport.calls}` };
    },
    async update() {
      const step = script[transport.calls++] ?? 'ok';
      if (step !== 'ok') throw step;
    },
  };
  return transport;
}

const target = { conversationId: 'a:conv-1', reference: {} };
const message: OutgoingMessage = { view: { kind: 'card', card: { type: 'AdaptiveCard', version: '1.5', body: [] } }, summary: 's' };

const networkError = (code: string) => Object.assign(new Error(`request failed, reason: ${code}`), { code: 'REQUEST_SEND_ERROR' });

describe('ProactiveSender: a new post is never sent twice', () => {
  it('retries a new post only when the failure proves Teams did not post it (429, 412, 503, connection refused)', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(429, '1'), httpError(412), httpError(503), networkError('connect ECONNREFUSED 127.0.0.1:1'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock, random: () => 1, baseDelayMs: 100 }).send(target, message);
    expect(outcome).toEqual({ ok: true, activityId: 'msg-5', attempts: 5 });
  });

  it.each([
    ['a 502 from a gateway', httpError(502), 'HTTP_502'],
    ['a 504 from a gateway', httpError(504), 'HTTP_504'],
    ['a 500', httpError(500), 'HTTP_500'],
    ['a connection reset after the request went out', networkError('socket hang up'), 'NO_ANSWER'],
    ['ECONNRESET', networkError('read ECONNRESET'), 'NO_ANSWER'],
  ])('stops at %s and reports the post as in doubt, without retrying', async (_case, error, failureCode) => {
    const clock = virtualClock();
    const transport = scriptedTransport([error, 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode, attempts: 1, posted: 'unknown' });
    expect(transport.calls).toBe(1);
  });

  it('gives up on a post with no answer after the call timeout, as in doubt', async () => {
    const hanging: BotTransport = { send: () => new Promise(() => undefined), update: () => new Promise(() => undefined) };
    const outcome = await new ProactiveSender(hanging, { logger: silentLogger, clock: virtualClock(), callTimeoutMs: 20 }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode: 'NO_ANSWER', attempts: 1, posted: 'unknown' });
  });

  it('asks the caller to claim the message once, just before the first attempt, and sends nothing if the claim fails', async () => {
    const clock = virtualClock();
    const claims: number[] = [];
    const transport = scriptedTransport([httpError(429, '1'), 'ok']);
    const sender = new ProactiveSender(transport, { logger: silentLogger, clock });
    const sent = await sender.send(target, message, { claim: async () => (claims.push(transport.calls), true) });
    expect(sent).toMatchObject({ ok: true, attempts: 2 });
    expect(claims).toEqual([0]);
    const refused = await sender.send(target, message, { claim: async () => false });
    expect(refused).toEqual({ ok: false, failureCode: 'NOT_CLAIMED', attempts: 0, posted: 'no' });
    expect(transport.calls).toBe(2);
  });
});

describe('ProactiveSender triage', () => {
  it('waits exactly the Retry-After a 429 asks for, then delivers once', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(429, '3'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toEqual({ ok: true, activityId: 'msg-2', attempts: 2 });
    expect(clock.sleeps).toContain(3000);
  });

  it('backs off with jitter on 412/502/503/504 when updating a card, and succeeds when the service recovers', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(503), httpError(502), httpError(412), httpError(504), 'ok']);
    const sender = new ProactiveSender(transport, { logger: silentLogger, clock, random: () => 1, baseDelayMs: 100 });
    const outcome = await sender.update(target, 'msg-0', message);
    expect(outcome).toMatchObject({ ok: true, attempts: 5 });
    expect(clock.sleeps.filter((ms) => ms >= 100)).toEqual([100, 200, 400, 800]);
  });

  it('gives up after a bounded number of tries and records a failure code', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport(Array.from({ length: 10 }, () => httpError(503)));
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock, maxAttempts: 4 }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode: 'HTTP_503', attempts: 4, posted: 'no' });
    expect(transport.calls).toBe(4);
  });

  it('never retries a 403: the user blocked or removed the bot (MessageWritesBlocked)', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(403, undefined, 'ConversationBlockedByUser'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode: 'MessageWritesBlocked', attempts: 1, posted: 'no' });
    expect(transport.calls).toBe(1);
  });

  it('does not wait for an absurd Retry-After: records THROTTLED instead', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(429, '3600'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toMatchObject({ ok: false, failureCode: 'THROTTLED' });
  });

  it('a 400 is a bad message, recorded and not retried', () => {
    expect(triage({ status: 400, retryAfterMs: null, errorCode: 'BadArgument' })).toEqual({ kind: 'final', failureCode: 'HTTP_400' });
    expect(triage({ status: null, retryAfterMs: null, errorCode: null })).toMatchObject({ kind: 'retry' });
  });
});

describe('rate limits', () => {
  it('a conversation gets at most 7 sends in any second and 8 in any two seconds', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, clock);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      await limiter.acquire('a:conv-1');
      times.push(clock.t);
    }
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(7);
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 2000).length).toBeLessThanOrEqual(8);
    }
    expect(times[7]).toBeGreaterThanOrEqual(1000);
  });

  it('conversations do not hold each other up', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, clock);
    for (let i = 0; i < 7; i++) await limiter.acquire('a:one');
    await limiter.acquire('a:two');
    expect(clock.t).toBe(0);
  });

  it('60 in any 30 seconds per conversation', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, clock);
    const times: number[] = [];
    for (let i = 0; i < 61; i++) {
      await limiter.acquire('a:busy');
      times.push(clock.t);
    }
    expect(times[60]! - times[0]!).toBeGreaterThanOrEqual(30_000);
  });
});
