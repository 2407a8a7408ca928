import { BorderStyle, Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import {
  ACTION_STATUS_LABELS,
  ACTION_UPDATE_LABELS,
  actionUpdateWords,
  dueDateOf,
  fail,
  formatLongDate,
  londonDate,
  managesMemberships,
  MEMBERSHIP_ROLE_LABELS,
  ok,
  RAG_LABELS,
  REPORT_FIELD_LABELS,
  type ActionUpdate,
  type AuditLine,
  type Result,
} from '../domain/index.js';
import { deliveryKindLabel, deliveryStatusLabel, erasureTarget, INSTALL_SCOPE_LABELS, isDeliveryTo, isErased, mentionsPerson } from '../domain/retention.js';
import { listAll, type Store } from '../store/store.js';
import { actorIn, type Directory } from './directory.js';
import { directoryOf, type Editor } from './meetings.js';

/**
 * Everything the board holds about one person (UK GDPR art. 15), for the data protection
 * officer to review and send: their record, where they sat, which meetings they came to, the
 * actions they owned or are named in, what they wrote, the messages the bot sent them and the
 * chats it keeps with them. Texts are given as held: other people named in an action's wording
 * or a note are there too, for the DPO to redact where the law says so before release.
 *
 * Dates in the JSON are ISO (YYYY-MM-DD, or instants in UTC) so it can be read by a machine;
 * the Word file says everything in words and British dates, with no internal codes.
 */
export interface SubjectAccessExport {
  readonly producedAt: string;
  readonly person: {
    readonly id: string;
    readonly name: string;
    readonly initials: string;
    readonly otherInitials: readonly string[];
    readonly jobTitle: string;
    readonly organisation: string | null;
    readonly email: string | null;
    readonly entraObjectId: string | null;
    readonly teamsUserId: string | null;
    readonly erased: boolean;
  };
  readonly memberships: readonly { readonly group: string; readonly role: string; readonly decisionMaker: boolean; readonly deputyFor: string | null; readonly startDate: string; readonly endDate: string | null }[];
  readonly themesLed: readonly { readonly theme: string; readonly activeUntil: string | null }[];
  readonly meetings: readonly { readonly date: string; readonly title: string; readonly group: string; readonly attendance: string }[];
  readonly actions: readonly {
    readonly meetingDate: string | null;
    readonly minute: string;
    readonly text: string;
    readonly owners: string;
    readonly status: string;
    readonly dueDate: string | null;
    readonly why: readonly string[];
  }[];
  readonly historyLinesWritten: readonly { readonly at: string; readonly action: string; readonly what: string; readonly detail: string }[];
  readonly reportVersions: readonly {
    readonly theme: string;
    readonly meetingDate: string | null;
    readonly submittedAt: string;
    readonly why: string;
    readonly rag: string;
    readonly progress: string;
    readonly asks: string;
    readonly risks: string;
    readonly data: string;
  }[];
  readonly auditAboutThem: readonly AuditEntry[];
  readonly auditByThem: readonly AuditEntry[];
  readonly messagesSent: readonly { readonly kind: string; readonly createdAt: string; readonly status: string }[];
  readonly chatsWithTheBot: readonly { readonly kind: string; readonly installedAt: string }[];
}

export interface AuditEntry {
  readonly at: string;
  readonly by: string;
  readonly record: string;
  readonly summary: string;
}

const day = (instant: string) => londonDate(new Date(instant));

/** A history line's change and note in words: the domain's wording, the same as the tab, cards and exports. */
function describeUpdate(line: ActionUpdate, directory: Directory): string {
  const { change, note } = actionUpdateWords(line, directory);
  return [change, note].filter(Boolean).join(' \u2013 ');
}

export async function subjectAccess(store: Store, viewer: Editor, memberId: string): Promise<Result<SubjectAccessExport>> {
  const directory = await directoryOf(store, viewer);
  if (!managesMemberships(actorIn(directory, viewer.memberId, viewer.now))) {
    return fail('AUTH.FORBIDDEN', 'Only the chair or the secretariat can produce a subject-access export.');
  }
  const member = directory.members.find((m) => m.id === memberId);
  if (!member) return fail('MEMBER.NOT_FOUND', 'There is no person with this id.');
  const target = erasureTarget(member, directory.memberships);
  const erased = isErased(member);
  // Once erased, nothing names them any more: only the records that point at them by id count.
  const mentions = (text: string | null | undefined, writtenAt: string | null) => !erased && mentionsPerson(text, target, writtenAt);
  const initials = (id: string | null) => (id ? (directory.members.find((m) => m.id === id)?.initials ?? 'a former member') : 'Safer Exec');
  const groupName = (id: string) => directory.groups.find((g) => g.id === id)?.name ?? 'a group';
  const meetingOf = (id: string) => directory.meetings.find((m) => m.id === id);

  const memberships = directory.memberships
    .filter((ms) => ms.memberId === member.id)
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .map((ms) => ({
      group: groupName(ms.groupId),
      role: MEMBERSHIP_ROLE_LABELS[ms.role],
      decisionMaker: ms.decisionMaker,
      deputyFor: ms.deputyForMemberId ? initials(ms.deputyForMemberId) : null,
      startDate: ms.startDate,
      endDate: ms.endDate,
    }));

  const meetings = directory.meetings
    .flatMap((m) => {
      const how: string[] = [];
      if (m.attendeeIds.includes(member.id)) how.push('Attended');
      if (m.apologyIds.includes(member.id)) how.push('Sent apologies');
      for (const s of m.substitutes ?? []) {
        if (s.forMemberId === member.id) how.push('A substitute came in their place');
        else if (mentions(s.name, m.date)) how.push('Named as a substitute');
      }
      return how.length ? [{ date: m.date, title: m.title, group: groupName(m.groupId), attendance: how.join('; ') }] : [];
    })
    .sort((a, b) => a.date.localeCompare(b.date));

  const allActions = await listAll(store.actions, {});
  const actions: SubjectAccessExport['actions'][number][] = [];
  const historyLinesWritten: SubjectAccessExport['historyLinesWritten'][number][] = [];
  for (const action of allActions) {
    const meeting = meetingOf(action.meetingId);
    const label = `Minute ${action.minuteRef}${meeting ? ` of ${formatLongDate(meeting.date)}` : ''}: ${action.text}`;
    const why: string[] = [];
    if (action.owners.some((o) => o.kind === 'member' && o.memberId === member.id)) why.push('They own it');
    else if (action.history.some((h) => (h.kind === 'created' || h.kind === 'owners') && `,${h.from ?? ''},${h.to ?? ''},`.includes(`,member:${member.id},`))) why.push('They owned it');
    const textWrittenAt = [...action.history].reverse().find((l) => l.kind === 'text')?.at ?? action.createdAt;
    if (mentions(action.text, textWrittenAt) || action.history.some((h) => mentions(h.note, h.at) || (h.kind === 'text' && (mentions(h.from, h.at) || mentions(h.to, h.at))))) why.push('They are named in it');
    const theirs = action.history.filter((h) => h.byMemberId === member.id);
    if (theirs.length) why.push('They wrote in its history');
    if (action.dateChangeRequest?.requestedByMemberId === member.id) why.push('They asked for a new date');
    if (why.length === 0) continue;
    actions.push({
      meetingDate: meeting?.date ?? null,
      minute: action.minuteRef,
      text: action.text,
      owners: action.owners.map((o) => (o.kind === 'member' ? initials(o.memberId) : groupName(o.groupId))).join(', ') || 'Unassigned',
      status: ACTION_STATUS_LABELS[action.status],
      dueDate: dueDateOf(action, directory.meetings),
      why,
    });
    for (const line of theirs) historyLinesWritten.push({ at: line.at, action: label, what: ACTION_UPDATE_LABELS[line.kind], detail: describeUpdate(line, directory) });
  }
  historyLinesWritten.sort((a, b) => a.at.localeCompare(b.at));

  const rounds = await listAll(store.reportRounds, {});
  const reportVersions: SubjectAccessExport['reportVersions'][number][] = [];
  for (const report of await listAll(store.themeReports, {})) {
    const round = rounds.find((r) => r.id === report.roundId);
    const meeting = round ? meetingOf(round.meetingId) : undefined;
    const theme = directory.themes.find((t) => t.id === report.themeId)?.name ?? 'A theme';
    for (const v of report.versions) {
      const named = [v.content.progress, v.content.asks, v.content.risks, v.content.data].some((t) => mentions(t, v.submittedAt));
      const why = v.submittedByMemberId === member.id ? 'They submitted it' : named ? 'They are named in it' : null;
      if (!why) continue;
      reportVersions.push({ theme, meetingDate: meeting?.date ?? null, submittedAt: v.submittedAt, why, progress: v.content.progress, asks: v.content.asks, risks: v.content.risks, data: v.content.data, rag: RAG_LABELS[v.content.rag] });
    }
  }
  reportVersions.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));

  const auditAboutThem: AuditEntry[] = [];
  const auditByThem: AuditEntry[] = [];
  const collect = (record: string, lines: readonly AuditLine[] | undefined, aboutThem: boolean) => {
    for (const l of lines ?? []) {
      const entry = { at: l.at, by: initials(l.byMemberId), record, summary: l.summary };
      if (aboutThem || mentions(l.summary, l.at)) auditAboutThem.push(entry);
      if (l.byMemberId === member.id) auditByThem.push(entry);
    }
  };
  for (const m of directory.members) collect(`Person: ${m.name} (${m.initials})`, m.audit, m.id === member.id);
  for (const ms of directory.memberships) collect(`Membership: ${initials(ms.memberId)} on ${groupName(ms.groupId)}`, ms.audit, ms.memberId === member.id);
  for (const o of directory.organisations) collect(`Organisation: ${o.name}`, o.audit, false);
  for (const g of directory.groups) collect(`Group: ${g.name}`, g.audit, false);
  for (const t of directory.themes) collect(`Theme: ${t.name}`, t.audit, false);
  for (const m of directory.meetings) collect(`Meeting: ${m.title} on ${formatLongDate(m.date)}`, m.audit, false);
  auditAboutThem.sort((a, b) => a.at.localeCompare(b.at));
  auditByThem.sort((a, b) => a.at.localeCompare(b.at));

  const installs = (await listAll(store.installs, {})).filter((i) => i.memberId === member.id || (member.teamsUserId !== null && i.teamsUserId === member.teamsUserId));
  const chats = new Set(installs.map((i) => i.id));
  const messagesSent = (await listAll(store.deliveries, {}))
    .filter((d) => isDeliveryTo(d, member.id, chats))
    .map((d) => ({ kind: deliveryKindLabel(d.kind), createdAt: d.createdAt, status: deliveryStatusLabel(d.status) }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return ok({
    producedAt: viewer.now.toISOString(),
    person: {
      id: member.id,
      name: member.name,
      initials: member.initials,
      otherInitials: member.otherInitials,
      jobTitle: member.jobTitle,
      organisation: directory.organisations.find((o) => o.id === member.organisationId)?.name ?? null,
      email: member.email,
      entraObjectId: member.entraObjectId,
      teamsUserId: member.teamsUserId,
      erased,
    },
    memberships,
    themesLed: directory.themes.filter((t) => t.leadMemberIds.includes(member.id)).map((t) => ({ theme: t.name, activeUntil: t.activeUntil })),
    meetings,
    actions,
    historyLinesWritten,
    reportVersions,
    auditAboutThem,
    auditByThem,
    messagesSent,
    chatsWithTheBot: installs.map((i) => ({ kind: INSTALL_SCOPE_LABELS[i.scope] ?? 'Conversation with the bot', installedAt: i.installedAt })),
  });
}

// ---------------------------------------------------------------------------------------------
// The Word file
// ---------------------------------------------------------------------------------------------

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, bold = false): TableCell {
  return new TableCell({ borders, children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold, size: 18 })] })) });
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((t) => cell(t)) }))],
  });
}

const heading = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(text)] });
const para = (text: string, italics = false) => new Paragraph({ children: [new TextRun({ text, italics })] });
const none = (what: string) => para(`No ${what}.`, true);
const long = (date: string | null) => (date ? formatLongDate(date) : '');
const longDay = (instant: string) => formatLongDate(day(instant));
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** The export in words, for the person it is about: British dates, labels, no ids or codes. */
export function subjectAccessDocx(data: SubjectAccessExport): Promise<Buffer> {
  const p = data.person;
  const title = `Subject access: what Safer Exec holds about ${p.erased ? 'an erased former member' : p.name}`;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(title)] }),
    para(`Produced on ${longDay(data.producedAt)}, for the data protection officer to review before it is sent. Texts are shown as the board holds them.`, true),
    heading('Their record'),
    table(
      ['Detail', 'Held'],
      [
        ['Name', p.name],
        ['Initials', p.initials],
        ['Other initials the minutes use', p.otherInitials.join(', ') || 'None'],
        ['Job title', p.jobTitle || 'None'],
        ['Organisation', p.organisation ?? 'None'],
        ['Email / sign-in name', p.email ?? 'None'],
        ['Microsoft sign-in identity (Entra object id)', p.entraObjectId ?? 'None'],
        ['Teams identity', p.teamsUserId ?? 'None'],
        ['Details erased', yesNo(p.erased)],
      ],
    ),
    heading('Where they sat'),
    data.memberships.length
      ? table(['Group', 'Role', 'Can commit resources', 'Deputy for', 'From', 'Until'], data.memberships.map((m) => [m.group, m.role, yesNo(m.decisionMaker), m.deputyFor ?? '', long(m.startDate), m.endDate ? long(m.endDate) : 'Current']))
      : none('memberships'),
  ];
  if (data.themesLed.length) children.push(heading('Themes they lead or led'), table(['Theme', 'Active until'], data.themesLed.map((t) => [t.theme, t.activeUntil ? long(t.activeUntil) : 'Active'])));
  children.push(heading('Meetings'), data.meetings.length ? table(['Date', 'Meeting', 'Group', 'Attendance'], data.meetings.map((m) => [long(m.date), m.title, m.group, m.attendance])) : none('meetings'));
  children.push(
    heading('Actions they own, owned or are named in'),
    data.actions.length
      ? table(['Meeting', 'Minute', 'Action', 'Owners', 'Status', 'Due', 'Why it is here'], data.actions.map((a) => [long(a.meetingDate), a.minute, a.text, a.owners, a.status, a.dueDate ? long(a.dueDate) : 'Next meeting (not yet scheduled)', a.why.join('; ')]))
      : none('actions'),
    heading('What they wrote in the action log'),
    data.historyLinesWritten.length ? table(['Date', 'Action', 'What', 'Detail'], data.historyLinesWritten.map((h) => [longDay(h.at), h.action, h.what, h.detail])) : none('updates'),
    heading('Theme reports'),
  );
  if (data.reportVersions.length === 0) children.push(none('theme reports'));
  for (const r of data.reportVersions) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(`${r.theme}${r.meetingDate ? `, for the meeting of ${long(r.meetingDate)}` : ''}: submitted ${longDay(r.submittedAt)} (${r.why.toLowerCase()}), ${r.rag}`)] }));
    for (const key of ['progress', 'asks', 'risks', 'data'] as const) {
      if (r[key]) children.push(new Paragraph({ children: [new TextRun({ text: `${REPORT_FIELD_LABELS[key]}: `, bold: true }), new TextRun(r[key])] }));
    }
  }
  const auditRows = (entries: readonly AuditEntry[]) => entries.map((e) => [longDay(e.at), e.by, e.record, e.summary]);
  children.push(
    heading('Changes recorded about them'),
    data.auditAboutThem.length ? table(['Date', 'By', 'Record', 'Change'], auditRows(data.auditAboutThem)) : none('changes'),
    heading('Changes they made to the board\u2019s records'),
    data.auditByThem.length ? table(['Date', 'By', 'Record', 'Change'], auditRows(data.auditByThem)) : none('changes'),
    heading('Messages the bot sent them'),
    data.messagesSent.length ? table(['Date', 'Message', 'Outcome'], data.messagesSent.map((m) => [longDay(m.createdAt), m.kind, m.status])) : none('messages on record'),
    heading('Chats with the bot'),
    data.chatsWithTheBot.length ? table(['Conversation', 'Since'], data.chatsWithTheBot.map((c) => [c.kind, longDay(c.installedAt)])) : none('chats on record'),
  );
  const doc = new Document({
    creator: 'Safer Exec',
    title,
    styles: { default: { document: { run: { font: 'Arial', size: 20 } } } },
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  });
  return Packer.toBuffer(doc);
}
