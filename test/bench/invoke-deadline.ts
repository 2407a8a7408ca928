import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import { startTestApp } from '../support/app.js';
import { provisionedStandIn } from '../support/sharepoint-stand-in-store.js';
import { startBotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { cardOf, cardText, execute, message, personal, postActivity } from '../stand-ins/bot-connector-activities.js';
import { benchAction, benchInitials, benchMember, benchMembership, benchTeamsUser } from './bench-board.js';
import { median, percentile, round } from './bench-stats.js';

/** Teams shows an error after about 5 s; issue 13 asks for every press answered within 4.5 s. */
const TARGET_MS = 4_500;

/**
 * Card presses on SharePoint with one Graph request in five answered 429 or 503 (Retry-After: 1 s,
 * the stand-in's fault option), real waits, the app's own 4 s invoke deadline: every press's answer
 * time, how many were answered "Saving…" and updated in place afterwards, and whether every change
 * was saved exactly once (counted in the stand-in's list items). Users press concurrently, each on
 * their own actions, each press on the card the bot sent them.
 */
export async function benchInvokeDeadline(options: { readonly users?: number; readonly pressesPerUser?: number } = {}): Promise<Record<string, string | number>[]> {
  const users = options.users ?? 10;
  const presses = options.pressesPerUser ?? 5;
  const connector = await startBotConnectorStandIn();
  const standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
  const app = await startTestApp({
    env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
    store: { graph: { fetch: standIn.fetch, customHosts: [standIn.host], tokenProvider: async () => standIn.token } },
  });
  try {
    const people = [];
    for (let i = 0; i < users; i++) {
      const user = benchTeamsUser('load', i, benchInitials('Z', i));
      const member = benchMember('load', i, user);
      await app.store.members.create(member);
      await app.store.memberships.create(benchMembership(member));
      const actions = [];
      for (let k = 0; k < presses; k++) {
        const id = `act-load-${String(i).padStart(3, '0')}-${String(k).padStart(3, '0')}`;
        actions.push(await app.store.actions.create(benchAction(id, i * 100 + k, member.id, 'in-progress', '2026-12-15')));
      }
      // "my actions" in their personal chat: the card each press is made on (and updated in place).
      await postActivity(app.url, message(personal(connector.serviceUrl, user), user, 'my actions'));
      const card = connector.messagesIn(user.personalConversationId).at(-1);
      if (!card) throw new Error('The bot sent no card.');
      people.push({ user, actions, cardId: card.id });
    }
    standIn.setFaults({ rate: 0.2, kinds: ['429', '503'], seed: 13 });
    const graphBefore = standIn.requests.length;
    const times: number[] = [];
    let saving = 0;
    let errors = 0;
    const notes: string[] = [];
    const started = performance.now();
    await Promise.all(
      people.map(async ({ user, actions, cardId }) => {
        for (const [k, action] of actions.entries()) {
          const note = `Throttled bench note ${user.initials}-${k}.`;
          notes.push(note);
          const press = { ...execute(personal(connector.serviceUrl, user), user, ACTION_VERBS.addUpdate, { actionId: action.id, version: action.version, note }), replyToId: cardId };
          const answer = await postActivity(app.url, press);
          times.push(answer.ms);
          const text = cardText(answer.body?.value);
          if (answer.status !== 200) errors++;
          else if (text.includes('Saving\u2026')) saving++;
          else if (!text.includes('Update saved')) errors++;
        }
      }),
    );
    const wallMs = performance.now() - started;
    const savedTimes = (note: string) => standIn.items('SaferExec Actions').reduce((n, item) => n + JSON.stringify(item).split(note).length - 1, 0);
    // The late ones finish in the background: wait for them (bounded), then count.
    const until = Date.now() + 120_000;
    while (Date.now() < until && notes.some((n) => savedTimes(n) === 0)) await new Promise((resolve) => setTimeout(resolve, 250));
    const counts = notes.map(savedTimes);
    const updatedInPlace = people.reduce((n, p) => n + Math.max(0, (connector.messagesIn(p.user.personalConversationId).find((m) => m.id === p.cardId)?.versions.length ?? 1) - 1), 0);
    const updatedCards = people.map((p) => connector.messagesIn(p.user.personalConversationId).find((m) => m.id === p.cardId)).filter((m) => m !== undefined && m.versions.length > 1);
    const updatedSayingSaved = updatedCards.filter((m) => cardText(cardOf(m!.activity)).includes('Update saved')).length;
    const faults = standIn.requests.slice(graphBefore).filter((r) => r.fault).length;
    return [
      {
        presses: times.length,
        'concurrent users': users,
        'Graph requests (429/503)': `${standIn.requests.length - graphBefore} (${faults})`,
        'median ms': round(median(times), 0),
        'p99 ms': round(percentile(times, 99), 0),
        'max ms': round(Math.max(...times), 0),
        [`within ${TARGET_MS / 1000} s`]: `${times.filter((t) => t <= TARGET_MS).length} of ${times.length}`,
        'answered "Saving…"': saving,
        'cards updated in place': updatedInPlace,
        errors,
        'saved exactly once': `${counts.filter((c) => c === 1).length} of ${notes.length}`,
        'saved twice or more': counts.filter((c) => c > 1).length,
        'updated cards saying saved': `${updatedSayingSaved} of ${updatedCards.length}`,
        'wall s': round(wallMs / 1000, 1),
        'old (issue 13)': '5 of 10 presses over 5 s; one 56 s',
      },
    ];
  } finally {
    standIn.setFaults(undefined);
    await app.close();
    await standIn.close();
    await connector.close();
  }
}
