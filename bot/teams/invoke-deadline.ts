import { actionReminderCard } from '../cards/action-cards.js';
import { noticeCard } from '../cards/common-cards.js';
import type { AdaptiveCardJson } from '../cards/render.js';
import { ACTION_VERBS, CHANNEL_VERBS, DIGEST_VERBS, REPORT_VERBS } from '../cards/verbs.js';
import type { LocalDate } from '../domain/index.js';
import type { Logger } from '../observability/logger.js';
import type { ActionDetailView } from '../services/action-log.js';
import type { MessageSender } from '../services/messaging.js';
import { withWaitBudget } from '../store/wait-budget.js';

/**
 * Teams shows the person an error when a card press (an `adaptiveCard/action` invoke) is not
 * answered within about 5 s. Every press is answered by this deadline, whatever the store does;
 * a press whose work is not done by then is answered with a "saving" card and finishes in the
 * background, and the card is then updated in place.
 */
export const DEFAULT_INVOKE_DEADLINE_MS = 4_000;

export type DeadlineOutcome<T> =
  /** Done in time: answer with its result. */
  | { readonly kind: 'in-time'; readonly value: T }
  /**
   * Not done in time (or the store said it must wait longer than the time left). The work goes on
   * and settles `completion`. `joined`: this press is a re-delivery of one still running (same
   * key), whose first delivery will bring the card up to date; nothing more is to be done here.
   */
  | { readonly kind: 'late'; readonly completion: Promise<T>; readonly joined: boolean };

/**
 * Runs each press's work against the deadline. The work of one press runs once: a re-delivery
 * of a press still running (Teams re-sends a slow turn with the same activity id) waits for the
 * same work instead of starting it again. Once it has finished, a re-delivery runs again and the
 * service recognises the press by its change id and changes nothing.
 */
export class InvokeDeadline {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(readonly deadlineMs: number = DEFAULT_INVOKE_DEADLINE_MS) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<DeadlineOutcome<T>> {
    const started = performance.now();
    let overrun: () => void = () => undefined;
    const storeMustWait = new Promise<'late'>((resolve) => {
      overrun = () => resolve('late');
    });
    let completion = this.running.get(key) as Promise<T> | undefined;
    const joined = completion !== undefined;
    if (!completion) {
      completion = withWaitBudget({ deadline: started + this.deadlineMs, onOverrun: () => overrun() }, work);
      this.running.set(key, completion);
      const forget = () => {
        if (this.running.get(key) === completion) this.running.delete(key);
      };
      completion.then(forget, forget);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, this.deadlineMs - (performance.now() - started)));
    });
    try {
      const first = await Promise.race([completion.then((value) => ({ value })), storeMustWait, timeUp]);
      if (first !== 'late') return { kind: 'in-time', value: first.value };
      return { kind: 'late', completion, joined };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Presses still running (for tests and shutdown). */
  get pending(): number {
    return this.running.size;
  }
}

/** The last views of recently shown records, so a "saving" card can keep the rest of the card. Bounded. */
export class RecentViews<V> {
  private readonly views = new Map<string, V>();

  constructor(private readonly capacity = 1_000) {}

  remember(id: string, view: V): void {
    this.views.delete(id);
    this.views.set(id, view);
    if (this.views.size > this.capacity) this.views.delete(this.views.keys().next().value as string);
  }

  recall(id: string): V | undefined {
    return this.views.get(id);
  }
}

/** What is known of a press answered late, read from the invoke before its turn ends. */
export interface LatePress {
  readonly verb: string | null;
  readonly actionId: string | null;
  /** Personal content (an action's words) may be shown: a personal chat. */
  readonly personal: boolean;
  /** A Universal Actions refresh (someone looking at the card), not a press. */
  readonly refresh: boolean;
  readonly conversationId: string;
  /** The conversation reference (plain JSON) the update is sent through. */
  readonly reference: Readonly<Record<string, unknown>>;
  /** The message holding the pressed card: updated in place once the work is done. */
  readonly cardActivityId: string | null;
  readonly today: LocalDate;
}

export const SAVING_TEXT = 'Saving\u2026 this card will update.';
const LOADING_TEXT = 'Still loading\u2026 this card will update.';
const CHANGING_VERBS: ReadonlySet<string> = new Set([
  ACTION_VERBS.markDone,
  ACTION_VERBS.addUpdate,
  ACTION_VERBS.requestDate,
  DIGEST_VERBS.approveDate,
  DIGEST_VERBS.refuseDate,
  DIGEST_VERBS.close,
  REPORT_VERBS.submit,
  CHANNEL_VERBS.markDone,
  CHANNEL_VERBS.addUpdate,
]);
const ACTION_CARD_VERBS: ReadonlySet<string> = new Set([ACTION_VERBS.markDone, ACTION_VERBS.addUpdate, ACTION_VERBS.requestDate, ACTION_VERBS.show]);

/**
 * The answer to a press not done in time: the card as it was (the action last shown, without its
 * buttons, so it is not pressed again on a version about to change) under a plain "Saving… this
 * card will update"; a short notice card where there is nothing to keep or personal content may
 * not be shown.
 */
export function stillWorkingCard(press: LatePress, recent: RecentViews<ActionDetailView>): AdaptiveCardJson {
  const changing = press.verb !== null && CHANGING_VERBS.has(press.verb);
  const text = changing ? SAVING_TEXT : LOADING_TEXT;
  const view = press.personal && press.actionId && press.verb && ACTION_CARD_VERBS.has(press.verb) ? recent.recall(press.actionId) : undefined;
  if (view) return actionReminderCard(view, { stage: 'opened', readOnly: true, today: press.today, showBack: false, notice: { text, tone: 'accent' } });
  return noticeCard(changing ? 'Saving your change' : 'Getting your card', text, 'accent');
}

/** Whether the late press's card is brought up to date by updating its message (see finishInPlace). */
export function updatesInPlace(press: LatePress): boolean {
  // A refresh is asked for again whenever the card is looked at; the board channel's card is one
  // public card, brought up to date by its own keeper once the change is saved (never replaced by
  // one person's view).
  return !press.refresh && press.verb !== CHANNEL_VERBS.view && press.verb !== CHANNEL_VERBS.markDone && press.verb !== CHANNEL_VERBS.addUpdate;
}

/**
 * Once the late work is done, its card replaces the pressed card in place (updateActivity through
 * the Bot Connector, by the ProactiveSender's retry ladder); with no card id to update, it is posted
 * into the conversation instead. Logs ids and outcomes only.
 */
export function finishInPlace(sender: MessageSender | undefined, logger: Logger, press: LatePress, completion: Promise<AdaptiveCardJson>): Promise<void> {
  const target = { conversationId: press.conversationId, reference: press.reference };
  const message = { summary: 'Your Safer Exec card, brought up to date' };
  return completion
    .then(async (card) => {
      if (!sender) return logger.log('warn', 'bot.invoke_late_not_updated', { conversationId: press.conversationId, reason: 'no-sender' });
      const outcome = press.cardActivityId ? await sender.update(target, press.cardActivityId, { ...message, view: { kind: 'card', card } }) : await sender.send(target, { ...message, view: { kind: 'card', card } });
      logger.log(outcome.ok ? 'info' : 'warn', 'bot.invoke_late_updated', { conversationId: press.conversationId, inPlace: press.cardActivityId !== null, ok: outcome.ok, ...(outcome.ok ? {} : { failureCode: outcome.failureCode }) });
    })
    .catch((error: unknown) => logger.log('warn', 'bot.invoke_late_not_updated', { conversationId: press.conversationId, errorName: (error as Error)?.name ?? 'unknown' }));
}
