import { londonDate } from '../domain/index.js';
import { roundSummaryDeliveryId } from '../domain/deliveries.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { MessageSender } from './messaging.js';
import { roundProgress } from './theme-reports.js';

/**
 * Keeps the Exec channel's "x of y themes reported" card current: the card the sweep posted
 * (its activity id is in the ledger) is replaced in place. Counts and theme titles only.
 */
export async function refreshRoundSummary(deps: { store: Store; sender: MessageSender; logger: Logger }, roundId: string, now: Date): Promise<'updated' | 'not-posted' | 'failed'> {
  const delivery = await deps.store.deliveries.get(roundSummaryDeliveryId(roundId));
  if (!delivery || delivery.status !== 'sent' || !delivery.activityId || !delivery.conversationId) return 'not-posted';
  const install = await deps.store.installs.get(delivery.conversationId);
  if (!install) return 'not-posted';
  const progress = await roundProgress(deps.store, roundId);
  if (!progress.ok) return 'failed';
  const outcome = await deps.sender.update(
    { conversationId: install.id, reference: install.reference },
    delivery.activityId,
    { view: { kind: 'round-progress', progress: progress.value, today: londonDate(now) }, summary: `${progress.value.reported} of ${progress.value.total} themes reported` },
  );
  deps.logger.log(outcome.ok ? 'info' : 'warn', 'round_summary.update', { deliveryId: delivery.id, ok: outcome.ok, failureCode: outcome.ok ? undefined : outcome.failureCode });
  return outcome.ok ? 'updated' : 'failed';
}
