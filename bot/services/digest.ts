import { isOpenStatus, type LocalDate, type Owner } from '../domain/index.js';
import { listAll, type Store } from '../store/store.js';
import { listActionLog, type ActionView } from './action-log.js';
import { actionRecipients } from './directory.js';
import type { RequestContext } from './request-context.js';
import { listUnreachableMembers } from './installs.js';
import { currentRound } from './theme-reports.js';

export interface DigestView {
  readonly today: LocalDate;
  readonly overdue: readonly ActionView[];
  readonly dateRequests: readonly ActionView[];
  readonly proposedComplete: readonly ActionView[];
  readonly missingReports: readonly { readonly themeName: string; readonly leadLabel: string }[];
  /** Reports already in for the round being gathered: the chair and secretariat see them arrive. */
  readonly reportsIn: readonly { readonly themeName: string; readonly leadLabel: string; readonly submittedAt: string; readonly versions: number }[];
  /** Open actions whose reminders reach nobody: no owner, or only groups with no current members. */
  readonly unowned: readonly ActionView[];
  /** Open actions due "at the next meeting" when none is scheduled: the secretariat should schedule it. */
  readonly waitingForMeeting: number;
  readonly unreachableCount: number;
  readonly failedDeliveries: number;
}

/**
 * What the chair needs to decide or chase this week, read from the log, the reports and the
 * ledger, as `context`'s reader (the chair) sees it: their actions' `allowed` is theirs.
 */
export async function buildDigest(store: Store, context: RequestContext): Promise<DigestView> {
  const { today, now, directory } = context;
  const open = (await listActionLog(store, { statuses: ['open', 'in-progress', 'proposed-complete'], sort: 'due', limit: 500 }, context)).items;
  const round = await currentRound(store, now);
  const reports = round ? await listAll(store.themeReports, { roundId: round.id }) : [];
  const label = (r: (typeof reports)[number]) => ({
    themeName: directory.themes.find((t) => t.id === r.themeId)?.name ?? 'Theme',
    leadLabel: directory.members.find((m) => m.id === r.leadMemberId)?.initials ?? 'no lead',
  });
  const missingReports = reports.filter((r) => r.versions.length === 0).map(label);
  const reportsIn = reports
    .filter((r) => r.versions.length > 0)
    .map((r) => ({ ...label(r), submittedAt: r.versions[r.versions.length - 1]!.submittedAt, versions: r.versions.length }));
  const failed = await store.deliveries.list({ status: 'failed' }, { limit: 500 });
  return {
    today,
    overdue: open.filter((v) => v.overdue),
    dateRequests: open.filter((v) => v.dateChangeRequest !== null && isOpenStatus(v.status)),
    proposedComplete: open.filter((v) => v.status === 'proposed-complete'),
    missingReports,
    reportsIn,
    waitingForMeeting: open.filter((v) => v.due.kind === 'next-meeting' && v.dueDate === null).length,
    unowned: open.filter((v) => v.status !== 'proposed-complete' && actionRecipients({ owners: v.owners.map(toOwner) }, directory, now).length === 0),
    unreachableCount: (await listUnreachableMembers(store, now)).length,
    failedDeliveries: failed.items.length,
  };
}

function toOwner(view: ActionView['owners'][number]): Owner {
  return view.kind === 'member' ? { kind: 'member', memberId: view.id } : { kind: 'group', groupId: view.id };
}
