/**
 * The Bot Connector stand-in's opt-in rate limits (used by `npm run bench` to measure the
 * ProactiveSender against Teams' throttling): off by default, and when on, a write past a window
 * is answered 429 with Retry-After and is not stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';

let connector: BotConnectorStandIn | undefined;

afterEach(async () => {
  await connector?.close();
  connector = undefined;
});

async function send(conversationId: string): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${connector!.url}/v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'hello' }),
  });
  await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
}

describe('Bot Connector stand-in rate limits', () => {
  it('accepts every write when no limits are given', async () => {
    connector = await startBotConnectorStandIn();
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await send('a:one')).status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(connector.messages.size).toBe(12);
    expect(connector.throttled()).toBe(0);
  });

  it('refuses a write past a conversation window and past the app window, with Retry-After, storing nothing for it', async () => {
    // Minute-long windows, so the outcome does not depend on how fast this machine is.
    connector = await startBotConnectorStandIn({ rateLimits: { perConversation: [{ limit: 2, windowMs: 60_000 }], perApp: [{ limit: 3, windowMs: 60_000 }] } });
    const a = [await send('a:one'), await send('a:one'), await send('a:one')];
    expect(a.map((r) => r.status)).toEqual([201, 201, 429]);
    expect(Number(a[2]!.retryAfter)).toBeGreaterThanOrEqual(59);
    const b = [await send('a:two'), await send('a:two')];
    // The third write of the app fits conversation two, the fourth is over the app's window.
    expect(b.map((r) => r.status)).toEqual([201, 429]);
    expect(connector.messages.size).toBe(3);
    expect(connector.throttled()).toBe(2);
  });
});
