import { deliveryFailureLabel } from '../domain/delivery-failures.js';
import { formatLongDate, type Delivery } from '../domain/index.js';
import { deliveryKindLabel, deliveryStatusLabel } from '../domain/retention.js';
import type { Store, Versioned } from '../store/store.js';
import { loadDirectory, type Directory } from './directory.js';

/**
 * One message the bot could not deliver, or may not have: the ledger's codes and ids (for
 * whoever investigates), and beside them what the secretariat reads: what it was, to whom,
 * about what, and what to do. No message text: the ledger holds none.
 */
export interface FailedDeliveryView {
  readonly id: string;
  readonly status: Delivery['status'];
  readonly kind: string;
  readonly subjectId: string;
  readonly conversationId: string | null;
  readonly failureCode: string | null;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly kindLabel: string;
  readonly statusLabel: string;
  readonly reasonLabel: string;
  /** "TN – Tracey Naismith", "The board's channel"… */
  readonly recipient: string;
  /** "Minute 8.3 of 14 April 2026", "Domestic abuse report for 17 November 2026", or null. */
  readonly about: string | null;
}

const LIMIT = 500;

/** Failed and in-doubt lines, newest attempt first: in-doubt ones too, since the bot won't post them again and someone should look in the chat. */
export async function failedDeliveries(store: Store, known?: Directory): Promise<FailedDeliveryView[]> {
  const [failed, inDoubt] = await Promise.all([store.deliveries.list({ status: 'failed' }, { limit: LIMIT }), store.deliveries.list({ status: 'in-doubt' }, { limit: LIMIT })]);
  const lines = [...failed.items, ...inDoubt.items];
  if (lines.length === 0) return [];
  // The request's directory when it has one (the secretariat's route); read here otherwise.
  const directory = known ?? (await loadDirectory(store));
  const memberLabel = (id: string | null) => {
    const m = id ? directory.members.find((x) => x.id === id) : undefined;
    return m ? `${m.initials} \u2013 ${m.name}` : null;
  };
  const meetingDate = (id: string) => directory.meetings.find((m) => m.id === id)?.date;
  const recipientOf = async (line: Versioned<Delivery>): Promise<string> => {
    const install = line.conversationId ? await store.installs.get(line.conversationId) : undefined;
    if (install?.scope === 'team') return 'The board\u2019s channel';
    if (install?.scope === 'groupChat') return 'A group chat';
    // The member's id ends the ledger key of every personal message (deliveries.ts).
    const fromKey = line.id.split(':').at(-1) ?? null;
    return memberLabel(install?.memberId ?? null) ?? memberLabel(fromKey) ?? (line.kind === 'channel-summary' ? 'The board\u2019s channel' : 'A chat the bot no longer knows');
  };
  const aboutOf = async (line: Versioned<Delivery>): Promise<string | null> => {
    const action = await store.actions.get(line.subjectId);
    if (action) {
      const date = meetingDate(action.meetingId);
      return `Minute ${action.minuteRef}${date ? ` of ${formatLongDate(date)}` : ''}`;
    }
    const report = await store.themeReports.get(line.subjectId);
    const round = await store.reportRounds.get(report?.roundId ?? line.subjectId);
    if (!round) return null;
    const date = meetingDate(round.meetingId);
    const theme = report ? directory.themes.find((t) => t.id === report.themeId)?.name : undefined;
    return `${theme ? `${theme} report` : 'Theme reports'}${date ? ` for ${formatLongDate(date)}` : ''}`;
  };
  const views = await Promise.all(
    lines.map(async (d): Promise<FailedDeliveryView> => ({
      id: d.id,
      status: d.status,
      kind: d.kind,
      subjectId: d.subjectId,
      conversationId: d.conversationId,
      failureCode: d.failureCode,
      attempts: d.attempts,
      lastAttemptAt: d.lastAttemptAt,
      kindLabel: deliveryKindLabel(d.kind),
      statusLabel: deliveryStatusLabel(d.status),
      reasonLabel: deliveryFailureLabel(d.failureCode),
      recipient: await recipientOf(d),
      about: await aboutOf(d),
    })),
  );
  return views.sort((a, b) => (b.lastAttemptAt ?? '').localeCompare(a.lastAttemptAt ?? ''));
}
