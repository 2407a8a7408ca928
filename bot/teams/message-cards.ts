import { RAG_LABELS } from '../domain/index.js';
import { actionReminderCard } from '../cards/action-cards.js';
import { channelDueCard, channelDueRetiredCard } from '../cards/channel-cards.js';
import { noticeCard } from '../cards/common-cards.js';
import { digestCard, digestChannelCard } from '../cards/digest-cards.js';
import { formatDate } from '../cards/format.js';
import type { AdaptiveCardJson } from '../cards/render.js';
import { reportPromptCard, roundProgressCard } from '../cards/report-cards.js';
import type { MessageView } from '../services/messaging.js';

/**
 * The card for each message the services send: they hand over a view of what to say, and the
 * sender renders it here, on the Teams side, so the arrows point down (services never build cards).
 */
export function renderMessage(view: MessageView): AdaptiveCardJson {
  switch (view.kind) {
    case 'action':
      return actionReminderCard(view.action, { stage: view.stage, today: view.today });
    case 'report-prompt':
      return reportPromptCard(view.report, view.stage);
    case 'report-received':
      return noticeCard(view.heading, `${view.byLabel} submitted it on ${formatDate(view.submittedOn)} (RAG ${RAG_LABELS[view.rag]}). Read it in the Safer Exec tab, under Meetings.`);
    case 'round-progress':
      return roundProgressCard(view.progress, view.today);
    case 'digest':
      return digestCard(view.digest);
    case 'digest-channel':
      return digestChannelCard(view.digest);
    case 'channel-due':
      return channelDueCard(view.due);
    case 'channel-due-retired':
      return channelDueRetiredCard(view.weekKey, view.currentWeekKey);
    case 'card':
      return view.card as AdaptiveCardJson;
  }
}
