/**
 * The verbs every card button sends. `Action.Execute` carries one as `verb`; its
 * `Action.Submit` fallback carries the same value as `data.verb`, so one parser serves both.
 */
export const ACTION_VERBS = {
  markDone: 'action.markDone',
  addUpdate: 'action.addUpdate',
  requestDate: 'action.requestDate',
  show: 'action.show',
  list: 'actions.list',
} as const;

export const REPORT_VERBS = {
  submit: 'report.submit',
  open: 'report.open',
} as const;

export const DIGEST_VERBS = {
  approveDate: 'digest.approveDate',
  refuseDate: 'digest.refuseDate',
  close: 'digest.closeAction',
} as const;

/**
 * The board channel's weekly "due and overdue" card (Universal Actions): `view` is its refresh,
 * which each viewer's client sends to get the view that person may see; the other two are the
 * buttons an owner sees on their own actions there. Honoured only in the conversation the card
 * was posted into, and never answered with another person's buttons.
 */
export const CHANNEL_VERBS = {
  view: 'channelDue.view',
  markDone: 'channelDue.markDone',
  addUpdate: 'channelDue.addUpdate',
} as const;

export const ALL_VERBS = [...Object.values(ACTION_VERBS), ...Object.values(REPORT_VERBS), ...Object.values(DIGEST_VERBS), ...Object.values(CHANNEL_VERBS)] as const;
export type CardVerb = (typeof ALL_VERBS)[number];

export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_VERBS as readonly string[]).includes(value);
}

export function isChannelVerb(value: unknown): value is (typeof CHANNEL_VERBS)[keyof typeof CHANNEL_VERBS] {
  return typeof value === 'string' && (Object.values(CHANNEL_VERBS) as readonly string[]).includes(value);
}
