import {
  fail,
  managesMemberships,
  meetingStatus,
  MEETING_STATUS_LABELS,
  ok,
  previousMeeting,
  RESPONSIBLE_AUTHORITY_KINDS,
  RESPONSIBLE_AUTHORITY_LABELS,
  isCurrentMembership,
  type Result,
} from '../domain/index.js';
import { listAll, type Store } from '../store/store.js';
import { authorityEngagement, chairOf, PARTNERSHIP_NAME } from './chairs-letter.js';
import { getMattersArising } from './matters-arising.js';
import type { RequestContext } from './request-context.js';
import { papersPackDocx } from './papers-docx.js';
import type { PackAgendaItem, PapersPackView } from './papers-views.js';

/**
 * The papers pack for a meeting (issue 12, item 4): one Word document with the agenda, the
 * previous meeting's attendance and actions (matters arising, rolled-over actions marked), each
 * theme lead's report for this meeting's round with the missing ones named, and the governance
 * summary. Everything in it is read from the record: nothing is typed twice.
 */

export type { PackAgendaItem, PapersPackView };

/** The standard items, in the order the Exec takes them; the meeting's own items go before any other business. */
const STANDARD_ITEMS = ['Welcome and apologies', 'Minutes of the previous meeting and matters arising', 'Theme lead reports', 'Governance: membership and attendance of the responsible authorities'];
const COVERED = /apolog|welcome|minutes|matters arising|theme (lead )?reports?|governance|any other business|^aob$/i;

export async function getPapersPack(store: Store, context: RequestContext, meetingId: string, count: number): Promise<Result<PapersPackView>> {
  const { directory, today } = context;
  if (!managesMemberships(context.actor)) {
    return fail('AUTH.FORBIDDEN', 'Only the chair or the secretariat can produce the papers pack.');
  }
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  if (meetingStatus(meeting) === 'cancelled') return fail('MEETING.NOT_OPEN', 'This meeting was cancelled: it has no papers.');
  const arising = await getMattersArising(store, meetingId, context);
  if (!arising.ok) return arising;
  const previous = previousMeeting(directory.meetings, meeting);
  const name = (id: string) => {
    const m = directory.members.find((x) => x.id === id);
    return m ? `${m.name} (${m.initials})` : 'A former member';
  };
  const own = meeting.agenda.filter((item) => !COVERED.test(item.title.trim()));
  const titles = [...STANDARD_ITEMS, ...own.map((item) => item.title), 'Any other business'];
  const current = directory.memberships.filter((ms) => ms.groupId === meeting.groupId && isCurrentMembership(ms, today));
  const kindsPresent = new Set(
    current.map((ms) => directory.organisations.find((o) => o.id === directory.members.find((m) => m.id === ms.memberId)?.organisationId)?.authorityKind).filter((k) => k),
  );
  const rounds = (await listAll(store.reportRounds, { meetingId })).length > 0;
  return ok({
    partnership: PARTNERSHIP_NAME,
    groupName: directory.groups.find((g) => g.id === meeting.groupId)?.name ?? meeting.title,
    meeting: { date: meeting.date, title: meeting.title, startTime: meeting.startTime ?? null, statusLabel: MEETING_STATUS_LABELS[meetingStatus(meeting)] },
    asOf: today,
    chair: chairOf(directory, meeting.groupId, today)?.name ?? null,
    agenda: titles.map((title, i) => ({ number: String(i + 1), title })),
    previousMeeting: previous ? { date: previous.date, title: previous.title, present: previous.attendeeIds.map(name), apologies: previous.apologyIds.map(name) } : null,
    mattersArising: arising.value,
    reportsNotReceived: arising.value.reports.filter((r) => r.content === null),
    hasRound: rounds,
    governance: authorityEngagement(directory, meeting.groupId, today, count),
    authoritiesWithNoMember: RESPONSIBLE_AUTHORITY_KINDS.filter((k) => !kindsPresent.has(k)).map((k) => RESPONSIBLE_AUTHORITY_LABELS[k]),
    currentMemberCount: current.length,
  });
}

export interface PapersPackFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}

export async function papersPackFile(store: Store, context: RequestContext, meetingId: string, count: number): Promise<Result<PapersPackFile>> {
  const view = await getPapersPack(store, context, meetingId, count);
  if (!view.ok) return view;
  const stem = view.value.groupName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return ok({ fileName: `papers-${stem}-${view.value.meeting.date}.docx`, bytes: await papersPackDocx(view.value) });
}
