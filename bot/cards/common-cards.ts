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
      { command: 'report', meaning: 'Your report as a theme lead, for the next meeting' },
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

export interface WelcomeData {
  readonly heading: string;
  readonly intro: string;
  readonly sends: readonly { readonly title: string; readonly value: string }[];
  readonly privacy: string;
  readonly howToStop: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly verbs: { readonly list: string };
}

/** What the bot says once, when someone installs it for themselves: what it will send, and how to stop it. */
export const WELCOME_SUMMARY = 'Welcome to Safer Exec: what I will send you, and how to stop it';

/**
 * The welcome for a personal install. Nothing personal in it (it may come before the person is
 * linked to a member); `linked: false` adds how to get linked.
 */
export function toWelcomeData(linked: boolean): WelcomeData {
  return {
    heading: 'Welcome to Safer Exec',
    intro: 'I help the Safer Plymouth Exec between its meetings. In this chat I will send you:',
    sends: [
      { title: 'Actions you own', value: 'A reminder before each one is due, and while it is overdue, with buttons to update it.' },
      { title: 'If you lead a theme', value: 'A prompt for your theme report before each meeting\u2019s paper deadline.' },
      { title: 'If you chair the Exec', value: 'A weekly digest of what needs deciding.' },
    ],
    privacy: 'Your actions and reports are only shown here, in your personal chat with me.',
    howToStop: 'To stop the reminders, uninstall Safer Exec (Apps, then Manage your apps), or tell the secretariat, who can take you off the board\u2019s lists. Type "help" at any time to see what I can do.',
    hasNotice: !linked,
    notice: linked ? '' : 'Your Teams account is not linked to a member of the partnership yet: ask the business-support officer to add you (with your work email).',
    verbs: { list: ACTION_VERBS.list },
  };
}

export function welcomeCard(linked: boolean): AdaptiveCardJson {
  return renderCard('welcome', toWelcomeData(linked));
}
