import { renderCard, type AdaptiveCardJson } from './render.js';
import type { CardNotice, NoticeTone } from './format.js';
import { ACTION_VERBS, REPORT_VERBS } from './verbs.js';

export interface HelpData {
  readonly heading: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly noticeStyle: string;
  readonly intro: string;
  readonly commands: readonly { readonly command: string; readonly meaning: string }[];
  readonly verbs: { readonly list: string; readonly report: string };
}

/**
 * `notice` says what became of a request made where personal content may not be shown (a group
 * chat, a channel): the help card then stands in for the answer, and its buttons still work.
 */
export function toHelpData(notice?: CardNotice): HelpData {
  return {
    heading: 'Safer Exec',
    hasNotice: notice !== undefined,
    notice: notice?.text ?? '',
    noticeStyle: notice?.tone ?? 'default',
    intro:
      'I help the Safer Plymouth Exec between meetings: reminders about your actions, and your theme report for the next meeting. Your actions and report are only ever shown in your personal chat with me. Type one of these:',
    commands: [
      { command: 'my actions', meaning: 'The actions you own, with buttons to update them' },
      { command: 'report', meaning: 'Your theme-lead report for the next meeting' },
      { command: 'help', meaning: 'This card' },
    ],
    verbs: { list: ACTION_VERBS.list, report: REPORT_VERBS.open },
  };
}

export function helpCard(notice?: CardNotice): AdaptiveCardJson {
  return renderCard('help', toHelpData(notice));
}

export interface NoticeData {
  readonly heading: string;
  readonly message: string;
  readonly style: NoticeTone | 'default';
  readonly hasReference: boolean;
  readonly referenceLabel: string;
}

/** A card that says what happened and what to do next; `reference` is something the user can quote to the secretariat. */
export function toNoticeData(heading: string, message: string, tone: NoticeTone | 'default' = 'default', reference?: string): NoticeData {
  return {
    heading,
    message,
    style: tone,
    hasReference: reference !== undefined,
    referenceLabel: reference ? `Reference: ${reference}` : '',
  };
}

export function noticeCard(heading: string, message: string, tone: NoticeTone | 'default' = 'default', reference?: string): AdaptiveCardJson {
  return renderCard('notice', toNoticeData(heading, message, tone, reference));
}
