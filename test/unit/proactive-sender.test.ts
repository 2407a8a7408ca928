/**
 * The ProactiveSender's triage ladder and rate limits, against a scripted transport and a
 * virtual clock: what a user of the bot would notice is whether a message arrives, once,
 * and how long Teams is made to wait.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/observability/logger.js';
import { ProactiveSender, triage, type BotTransport } from '../../bot/teams/proactive-sender.js';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, type LimiterClock } from '../../bot/teams/rate-limiter.js';

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
const message = { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, summary: 's' };

describe('ProactiveSender triage', () => {
  it('waits exactly the Retry-After a 429 asks for, then delivers once', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(429, '3'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toEqual({ ok: true, activityId: 'msg-2', attempts: 2 });
    expect(clock.sleeps).toContain(3000);
  });

  it('backs off with jitter on 412/502/503/504 and succeeds when the service recovers', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(503), httpError(502), httpError(412), httpError(504), 'ok']);
    const sender = new ProactiveSender(transport, { logger: silentLogger, clock, random: () => 1, baseDelayMs: 100 });
    const outcome = await sender.send(target, message);
    expect(outcome).toMatchObject({ ok: true, attempts: 5 });
    expect(clock.sleeps.filter((ms) => ms >= 100)).toEqual([100, 200, 400, 800]);
  });

  it('gives up after a bounded number of tries and records a failure code', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport(Array.from({ length: 10 }, () => httpError(503)));
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock, maxAttempts: 4 }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode: 'HTTP_503', attempts: 4 });
    expect(transport.calls).toBe(4);
  });

  it('never retries a 403: the user blocked or removed the bot (MessageWritesBlocked)', async () => {
    const clock = virtualClock();
    const transport = scriptedTransport([httpError(403, undefined, 'ConversationBlockedByUser'), 'ok']);
    const outcome = await new ProactiveSender(transport, { logger: silentLogger, clock }).send(target, message);
    expect(outcome).toEqual({ ok: false, failureCode: 'MessageWritesBlocked', attempts: 1 });
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
