/**
 * Why a message from the bot did not arrive, in words the secretariat reads: what happened and
 * what, if anything, to do about it. The ledger keeps stable codes (teams-presence.ts); these
 * are their readings. A code not listed here still reads as something a person understands.
 */
export const DELIVERY_FAILURE_LABELS: Readonly<Record<string, string>> = {
  MessageWritesBlocked: 'Teams refused it: the person may have blocked or removed the app. Ask them to add it again.',
  CONVERSATION_NOT_FOUND: 'Teams no longer knows this chat: the app was probably removed. Ask them to add it again.',
  NO_ANSWER: 'Teams did not answer, so it may or may not have arrived. It will not be sent again: check the chat.',
  INTERRUPTED_WHILE_SENDING: 'The sweep stopped while sending it, so it may or may not have arrived. It will not be sent again: check the chat.',
  THROTTLED: 'Teams asked the bot to wait longer than it could. The next sweep sends what is still due.',
  NOT_CLAIMED: 'Another sweep was already sending it.',
  NO_CONVERSATION_ID: 'Teams did not open a chat with them. Ask them to add the app themselves.',
  NO_BOT_ACCOUNT: 'The bot is not set up to post: the app\u2019s registration needs checking.',
  NO_TENANT: 'The chat is not linked to the organisation\u2019s Teams: the app\u2019s registration needs checking.',
  NETWORK: 'The bot could not reach Teams. The next sweep tries what is still due.',
  CALL_TIMEOUT: 'Teams took too long to answer, so it may or may not have arrived: check the chat.',
};

/** The reading of a failure code, including Teams' HTTP refusals ('HTTP_403_…', 'HTTP_502'). */
export function deliveryFailureLabel(code: string | null): string {
  if (!code) return 'Not delivered, for a reason Teams did not give.';
  const known = DELIVERY_FAILURE_LABELS[code];
  if (known) return known;
  if (code.startsWith('HTTP_403')) return 'Teams refused it (not allowed). Check the app is still installed for them.';
  const status = /^HTTP_(\d{3})$/.exec(code)?.[1];
  if (status && status.startsWith('5')) return 'Teams had a fault while it was being sent, so it may or may not have arrived. It will not be sent again: check the chat.';
  if (status) return 'Teams refused it. If it keeps happening, the app\u2019s set-up needs checking.';
  return 'Not delivered, for a reason the bot recorded but cannot explain.';
}
