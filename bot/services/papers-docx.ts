import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { formatLongDate, londonDate, RAG_LABELS, REPORT_FIELD_LABELS } from '../domain/index.js';
import type { ActionView } from './action-log.js';
import { describeLine } from './exports.js';
import type { AuthorityEngagementView, ChairsLetterView, EngagementView, PapersPackView } from './papers-views.js';

/**
 * The chair's letter and the papers pack as Word documents: pure functions of their views, so
 * what they say is decided by the services. Everything a person reads is in words: British long
 * dates, labels from the domain's tables, names and initials, never a record id or a stored code.
 */

type Block = Paragraph | Table;

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, options: { bold?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    borders,
    ...(options.width ? { width: { size: options.width, type: WidthType.PERCENTAGE } } : {}),
    children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold ?? false, size: 18 })] })),
  });
}

function table(header: readonly string[], widths: readonly number[], rows: readonly (readonly string[])[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, { bold: true, width: widths[i]! })) }),
      ...rows.map((r) => new TableRow({ children: r.map((t, i) => cell(t, { width: widths[i]! })) })),
    ],
  });
}

const para = (text: string, options: { bold?: boolean; italics?: boolean; alignment?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new Paragraph({ ...(options.alignment ? { alignment: options.alignment } : {}), spacing: { after: 120 }, children: [new TextRun({ text, bold: options.bold ?? false, italics: options.italics ?? false })] });
const heading = (text: string, level: 1 | 2 | 3) =>
  new Paragraph({ heading: level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: [new TextRun(text)] });
const bullet = (text: string) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(text)] });
const labelled = (label: string, text: string) => new Paragraph({ spacing: { after: 80 }, children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(text)] });

function pack(title: string, children: Block[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Safer Exec',
    title,
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

const listText = (items: readonly string[], none = 'nobody') => items.join(', ') || none;

/** "Attended: Matt Garrett (MG)", "Apologies: …", "Not represented, no apologies". */
function whoText(m: AuthorityEngagementView['meetings'][number]): string {
  if (m.outcome === 'attended') return `Attended: ${listText(m.attended)}`;
  if (m.outcome === 'apologies') return `Apologies: ${listText(m.apologies)}`;
  return m.outcomeLabel;
}

// ---------------------------------------------------------------------------------------------
// The chair's letter

export function chairsLetterDocx(letter: ChairsLetterView): Promise<Buffer> {
  const a = letter.authority;
  const org = a.organisation;
  const n = a.meetings.length;
  const children: Block[] = [
    para(letter.partnership, { bold: true, alignment: AlignmentType.RIGHT }),
    para(`${letter.groupName}, the community safety partnership for Plymouth`, { alignment: AlignmentType.RIGHT }),
    para(formatLongDate(letter.date), { alignment: AlignmentType.RIGHT }),
    para('The Chief Officer'),
    para(org),
    para(''),
    para('Dear colleague,'),
    para(`${org} and the ${letter.partnership} partnership`, { bold: true }),
    para(
      `I am writing as chair of ${letter.partnership}, the community safety partnership for Plymouth. Sections 5 and 6 of the Crime and Disorder Act 1998 place a duty on the responsible authorities for an area to work together to formulate and implement strategies to reduce crime and disorder (including anti-social behaviour), to combat the misuse of drugs and alcohol and to reduce reoffending. ${org} is one of Plymouth\u2019s responsible authorities (${a.authorityLabel.toLowerCase()}), and the ${letter.groupName} is where those authorities take that work forward together.`,
    ),
  ];
  const concerns: string[] = [];
  if (a.reasons.includes('no-decision-maker')) {
    concerns.push(
      a.currentMembers.length
        ? `${org} has no decision-making member on the ${letter.groupName} at present: ${listText(a.currentMembers)} attend${a.currentMembers.length === 1 ? 's' : ''} but cannot commit ${org} to the partnership\u2019s decisions.`
        : `${org} has nobody on the ${letter.groupName} at present, so it has no one who can take decisions on its behalf at our meetings.`,
    );
  }
  if (a.reasons.includes('poor-attendance')) {
    const represented = a.meetingsAttended === 0 ? `${org} was not represented at any of them` : `${org} was represented at only ${a.meetingsAttended}`;
    const apologies = a.meetingsWithApologiesOnly === 0 ? 'and sent no apologies' : `and sent apologies to ${a.meetingsWithApologiesOnly} without anyone attending`;
    concerns.push(`Over the last ${n} meeting${n === 1 ? '' : 's'} of the ${letter.groupName}, ${represented}, ${apologies}.`);
  }
  for (const text of concerns) children.push(para(text));
  if (n > 0) {
    const first = a.meetings[0]!.date;
    const last = a.meetings[n - 1]!.date;
    children.push(para(`The meetings held ${n === 1 ? `on ${formatLongDate(first)}` : `between ${formatLongDate(first)} and ${formatLongDate(last)}`}, and ${org}\u2019s attendance at each:`));
    children.push(table(['Meeting', `${org}`], [40, 60], a.meetings.map((m) => [`${formatLongDate(m.date)}, ${m.title}`, whoText(m)])));
    children.push(para(''));
  } else {
    children.push(para(`No meeting of the ${letter.groupName} has had its attendance recorded yet in this period.`));
  }
  children.push(para(`I would therefore ask ${org} to:`));
  if (a.reasons.includes('no-decision-maker')) {
    children.push(bullet(`nominate a decision-making member of the ${letter.groupName}, at a level able to commit ${org}\u2019s resources, and a named deputy;`));
  }
  children.push(bullet(`attend every meeting of the ${letter.groupName}, sending the deputy when its member cannot come, and apologies only when neither can.`));
  children.push(para(`I would be grateful for a reply, through the partnership\u2019s secretariat, by ${formatLongDate(letter.replyBy)}.${letter.nextMeeting ? ` Our next meeting is on ${formatLongDate(letter.nextMeeting.date)}, and I hope to see ${org} represented there.` : ''}`));
  children.push(para('Yours sincerely,'));
  children.push(para(''));
  children.push(para(letter.chair?.name ?? '', { bold: true }));
  children.push(para(`Chair, ${letter.groupName}`));
  return pack(`Letter to ${org}`, children);
}

// ---------------------------------------------------------------------------------------------
// The papers pack

const ownersText = (a: ActionView) => a.owners.map((o) => o.label).join(', ') || 'Unassigned';
const dueText = (a: ActionView) => (a.dueDate ? formatLongDate(a.dueDate) : a.due.kind === 'next-meeting' ? 'Next meeting' : '');
const timesText = (count: number) => (count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`);

function governanceBlocks(view: PapersPackView): Block[] {
  const g: EngagementView = view.governance;
  const blocks: Block[] = [
    para(`Current members of the ${view.groupName}: ${view.currentMemberCount}.`),
    para(view.authoritiesWithNoMember.length ? `Responsible authorities with nobody on the group: ${view.authoritiesWithNoMember.join(', ')}.` : 'Every kind of responsible authority has someone on the group.'),
    para(
      g.meetingsCounted
        ? `Attendance over the last ${g.meetingsCounted} meeting${g.meetingsCounted === 1 ? '' : 's'} with attendance recorded. Attendance is poor when an organisation was ${g.rule}.`
        : 'No meeting of the group has had its attendance recorded yet.',
      { italics: true },
    ),
  ];
  if (g.authorities.length === 0) {
    blocks.push(para('No responsible authority is on the organisation list yet.'));
    return blocks;
  }
  blocks.push(
    table(
      ['Organisation', 'Decision-making member', 'Attendance', 'Concerns', 'Chair\u2019s letter'],
      [24, 22, 18, 18, 18],
      g.authorities.map((a) => [
        `${a.organisation} (${a.authorityLabel})`,
        listText(a.decisionMakers, 'None'),
        a.meetings.length ? `${a.meetingsAttended} of ${a.meetings.length}${a.meetingsWithApologiesOnly ? `, apologies only at ${a.meetingsWithApologiesOnly}` : ''}` : 'No meetings counted',
        a.reasonLabels.join('; ') || 'None',
        a.lastLetter ? `Drafted by ${a.lastLetter.byLabel} on ${formatLongDate(a.lastLetter.on)}` : 'None',
      ]),
    ),
  );
  return blocks;
}

export function papersPackDocx(view: PapersPackView): Promise<Buffer> {
  const title = `${view.groupName}: papers for the meeting on ${formatLongDate(view.meeting.date)}`;
  const ma = view.mattersArising;
  const children: Block[] = [
    heading(title, 1),
    para(`${view.meeting.title}, ${formatLongDate(view.meeting.date)}${view.meeting.startTime ? ` at ${view.meeting.startTime}` : ''}.${view.chair ? ` Chair: ${view.chair}.` : ''}`),
    para(`Papers prepared on ${formatLongDate(view.asOf)}.`, { italics: true }),
    heading('Agenda', 2),
  ];
  for (const item of view.agenda) {
    children.push(para(`${item.number}. ${item.title}`));
    if (item.title === 'Theme lead reports') {
      ma.reports.forEach((r, i) => children.push(para(`      ${item.number}.${i + 1} ${r.themeName}${r.leadLabel ? ` (${r.leadLabel})` : ''}`)));
    }
  }

  children.push(heading('Minutes and actions from the previous meeting', 2));
  if (view.previousMeeting) {
    const p = view.previousMeeting;
    children.push(para(`${p.title}, ${formatLongDate(p.date)}.`));
    children.push(labelled('Present', listText(p.present, 'Not recorded')));
    children.push(labelled('Apologies', listText(p.apologies, 'None')));
    children.push(heading('Matters arising', 3));
    children.push(
      ma.fromPreviousMeeting.length
        ? table(
            ['Minute', 'Action', 'Owners', 'Due', 'Status', 'How it came here', 'What changed since'],
            [8, 28, 9, 10, 10, 14, 21],
            ma.fromPreviousMeeting.map((m) => [
              m.action.meetingDate && m.action.meetingDate !== p.date ? `${m.action.minuteRef} (${formatLongDate(m.action.meetingDate)})` : m.action.minuteRef,
              m.action.text,
              ownersText(m.action),
              dueText(m.action),
              m.action.statusLabel + (m.action.overdue ? ' (overdue)' : ''),
              m.arrival === 'rolled-over' ? `Rolled over (${timesText(Math.max(1, m.action.rolloverCount))})` : m.arrivalLabel,
              m.changesSince.map(describeLine).join('\n') || 'No change recorded',
            ]),
          )
        : para('No actions from the previous meeting.'),
    );
  } else {
    children.push(para('This is the first meeting of the group: there are no previous minutes.'));
  }
  children.push(heading('Actions rolled over more than once', 3));
  children.push(
    ma.rolledOverMoreThanOnce.length
      ? table(
          ['Minute', 'Action', 'Owners', 'Rolled over', 'Status'],
          [14, 46, 12, 12, 16],
          ma.rolledOverMoreThanOnce.map((a) => [a.meetingDate ? `${a.minuteRef} (${formatLongDate(a.meetingDate)})` : a.minuteRef, a.text, ownersText(a), timesText(a.rolloverCount), a.statusLabel]),
        )
      : para('None.'),
  );

  children.push(heading('Theme lead reports', 2));
  if (!view.hasRound) children.push(para('No report round was opened for this meeting.'));
  else if (ma.deadline) children.push(para(`Reports were due by ${formatLongDate(ma.deadline)}.`, { italics: true }));
  for (const r of ma.reports) {
    children.push(heading(`${r.themeName}${r.leadLabel ? ` (lead ${r.leadLabel})` : ' (no lead)'}: ${r.stateLabel}`, 3));
    if (!r.content) {
      children.push(para('Not received.', { italics: true }));
      continue;
    }
    if (r.submittedAt) children.push(para(`Submitted on ${formatLongDate(londonDate(new Date(r.submittedAt)))}.`, { italics: true }));
    children.push(labelled('RAG rating', r.rag ? RAG_LABELS[r.rag] : 'Not given'));
    for (const key of ['progress', 'asks', 'risks', 'data'] as const) {
      children.push(labelled(REPORT_FIELD_LABELS[key], r.content[key] || 'Nothing reported'));
    }
  }
  children.push(heading('Reports not received', 3));
  children.push(
    view.reportsNotReceived.length
      ? table(['Theme', 'Lead', 'Where it stands'], [45, 20, 35], view.reportsNotReceived.map((r) => [r.themeName, r.leadLabel ?? 'No lead', r.stateLabel]))
      : para(view.hasRound ? 'Every report is in.' : 'None requested.'),
  );

  children.push(heading('Governance', 2));
  children.push(...governanceBlocks(view));

  children.push(heading('Any other business', 2));
  children.push(para('Items notified to the chair before the meeting.'));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: 'Produced by Safer Exec', size: 16 })] }));
  return pack(title, children);
}

