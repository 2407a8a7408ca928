/**
 * Teams-shaped activities, as the Bot Connector service posts them to /api/messages, for the
 * demo members (their Entra object ids follow the demo rule 00000000-0000-4000-8000-0000000000NN).
 */
export const TENANT_ID = '00000000-0000-4000-8000-000000000000';
export const BOT_ACCOUNT = { id: '28:00000000-0000-4000-8000-0000000000b0', name: 'Safer Exec' };

const ORDER = ['TM', 'MG', 'HS', 'JKE', 'LGO', 'TN', 'RS', 'SH', 'JK', 'TW', 'IT', 'CC', 'AM'];

export interface TeamsUser {
  readonly initials: string;
  readonly id: string;
  readonly aadObjectId: string;
  readonly personalConversationId: string;
}

export function teamsUser(initials: string): TeamsUser {
  const n = ORDER.indexOf(initials) + 1;
  if (n === 0) throw new Error(`No demo Exec member ${initials}`);
  return {
    initials,
    id: `29:user-${initials.toLowerCase()}`,
    aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    personalConversationId: `a:personal-${initials.toLowerCase()}`,
  };
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}:${Date.now().toString(36)}-${++sequence}`;

interface Where {
  readonly serviceUrl: string;
  readonly conversation: Record<string, unknown>;
  readonly channelData?: Record<string, unknown>;
}

export function personal(serviceUrl: string, user: TeamsUser): Where {
  return {
    serviceUrl,
    conversation: { id: user.personalConversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

export const EXEC_TEAM_ID = '19:exec-team-general@thread.tacv2';

export function execChannel(serviceUrl: string): Where {
  return {
    serviceUrl,
    conversation: { id: EXEC_TEAM_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, team: { id: EXEC_TEAM_ID, name: 'Safer Plymouth Exec' }, channel: { id: EXEC_TEAM_ID, name: 'General' } },
  };
}

export function groupChat(serviceUrl: string): Where {
  return {
    serviceUrl,
    conversation: { id: '19:exec-leads@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

function base(where: Where, from: TeamsUser, type: string, id = nextId('f')) {
  return {
    type,
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    from: { id: from.id, aadObjectId: from.aadObjectId, name: 'Demo user' },
    recipient: BOT_ACCOUNT,
    conversation: where.conversation,
    channelData: where.channelData ?? {},
    locale: 'en-GB',
  };
}

export function botAdded(where: Where, from: TeamsUser) {
  return { ...base(where, from, 'conversationUpdate'), membersAdded: [{ id: BOT_ACCOUNT.id }] };
}

export function botRemoved(where: Where, from: TeamsUser) {
  return { ...base(where, from, 'conversationUpdate'), membersRemoved: [{ id: BOT_ACCOUNT.id }] };
}

export function installationUpdate(where: Where, from: TeamsUser, action: 'add' | 'remove') {
  return { ...base(where, from, 'installationUpdate'), action };
}

export function message(where: Where, from: TeamsUser, text: string) {
  return { ...base(where, from, 'message'), text, textFormat: 'plain' };
}

/** The Action.Submit fallback: a message with the button's data and the inputs in `value`, replying to the card. */
export function submit(where: Where, from: TeamsUser, value: Record<string, unknown>, replyToId?: string) {
  return { ...base(where, from, 'message'), value, ...(replyToId ? { replyToId } : {}) };
}

/** An Action.Execute press: invoke `adaptiveCard/action` with the verb and data (inputs merged in). */
export function execute(where: Where, from: TeamsUser, verb: string, data: Record<string, unknown>, id = nextId('inv')) {
  return { ...base(where, from, 'invoke', id), name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' } };
}

export async function postActivity(appUrl: string, activity: unknown): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body, ms: performance.now() - started };
}

/** The text of every TextBlock and Fact in a card, to assert on what a person would read. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj['type'] === 'TextBlock' && typeof obj['text'] === 'string') out.push(obj['text']);
      if (typeof obj['title'] === 'string' && typeof obj['value'] === 'string') out.push(`${obj['title']}: ${obj['value']}`);
      Object.values(obj).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The card in a message the bot sent. */
export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
