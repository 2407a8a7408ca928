import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { BotTransport, OutgoingActivity } from './proactive-sender.js';

/**
 * botbuilder's connector client carries Azure's default retry policy (it retries 429 and
 * 5xx on its own, up to three times, with its own delays). The ProactiveSender owns the
 * retry ladder, so the policy is taken out of the client this turn uses: one call, one try.
 */
function prepare(context: TurnContext, adapter: CloudAdapter): void {
  // The continuation activity gets a made-up id; left in place, every send would become a
  // reply to it (POST .../activities/{id}). Proactive messages are new: POST .../activities.
  (context.activity as { id?: string }).id = undefined;
  const connector = context.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(o: { phase?: string; name?: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/** A stored reference's activityId would turn a new message into a reply to the install event. */
function toReference(reference: Readonly<Record<string, unknown>>): Partial<ConversationReference> {
  const { activityId: _activityId, ...rest } = reference as Partial<ConversationReference>;
  return rest;
}

/**
 * Runs one call in a proactive turn (CloudAdapter.continueConversationAsync), with one try
 * per call. An error thrown inside the turn would go to the adapter's onTurnError (which logs
 * and swallows it); it is carried out instead, so the caller sees the HTTP status.
 */
export async function inProactiveTurn<T>(adapter: CloudAdapter, botAppId: string, reference: Readonly<Record<string, unknown>>, call: (context: TurnContext) => Promise<T>): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await adapter.continueConversationAsync(botAppId, toReference(reference), async (context) => {
    prepare(context, adapter);
    try {
      outcome = { ok: true, value: await call(context) };
    } catch (error) {
      outcome = { ok: false, error };
    }
  });
  if (!outcome) throw new Error('The proactive turn did not run.');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Proactive sends through CloudAdapter.continueConversationAsync, as Teams requires. */
export function cloudAdapterTransport(adapter: CloudAdapter, botAppId: string): BotTransport {
  const inTurn = <T>(reference: Readonly<Record<string, unknown>>, call: (context: TurnContext) => Promise<T>) => inProactiveTurn(adapter, botAppId, reference, call);
  return {
    async send(reference, activity: OutgoingActivity) {
      const response = await inTurn(reference, (context) => context.sendActivity({ ...activity, attachments: [...activity.attachments] }));
      if (!response?.id) throw Object.assign(new Error('The connector accepted the message but returned no id.'), { statusCode: 502 });
      return { id: response.id };
    },
    async update(reference, activityId, activity: OutgoingActivity) {
      await inTurn(reference, (context) => context.updateActivity({ ...activity, attachments: [...activity.attachments], id: activityId }));
    },
  };
}
