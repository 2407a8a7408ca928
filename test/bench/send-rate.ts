import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { silentLogger } from '../../bot/observability/logger.js';
import type { SendOutcome } from '../../bot/services/messaging.js';
import { cloudAdapterTransport } from '../../bot/teams/cloud-transport.js';
import { ProactiveSender } from '../../bot/teams/proactive-sender.js';
import { startBotConnectorStandIn, TEAMS_DOCUMENTED_LIMITS, type ConnectorRateLimits, type ConnectorRateWindow } from '../stand-ins/bot-connector.js';
import { BOT_ACCOUNT, TENANT_ID } from '../stand-ins/bot-connector-activities.js';
import { round } from './bench-stats.js';

/**
 * The earliest the last of these messages could be accepted if every one went out the moment the
 * limits allowed, in this order, with no network time: the yardstick for "fraction of the limit".
 */
export function bestPossibleMs(conversationOf: readonly string[], limits: ConnectorRateLimits): number {
  const fits = (stamps: readonly number[], windows: readonly ConnectorRateWindow[], t: number) => {
    let wait = 0;
    for (const w of windows) {
      const inWindow = stamps.filter((s) => s > t - w.windowMs);
      if (inWindow.length >= w.limit) wait = Math.max(wait, inWindow[inWindow.length - w.limit]! + w.windowMs - t);
    }
    return wait;
  };
  const perConversation = new Map<string, number[]>();
  const app: number[] = [];
  let t = 0;
  for (const id of conversationOf) {
    const stamps = perConversation.get(id) ?? [];
    perConversation.set(id, stamps);
    for (;;) {
      const wait = Math.max(fits(stamps, limits.perConversation, t), fits(app, limits.perApp, t));
      if (wait <= 0) break;
      t += wait;
    }
    stamps.push(t);
    app.push(t);
  }
  return t;
}

function reference(conversationId: string, serviceUrl: string): Record<string, unknown> {
  return {
    user: { id: '29:bench-recipient' },
    bot: BOT_ACCOUNT,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelId: 'msteams',
    serviceUrl,
  };
}

const CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Reminder about one of your Safer Exec actions', wrap: true }] };

async function scenario(name: string, messages: number, conversations: number) {
  const connector = await startBotConnectorStandIn({ rateLimits: TEAMS_DOCUMENTED_LIMITS });
  try {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' }));
    const sender = new ProactiveSender(cloudAdapterTransport(adapter, ''), { logger: silentLogger });
    const conversationOf = Array.from({ length: messages }, (_, i) => `a:bench-rate-${String(i % conversations).padStart(4, '0')}`);
    const sendId = (i: number) => `${name}-send-${String(i).padStart(5, '0')}`;
    const started = Date.now();
    // Everything is handed to the sender at once, as a burst would be; its limiter queues them.
    const outcomes: SendOutcome[] = await Promise.all(
      conversationOf.map((conversationId, i) => sender.send({ conversationId, reference: reference(conversationId, connector.serviceUrl) }, { view: { kind: 'card', card: CARD }, summary: sendId(i) })),
    );
    const accepted = connector.received.filter((c) => c.method === 'POST' && c.status === 201);
    const tookMs = Math.max(...accepted.map((c) => c.at)) - started;
    const perSendId = new Map<string, number>();
    for (const m of connector.messages.values()) perSendId.set(m.activity.summary, (perSendId.get(m.activity.summary) ?? 0) + 1);
    let lost = 0;
    let doubled = 0;
    for (let i = 0; i < messages; i++) {
      const n = perSendId.get(sendId(i)) ?? 0;
      if (n === 0) lost++;
      if (n > 1) doubled++;
    }
    const bestMs = bestPossibleMs(conversationOf, TEAMS_DOCUMENTED_LIMITS);
    return {
      scenario: `${messages} messages to ${conversations} conversation${conversations === 1 ? '' : 's'}`,
      'took s': round(tookMs / 1000, 1),
      'msgs/s': round(messages / (tookMs / 1000), 1),
      'limit allows s': round(bestMs / 1000, 1),
      'limit msgs/s': round(messages / (bestMs / 1000), 1),
      '% of limit': round((bestMs / tookMs) * 100, 0),
      '429s received': connector.throttled(),
      retries: outcomes.reduce((sum, o) => sum + o.attempts - 1, 0),
      'most tries': Math.max(...outcomes.map((o) => o.attempts)),
      'sender failures': outcomes.filter((o) => !o.ok).length,
      lost,
      doubled,
    };
  } finally {
    await connector.close();
  }
}

/**
 * Proactive sending through the real ProactiveSender and CloudAdapter transport into the Bot
 * Connector stand-in with Teams' documented limits enforced (429 + Retry-After past them): how
 * close the sender runs to the limits, how often it still trips them, and that every message
 * arrives exactly once (each carries a send id, counted at the stand-in).
 */
export async function benchSendRate(options: { readonly oneConversation?: number; readonly manyConversations?: { messages: number; conversations: number } } = {}): Promise<Record<string, string | number>[]> {
  const one = options.oneConversation ?? 300;
  const many = options.manyConversations ?? { messages: 1_000, conversations: 200 };
  return [await scenario('one', one, 1), await scenario('many', many.messages, many.conversations)];
}
