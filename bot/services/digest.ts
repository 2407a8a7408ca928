import { isOpenStatus, londonDate, type LocalDate } from '../domain/index.js';
import { listAll, type Store } from '../store/store.js';
import { listActionLog, type ActionView } from './action-log.js';
import { loadDirectory } from './directory.js';
import { listUnreachableMembers } from './installs.js';
import { currentRound } from './theme-reports.js';

export interface DigestView {
  readonly today: LocalDate;
  readonly overdue: readonly ActionView[];
  readonly dateRequests: readonly ActionView[];
  readonly proposedComplete: readonly ActionView[];
  readonly missingReports: readonly { readonly themeName: string; readonly leadLabel: string }[];
  readonly unreachableCount: number;
  readonly failedDeliveries: number;
}

/** What the chair needs to decide or chase this week, read from the log, the reports and the ledger. */
export async function buildDigest(store: Store, now: Date): Promise<DigestView> {
  const today = londonDate(now);
  const open = (await listActionLog(store, { statuses: ['open', 'in-progress', 'proposed-complete'], sort: 'due', limit: 500 }, now)).items;
  const directory = await loadDirectory(store);
  const round = await currentRound(store, now);
  const missingReports = round
    ? (await listAll(store.themeReports, { roundId: round.id }))
        .filter((r) => r.versions.length === 0)
        .map((r) => ({
          themeName: directory.themes.find((t) => t.id === r.themeId)?.name ?? 'Theme',
          leadLabel: directory.members.find((m) => m.id === r.leadMemberId)?.initials ?? 'no lead',
        }))
    : [];
  const failed = await store.deliveries.list({ status: 'failed' }, { limit: 500 });
  return {
    today,
    overdue: open.filter((v) => v.overdue),
    dateRequests: open.filter((v) => v.dateChangeRequest !== null && isOpenStatus(v.status)),
    proposedComplete: open.filter((v) => v.status === 'proposed-complete'),
    missingReports,
    unreachableCount: (await listUnreachableMembers(store, now)).length,
    failedDeliveries: failed.items.length,
  };
}
