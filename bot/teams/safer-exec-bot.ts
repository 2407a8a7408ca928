import { createHash, randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from 'botbuilder';
import { londonDate, type ConversationInstall, type Delivery, type InstallScope, type ThemeReportContent } from '../domain/index.js';
import { welcomeDeliveryId } from '../domain/deliveries.js';
import { actionReminderCard, closingSentence, myActionsCard } from '../cards/action-cards.js';
import { channelDueCard, channelDueRetiredCard } from '../cards/channel-cards.js';
import { helpCard, noticeCard, WELCOME_SUMMARY, welcomeCard } from '../cards/common-cards.js';
import { digestCard } from '../cards/digest-cards.js';
import type { CardNotice } from '../cards/format.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment, type AdaptiveCardJson } from '../cards/render.js';
import { reportPromptCard } from '../cards/report-cards.js';
import { ACTION_VERBS, CHANNEL_VERBS, DIGEST_VERBS, REPORT_VERBS, isCardVerb, isChannelVerb } from '../cards/verbs.js';
import { weekOf } from '../domain/deliveries.js';
import type { Logger } from '../observability/logger.js';
import { getActionDetail, listActionLog, type ActionDetailView } from '../services/action-log.js';
import { applyActionCardCommand, mayShowPersonalContent, viewerIn, type ActionCardCommand } from '../services/card-actions.js';
import { channelDueCardIn, ownActionIds, readChannelDue } from '../services/channel-due.js';
import type { Clock } from '../services/clock.js';
import { buildDigest } from '../services/digest.js';
import { loadDirectory, type Directory } from '../services/directory.js';
import { contextIn, loadRequestContext, type RequestContext } from '../services/request-context.js';
import { forgetInstall, linkTeamsUser, personalInstallFor, recordInstall, setRemovedApp } from '../services/installs.js';
import type { MessageSender } from '../services/messaging.js';
import { reportCardView, reportForLead, submitReport } from '../services/theme-reports.js';
import { isStoreError, type RecordSetKey, type Store, type Versioned } from '../store/store.js';
import { parseCardPayload, type CardPayload } from './card-payloads.js';
import { finishInPlace, InvokeDeadline, RecentViews, stillWorkingCard, updatesInPlace, type LatePress } from './invoke-deadline.js';
import { readWireFailure, triageSend } from './proactive-sender.js';

export interface SaferExecBotDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called (not awaited) after a report is saved, to refresh the Exec channel's count in place. */
  readonly afterReportSaved?: (roundId: string) => Promise<unknown>;
  /** Called (not awaited) after a card press changed an action, to update the board channel's weekly card in place. */
  readonly afterActionChanged?: () => Promise<unknown>;
  /**
   * Posts into the asker's personal chat what they asked for somewhere shared (a group chat, a
   * channel). Without it they are told to ask in their personal chat.
   */
  readonly sender?: MessageSender;
  /** Answers every card press within its deadline (4 s unless configured); built here when not given. */
  readonly invokeDeadline?: InvokeDeadline;
}

export type Command = 'help' | 'my actions' | 'report' | 'other';

/** The command word the person typed, without the bot's @mention; only known commands are named in logs. */
export function commandOf(text: string | undefined): Command {
  const clean = (text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (clean === 'help' || clean === 'my actions' || clean === 'report') return clean;
  return 'other';
}

function scopeOf(conversationType: string | undefined): InstallScope | null {
  if (conversationType === 'personal') return 'personal';
  if (conversationType === 'groupChat') return 'groupChat';
  if (conversationType === 'channel') return 'team';
  return null;
}

const RAGS = new Set(['red', 'amber', 'green']);

/** Said above the help card when a message was not a command: nothing of the message is repeated. */
const NOT_UNDERSTOOD: CardNotice = { text: 'Sorry, I did not understand that message. These are the commands I know:', tone: 'attention' };

/**
 * How long a press in a shared conversation waits for its answer to reach the personal chat
 * before saying it is on its way: well inside Teams' 5 s budget for an invoke.
 */
const PERSONAL_DELIVERY_WAIT_MS = 2_500;

type PersonalDelivery = 'sent' | 'on-its-way' | 'not-sent' | 'no-personal-chat';

/**
 * What a request from a shared conversation becomes in the asker's personal chat: the same
 * card without its change (a press there changes nothing), or nothing (the digest is the chair's
 * and secretariat's, and comes to their personal chat each week).
 */
function readOnlyCounterpart(payload: CardPayload): { readonly payload: CardPayload; readonly summary: string } | null {
  switch (payload.verb) {
    case ACTION_VERBS.list:
      return { payload, summary: 'Your actions' };
    case ACTION_VERBS.show:
    case ACTION_VERBS.markDone:
    case ACTION_VERBS.addUpdate:
    case ACTION_VERBS.requestDate:
      return { payload: { verb: ACTION_VERBS.show, actionId: payload.actionId }, summary: 'Your action' };
    case REPORT_VERBS.open:
    case REPORT_VERBS.submit:
      return { payload: { verb: REPORT_VERBS.open }, summary: 'Your theme report' };
    case DIGEST_VERBS.approveDate:
    case DIGEST_VERBS.refuseDate:
    case DIGEST_VERBS.close:
    // The channel card's own verbs never reach here: they are answered in the channel, with public content.
    case CHANNEL_VERBS.view:
    case CHANNEL_VERBS.markDone:
    case CHANNEL_VERBS.addUpdate:
      return null;
  }
}

const READ_ONLY_VERBS: ReadonlySet<string> = new Set([ACTION_VERBS.list, ACTION_VERBS.show, REPORT_VERBS.open]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A card refresh (Universal Actions' `refresh`) is sent by Teams whenever someone views the card, not by a press. */
const isCardRefresh = (context: TurnContext): boolean => isRecord(context.activity.value) && context.activity.value['trigger'] === 'automatic';

/** An install as recorded by this turn, and whether this turn made it (no record was there before). */
interface RememberedInstall {
  readonly install: Versioned<ConversationInstall>;
  readonly isNew: boolean;
}

/** A refused invoke, in the error shape Teams reads from an invoke response. */
function invokeError(code: string, message: string): InvokeResponse {
  return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

/** Routing only: work out who and what, call a service, render a card. No rules live here. */
/**
 * The record sets a card turn reads beyond the directory (a hint to the store: Store.willRead): the
 * installs (the presser's personal conversation is remembered), then what the verb works on.
 */
function readsOf(verb: string): RecordSetKey[] {
  return (Object.values(REPORT_VERBS) as string[]).includes(verb) ? ['installs', 'reportRounds', 'themeReports'] : ['installs', 'actions'];
}

export class SaferExecBot extends TeamsActivityHandler {
  private readonly deadline: InvokeDeadline;
  /** Actions last shown on a card, for the "saving" card of a press answered late. */
  private readonly recentActions = new RecentViews<ActionDetailView>();

  constructor(private readonly deps: SaferExecBotDependencies) {
    super();
    this.deadline = deps.invokeDeadline ?? new InvokeDeadline();
    this.onInstallationUpdate(async (context, next) => {
      const action = String((context.activity as { action?: string }).action ?? '');
      if (action.startsWith('remove')) await this.forget(context);
      else await this.welcomeIfNew(context, await this.remember(context));
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersRemoved?.some((m) => m.id === botId)) await this.forget(context);
      else if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.welcomeIfNew(context, await this.remember(context));
      await next();
    });
    this.onMessage(async (context, next) => {
      const value = context.activity.value;
      if (value && typeof value === 'object' && !Array.isArray(value)) await this.onCardSubmit(context, value);
      else await this.handleCommand(context);
      await next();
    });
  }

  /**
   * Card buttons are the only invoke this bot answers. botbuilder answers any other name with
   * a 501, and a card invoke without `value.action` with a TypeError inside the turn (a 501
   * too): both are the caller's mistake, so they get a 400 in the Teams invoke error shape.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      return invokeError('NotSupported', 'Safer Exec answers card buttons (adaptiveCard/action) only.');
    }
    const value: unknown = context.activity.value;
    const action = isRecord(value) ? value['action'] : undefined;
    if (!isRecord(action) || action['type'] !== 'Action.Execute') {
      return invokeError('BadRequest', 'The card button sent no Action.Execute: expected value.action with its type, verb and data.');
    }
    return super.onInvokeActivity(context);
  }

  /** Action.Execute: answer with the refreshed card, inside Teams' invoke budget. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action as { verb?: string; data?: Record<string, unknown> };
    // The press's work may outlive this turn (answered at the deadline), so it gets a context of
    // its own: botbuilder revokes the turn's context when the turn ends.
    const detached = new TurnContext(context);
    const outcome = await this.deadline.run(this.changeIdOf(context), () => this.handleCard(detached, { ...(action.data ?? {}), verb: action.verb }));
    const card = outcome.kind === 'in-time' ? outcome.value : this.answerLate(context, action, outcome.completion, outcome.joined);
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> } satisfies AdaptiveCardInvokeResponse;
  }

  /** A press not done by the deadline: answered now with the card saying so; the card is updated in place when it is done. */
  private answerLate(context: TurnContext, action: { verb?: string; data?: Record<string, unknown> }, completion: Promise<AdaptiveCardJson>, joined: boolean): AdaptiveCardJson {
    const activity = context.activity;
    const { activityId: _ignored, ...reference } = TurnContext.getConversationReference(activity);
    const actionId = action.data?.['actionId'];
    const press: LatePress = {
      verb: typeof action.verb === 'string' ? action.verb : null,
      actionId: typeof actionId === 'string' ? actionId : null,
      personal: mayShowPersonalContent(scopeOf(activity.conversation?.conversationType)),
      refresh: isCardRefresh(context),
      conversationId: activity.conversation?.id ?? '',
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      cardActivityId: activity.replyToId ?? null,
      today: londonDate(this.deps.clock.now()),
    };
    this.deps.logger.log('warn', 'bot.invoke_late', { verbKnown: press.verb !== null && isCardVerb(press.verb), conversationId: press.conversationId, joined, deadlineMs: this.deadline.deadlineMs });
    if (!joined && updatesInPlace(press)) void finishInPlace(this.deps.sender, this.deps.logger, press, completion);
    return stillWorkingCard(press, this.recentActions);
  }

  /** The Action.Submit fallback arrives as a message: handled the same way, and the card it came from is replaced. */
  private async onCardSubmit(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    if (isChannelVerb(value['verb']) && (await this.channelSubmit(context, value))) return;
    const card = await this.handleCard(context, value);
    const replyToId = context.activity.replyToId;
    if (replyToId) {
      try {
        await context.updateActivity({ id: replyToId, type: 'message', attachments: [cardAttachment(card)] });
        return;
      } catch {
        this.deps.logger.log('warn', 'bot.submit_update_failed', { conversationId: context.activity.conversation?.id });
      }
    }
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(card)] });
  }

  /** A typed command is the help card's button by another route: "my actions" and "report" are answered as those presses. */
  private async handleCommand(context: TurnContext): Promise<void> {
    const command = commandOf(context.activity.text);
    const scope = scopeOf(context.activity.conversation?.conversationType);
    this.deps.logger.log('info', 'bot.command', { command, scope: scope ?? 'unknown' });
    const card =
      command === 'help'
        ? helpCard()
        : command === 'other'
          ? helpCard(NOT_UNDERSTOOD)
          : await this.handleCard(context, { verb: command === 'my actions' ? ACTION_VERBS.list : REPORT_VERBS.open });
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(card)] });
  }

  /** Every request for personal content comes through here, however it arrived, and meets the one rule. */
  private async handleCard(context: TurnContext, raw: Record<string, unknown>): Promise<AdaptiveCardJson> {
    const reference = randomUUID();
    try {
      const payload = parseCardPayload(raw);
      if (!payload) {
        this.deps.logger.log('warn', 'bot.card_invalid', { verbKnown: typeof raw['verb'] === 'string' && isCardVerb(raw['verb']) });
        return noticeCard('This card is out of date', 'The button sent something I do not understand. Type "my actions" or "report" for a fresh card.', 'attention');
      }
      // The board channel's weekly card: public by design (titles and initials), and each owner's
      // buttons come in the answer to their own client's invoke, which nobody else sees.
      if (payload.verb === CHANNEL_VERBS.view || payload.verb === CHANNEL_VERBS.markDone || payload.verb === CHANNEL_VERBS.addUpdate) return await this.channelDue(context, payload);
      // On SharePoint the lists the verb reads are checked for changes in the same round trip as the directory's.
      this.deps.store.willRead?.(readsOf(payload.verb));
      // The turn's directory, read once: who is pressing is found in it, and their context built from it.
      const directory = await loadDirectory(this.deps.store);
      const memberId = await this.identify(context, directory);
      if (!memberId) return this.unknownMemberCard();
      const scope = scopeOf(context.activity.conversation?.conversationType);
      if (!mayShowPersonalContent(scope)) return await this.answerInSharedConversation(context, memberId, payload, directory);
      const card = await this.route(context, memberId, payload, directory);
      this.deps.logger.log('info', 'bot.card_action', { verb: payload.verb, conversationId: context.activity.conversation?.id });
      return card;
    } catch (error) {
      this.deps.logger.log('error', 'bot.card_error', { reference, errorName: (error as Error)?.name ?? 'unknown' });
      return noticeCard('Something went wrong', 'Your change may not have been saved. Try again in a moment; if it keeps failing, tell the secretariat and quote the reference below.', 'attention', reference);
    }
  }

  private async route(context: TurnContext, memberId: string, payload: CardPayload, directory: Directory): Promise<AdaptiveCardJson> {
    const now = this.deps.clock.now();
    // The turn's request context (the member, their roles, the directory, now): from the directory the turn read.
    let loaded: RequestContext | undefined;
    const request = async () => (loaded ??= contextIn(directory, memberId, now));
    switch (payload.verb) {
      case ACTION_VERBS.list:
        return this.myActions(await request());
      case ACTION_VERBS.show:
        return this.actionCard(await request(), payload.actionId, true);
      case ACTION_VERBS.markDone:
      case ACTION_VERBS.addUpdate:
      case ACTION_VERBS.requestDate: {
        const command: ActionCardCommand =
          payload.verb === ACTION_VERBS.markDone
            ? { kind: 'mark-done', actionId: payload.actionId, version: payload.version }
            : payload.verb === ACTION_VERBS.addUpdate
              ? { kind: 'add-update', actionId: payload.actionId, version: payload.version, note: payload.note }
              : { kind: 'request-date', actionId: payload.actionId, version: payload.version, proposedDate: payload.proposedDate.slice(0, 10), reason: payload.reason };
        if (command.kind === 'request-date' && !command.proposedDate) {
          return this.actionCard(await request(), payload.actionId, false, { text: 'Choose the new date you are asking for, then send it again.', tone: 'attention' });
        }
        const result = await applyActionCardCommand(this.deps.store, await request(), command, this.changeIdOf(context));
        if (!result.ok) return this.actionCard(await request(), payload.actionId, false, { text: `Not saved: ${result.error.message}`, tone: 'attention' });
        this.actionChanged();
        // Worded for whoever pressed: the chair is not told that the chair will close it.
        const viewer = viewerIn(await request());
        const done: Record<ActionCardCommand['kind'], string> = {
          'mark-done': `Marked done: it is now proposed complete. ${closingSentence(viewer)}`,
          'add-update': 'Update saved. Thank you: no more reminders for this due date.',
          'request-date': 'Sent to the chair, who decides on the new date. The current date stands until then.',
          'decide-date': '',
          close: '',
        };
        // The change returned the action as saved: render that, instead of reading the action and the
        // directory again (on SharePoint that was 14 more Graph requests per press). Only an owner,
        // the chair or the secretariat can have made the change, so they may act on the card.
        this.recentActions.remember(result.value.id, result.value);
        return actionReminderCard(result.value, { stage: 'opened', today: londonDate(now), showBack: true, viewer, notice: { text: done[command.kind], tone: 'good' } });
      }
      case DIGEST_VERBS.approveDate:
      case DIGEST_VERBS.refuseDate:
      case DIGEST_VERBS.close: {
        const command: ActionCardCommand =
          payload.verb === DIGEST_VERBS.close
            ? { kind: 'close', actionId: payload.actionId, version: payload.version }
            : { kind: 'decide-date', actionId: payload.actionId, version: payload.version, approve: payload.verb === DIGEST_VERBS.approveDate };
        const result = await applyActionCardCommand(this.deps.store, await request(), command, this.changeIdOf(context));
        if (result.ok) this.actionChanged();
        const notice: CardNotice = result.ok
          ? { text: command.kind === 'close' ? `Action ${result.value.minuteRef} closed.` : `New date ${payload.verb === DIGEST_VERBS.approveDate ? 'approved' : 'refused'} for action ${result.value.minuteRef}.`, tone: 'good' }
          : { text: `Not done: ${result.error.message}`, tone: 'attention' };
        return digestCard(await buildDigest(this.deps.store, await request()), notice);
      }
      case CHANNEL_VERBS.view:
      case CHANNEL_VERBS.markDone:
      case CHANNEL_VERBS.addUpdate:
        return this.channelDue(context, payload);
      case REPORT_VERBS.open:
        return this.myReport(await request());
      case REPORT_VERBS.submit: {
        const draft = { progress: payload.progress, asks: payload.asks, risks: payload.risks, data: payload.data, rag: payload.rag };
        if (!RAGS.has(payload.rag)) {
          const view = await reportCardView(this.deps.store, payload.reportId, await request());
          return view.ok ? reportPromptCard(view.value, 'opened', { text: 'Not saved: choose a RAG rating (red, amber or green).', tone: 'attention' }, draft) : this.errorCard(view.error.message);
        }
        const content: ThemeReportContent = { progress: payload.progress, asks: payload.asks, risks: payload.risks, data: payload.data, rag: payload.rag as ThemeReportContent['rag'] };
        const result = await submitReport(this.deps.store, await request(), payload.reportId, content);
        if (!result.ok) {
          const view = await reportCardView(this.deps.store, payload.reportId, await request());
          return view.ok ? reportPromptCard(view.value, 'opened', { text: `Not saved: ${result.error.message}`, tone: 'attention' }, draft) : this.errorCard(result.error.message);
        }
        const { view, changed } = result.value;
        if (changed && this.deps.afterReportSaved) {
          // Long work is finished after the invoke is answered: the channel card is updated proactively.
          void this.deps.afterReportSaved(view.roundId).catch((error: unknown) =>
            this.deps.logger.log('warn', 'bot.round_summary_failed', { roundId: view.roundId, errorName: (error as Error)?.name ?? 'unknown' }),
          );
        }
        return reportPromptCard(view, 'opened', {
          text: changed ? `Saved as version ${view.versionCount}. You can change it until the deadline; earlier versions are kept.` : 'No changes to save: this is the version the Exec will see.',
          tone: 'good',
        });
      }
    }
  }

  /**
   * A request for personal content made where others can see the answer. Nothing is changed
   * from here; what was asked for goes to the asker's personal chat when the bot has one, and
   * the shared conversation gets the help card with a notice that holds nothing personal. A card
   * refresh sends nothing: it comes each time anyone looks at the card, unasked.
   */
  private async answerInSharedConversation(context: TurnContext, memberId: string, payload: CardPayload, directory: Directory): Promise<AdaptiveCardJson> {
    const counterpart = isCardRefresh(context) ? null : readOnlyCounterpart(payload);
    const delivery: PersonalDelivery | null = counterpart
      ? await this.sendToPersonalChat(memberId, await this.route(context, memberId, counterpart.payload, directory), counterpart.summary)
      : null;
    this.deps.logger.log('info', 'bot.shared_conversation_request', { verb: payload.verb, conversationId: context.activity.conversation?.id, delivery: delivery ?? 'none' });
    const unchanged = READ_ONLY_VERBS.has(payload.verb) ? '' : 'Nothing was changed from here. ';
    const why = 'Actions and reports are only shown in a personal chat with Safer Exec, never in a group chat or channel.';
    const text: Record<PersonalDelivery | 'none', string> = {
      sent: `${unchanged}${why} I have sent it to your personal chat with Safer Exec.`,
      'on-its-way': `${unchanged}${why} It is on its way to your personal chat with Safer Exec.`,
      'not-sent': `${unchanged}${why} I could not reach your personal chat just now: open a personal chat with Safer Exec and type "my actions" or "report" there.`,
      'no-personal-chat': `${unchanged}${why} Open a personal chat with Safer Exec (select its name, or find it under Apps) and type "my actions" or "report" there.`,
      none: `${unchanged}${why} Type "my actions" or "report" in your personal chat with Safer Exec, or use the buttons on the cards it sends you there.`,
    };
    return helpCard({ text: text[delivery ?? 'none'], tone: delivery === 'sent' || delivery === 'on-its-way' ? 'good' : 'accent' });
  }

  /**
   * The board channel's weekly "due and overdue" card: its refresh (each viewer's client asks for
   * its own view) and the owners' buttons. Answered only in the conversation the week's card was
   * posted into. Each person gets the card with buttons on their own actions only, and a press
   * changes only what the domain lets that person change (changeAction applies mayChange). The
   * answer to an invoke goes to the client that sent it, so nobody sees another person's view.
   */
  private async channelDue(context: TurnContext, payload: Extract<CardPayload, { verb: (typeof CHANNEL_VERBS)[keyof typeof CHANNEL_VERBS] }>): Promise<AdaptiveCardJson> {
    const now = this.deps.clock.now();
    const where = await channelDueCardIn(this.deps.store, context.activity.conversation?.id ?? '', payload.week, now);
    this.deps.logger.log('info', 'bot.channel_due', { verb: payload.verb, where, conversationId: context.activity.conversation?.id });
    if (where === 'not-here') {
      return helpCard({ text: 'That button belongs to the weekly card of actions due and overdue in the board\u2019s channel, and works only there. Nothing was changed.', tone: 'accent' });
    }
    if (where === 'past') return channelDueRetiredCard(payload.week, weekOf(londonDate(now)));
    const memberId = await this.identifyQuietlyById(context);
    let notice: CardNotice | undefined;
    // A press reads the presser's context (the directory with it); the card is then drawn from the same read.
    let request: RequestContext | undefined;
    if (payload.verb !== CHANNEL_VERBS.view) {
      if (memberId) request = await loadRequestContext(this.deps.store, memberId, now);
      notice = request ? await this.channelPress(context, request, payload) : { text: 'I do not know you yet, so nothing was changed: ask the business-support officer to link your Teams account.', tone: 'attention' };
    }
    const state = await readChannelDue(this.deps.store, now, request?.directory);
    const viewerTeamsUserId = context.activity.from?.id;
    return channelDueCard(state.view, { ownActionIds: memberId ? ownActionIds(state, memberId, now) : new Set(), ...(notice ? { notice } : {}), ...(viewerTeamsUserId ? { viewerTeamsUserId } : {}) });
  }

  /** A press of Mark done or Save update on the channel card: the change, and what to tell the presser (only them). */
  private async channelPress(context: TurnContext, request: RequestContext, payload: Extract<CardPayload, { verb: typeof CHANNEL_VERBS.markDone | typeof CHANNEL_VERBS.addUpdate }>): Promise<CardNotice> {
    const command: ActionCardCommand =
      payload.verb === CHANNEL_VERBS.markDone
        ? { kind: 'mark-done', actionId: payload.actionId, version: payload.version }
        : { kind: 'add-update', actionId: payload.actionId, version: payload.version, note: payload.note };
    const result = await applyActionCardCommand(this.deps.store, request, command, this.changeIdOf(context));
    if (!result.ok) return { text: `Not saved: ${result.error.message}`, tone: 'attention' };
    this.actionChanged();
    if (command.kind === 'add-update') return { text: `Update saved on action ${result.value.minuteRef}. It is in the action log, not shown here.`, tone: 'good' };
    return { text: `Marked done: action ${result.value.minuteRef} is now proposed complete. ${closingSentence(viewerIn(request))}`, tone: 'good' };
  }

  /**
   * The Action.Submit fallback of the channel card's buttons (a client without Universal Actions).
   * Its answer would replace the card for everyone in the channel, so no personal view is written
   * back: the change is made and the public card is brought up to date. False: not this card's
   * press (answered as any other card's).
   */
  private async channelSubmit(context: TurnContext, value: Record<string, unknown>): Promise<boolean> {
    const payload = parseCardPayload(value);
    if (!payload || (payload.verb !== CHANNEL_VERBS.view && payload.verb !== CHANNEL_VERBS.markDone && payload.verb !== CHANNEL_VERBS.addUpdate)) return false;
    const now = this.deps.clock.now();
    const where = await channelDueCardIn(this.deps.store, context.activity.conversation?.id ?? '', payload.week, now);
    if (where === 'not-here') return false;
    if (where === 'current' && payload.verb !== CHANNEL_VERBS.view) {
      const memberId = await this.identifyQuietlyById(context);
      const notice = memberId ? await this.channelPress(context, await loadRequestContext(this.deps.store, memberId, now), payload) : null;
      this.deps.logger.log('info', 'bot.channel_due_submit', { verb: payload.verb, saved: notice?.tone === 'good' });
    }
    return true;
  }

  /** After a press changed an action: the board channel's weekly card is brought up to date, after the answer. */
  private actionChanged(): void {
    const refresh = this.deps.afterActionChanged;
    if (!refresh) return;
    void refresh().catch((error: unknown) => this.deps.logger.log('warn', 'bot.channel_due_refresh_failed', { errorName: (error as Error)?.name ?? 'unknown' }));
  }

  /** The member behind a channel card's refresh or press, by Teams id or Entra object id only: no call to Teams on every view. */
  private async identifyQuietlyById(context: TurnContext): Promise<string | null> {
    const from = context.activity.from;
    if (!from?.id) return null;
    return linkTeamsUser(this.deps.store, { teamsUserId: from.id, aadObjectId: from.aadObjectId ?? null, email: null });
  }

  /** Posts a card into the member's personal chat, if the bot has one with them; waits a little for the outcome. */
  private async sendToPersonalChat(memberId: string, card: AdaptiveCardJson, summary: string): Promise<PersonalDelivery> {
    const sender = this.deps.sender;
    if (!sender) return 'no-personal-chat';
    const install = await personalInstallFor(this.deps.store, memberId);
    if (!install) return 'no-personal-chat';
    const sending = sender
      .send({ conversationId: install.id, reference: install.reference }, { view: { kind: 'card', card }, summary })
      .then((outcome): PersonalDelivery => {
        if (!outcome.ok) this.deps.logger.log('warn', 'bot.personal_delivery_failed', { conversationId: install.id, failureCode: outcome.failureCode });
        return outcome.ok ? 'sent' : 'not-sent';
      })
      .catch((error: unknown): PersonalDelivery => {
        this.deps.logger.log('warn', 'bot.personal_delivery_failed', { conversationId: install.id, errorName: (error as Error)?.name ?? 'unknown' });
        return 'not-sent';
      });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<PersonalDelivery>((resolve) => {
      timer = setTimeout(() => resolve('on-its-way'), PERSONAL_DELIVERY_WAIT_MS);
    });
    try {
      return await Promise.race([sending, waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async myActions(request: RequestContext): Promise<AdaptiveCardJson> {
    const page = await listActionLog(this.deps.store, { ownerMemberId: request.memberId, statuses: ['open', 'in-progress', 'proposed-complete'], sort: 'due', limit: 100 }, request);
    return myActionsCard(page.items, request.today, viewerIn(request));
  }

  private async myReport(request: RequestContext): Promise<AdaptiveCardJson> {
    const result = await reportForLead(this.deps.store, request);
    return result.ok ? reportPromptCard(result.value, 'opened') : noticeCard('No report to write', result.error.message, 'accent');
  }

  /** The action as this member sees it: what they may do with it is in the view (its `allowed`), not worked out here. */
  private async actionCard(request: RequestContext, actionId: string, showBack: boolean, notice?: CardNotice): Promise<AdaptiveCardJson> {
    const detail = await getActionDetail(this.deps.store, actionId, request);
    if (!detail.ok) return this.errorCard(detail.error.message);
    this.recentActions.remember(detail.value.id, detail.value);
    return actionReminderCard(detail.value, { stage: 'opened', today: request.today, showBack: true, viewer: viewerIn(request), ...(notice ? { notice } : {}) });
  }

  private errorCard(message: string): AdaptiveCardJson {
    return noticeCard('That did not work', message, 'attention');
  }

  private unknownMemberCard(): AdaptiveCardJson {
    return noticeCard(
      'I do not know you yet',
      'Your Teams account is not linked to a member of the Safer Plymouth partnership. Ask the business-support officer to add you (with your work email), then try again.',
      'attention',
    );
  }

  /** Names a card press for idempotency: Teams re-sends a slow turn with the same activity id. */
  private changeIdOf(context: TurnContext): string {
    const activityId = context.activity.id;
    if (!activityId) return `card-${randomUUID()}`;
    return `card-${createHash('sha256').update(`${context.activity.conversation?.id ?? ''}\n${activityId}`).digest('hex').slice(0, 32)}`;
  }

  /** The member behind this turn: Teams id, else Entra object id, else email/UPN from Teams. */
  private async identify(context: TurnContext, directory: Directory): Promise<string | null> {
    const from = context.activity.from;
    if (!from?.id) return null;
    let memberId = await linkTeamsUser(this.deps.store, { teamsUserId: from.id, aadObjectId: from.aadObjectId ?? null, email: null }, directory);
    if (!memberId) {
      const email = await this.emailOf(context, from.id);
      if (email) memberId = await linkTeamsUser(this.deps.store, { teamsUserId: from.id, aadObjectId: from.aadObjectId ?? null, email }, directory);
    }
    if (memberId && context.activity.conversation?.conversationType === 'personal') await this.remember(context, memberId);
    return memberId;
  }

  private async emailOf(context: TurnContext, teamsUserId: string): Promise<string | null> {
    try {
      const member = await TeamsInfo.getMember(context, teamsUserId);
      return member.email ?? member.userPrincipalName ?? null;
    } catch {
      return null;
    }
  }

  /** Records (or refreshes) where the bot can post. A personal chat is linked to its member. */
  private async remember(context: TurnContext, knownMemberId?: string): Promise<RememberedInstall> {
    const activity = context.activity;
    const scope = scopeOf(activity.conversation?.conversationType) ?? (activity.conversation?.isGroup ? 'groupChat' : 'personal');
    const { activityId: _ignored, ...reference } = TurnContext.getConversationReference(activity);
    const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } };
    const memberId = scope === 'personal' ? (knownMemberId ?? (await this.identifyQuietly(context))) : null;
    const existing = await this.deps.store.installs.get(activity.conversation.id);
    if (knownMemberId && existing && existing.memberId === knownMemberId && existing.serviceUrl === activity.serviceUrl) return { install: existing, isNew: false };
    const install = await recordInstall(
      this.deps.store,
      {
        conversationId: activity.conversation.id,
        scope,
        tenantId: channelData.tenant?.id ?? activity.conversation.tenantId ?? null,
        serviceUrl: activity.serviceUrl,
        teamId: channelData.team?.id ?? null,
        channelId: channelData.channel?.id ?? null,
        reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
        memberId,
        teamsUserId: scope === 'personal' ? (activity.from?.id ?? null) : null,
      },
      this.deps.clock.now(),
    );
    // Adding the app again is how someone who removed it asks for their reminders back.
    if (memberId && existing === undefined) await setRemovedApp(this.deps.store, memberId, null);
    this.deps.logger.log('info', 'bot.installed', { conversationId: activity.conversation.id, scope, linked: memberId !== null });
    return { install, isNew: existing === undefined };
  }

  /**
   * A new personal install gets a short welcome: what the bot will send and how to stop it. Once
   * per install: Teams sends both conversationUpdate and installationUpdate, and re-sends them
   * (the Agents Playground on every page load); only the event that found no install record
   * welcomes, and the welcome's ledger line (keyed by the conversation and the install's time)
   * is created before it is sent, so two events at once still welcome once.
   */
  private async welcomeIfNew(context: TurnContext, remembered: RememberedInstall): Promise<void> {
    const { install, isNew } = remembered;
    if (!isNew || install.scope !== 'personal') return;
    const at = this.deps.clock.now().toISOString();
    const line: Delivery = {
      id: welcomeDeliveryId(install.id, install.installedAt),
      kind: 'welcome',
      subjectId: install.id,
      conversationId: install.id,
      status: 'sending',
      attempts: 1,
      createdAt: at,
      lastAttemptAt: at,
      activityId: null,
      failureCode: null,
    };
    let claimed: Versioned<Delivery>;
    try {
      claimed = await this.deps.store.deliveries.create(line);
    } catch (error) {
      if (isStoreError(error, 'STORE.DUPLICATE')) return;
      throw error;
    }
    let outcome: Pick<Delivery, 'status' | 'activityId' | 'failureCode'>;
    try {
      const response = await context.sendActivity({ type: 'message', summary: WELCOME_SUMMARY, attachments: [cardAttachment(welcomeCard(install.memberId !== null))] });
      outcome = { status: 'sent', activityId: response?.id ?? null, failureCode: null };
    } catch (error) {
      // Not sent again: a post that may have arrived is in doubt, as the sweep's are.
      const failure = readWireFailure(error);
      const decision = triageSend(failure);
      outcome =
        decision.kind === 'retry'
          ? { status: 'failed', activityId: null, failureCode: failure.status === null ? 'NETWORK' : `HTTP_${failure.status}` }
          : { status: decision.kind === 'in-doubt' ? 'in-doubt' : 'failed', activityId: null, failureCode: decision.failureCode };
    }
    await this.deps.store.deliveries.update({ ...line, ...outcome }, claimed.version);
    this.deps.logger.log(outcome.status === 'sent' ? 'info' : 'warn', 'bot.welcome', { conversationId: install.id, status: outcome.status, failureCode: outcome.failureCode ?? undefined });
  }

  private async identifyQuietly(context: TurnContext): Promise<string | null> {
    const from = context.activity.from;
    if (!from?.id) return null;
    return linkTeamsUser(this.deps.store, { teamsUserId: from.id, aadObjectId: from.aadObjectId ?? null, email: null }).then(
      async (id) => id ?? (await this.emailOf(context, from.id).then((email) => (email ? linkTeamsUser(this.deps.store, { teamsUserId: from.id, aadObjectId: from.aadObjectId ?? null, email }) : null))),
    );
  }

  private async forget(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return;
    const removed = await forgetInstall(this.deps.store, conversationId, this.deps.clock.now());
    this.deps.logger.log('info', 'bot.uninstalled', { conversationId, removed });
  }
}

/** Kept for callers of the old text help: the command parser. */
export const TurnContextText = {
  commandOf(context: TurnContext): Command {
    return commandOf(context.activity.text);
  },
};
