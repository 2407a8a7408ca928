import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatLongDate, londonDate, RAG_LABELS, REPORT_FIELD_LABELS, type LocalDate } from '../domain/index.js';
import type { ActionView, HistoryLineView } from './action-log.js';
import type { MattersArisingView } from './matters-arising.js';

/**
 * The log and the matters arising as files people paste into the meeting papers.
 * Pure functions of the views: the routes decide who may have them. Every cell a person reads is
 * in words: British dates ("6 October 2026"), status and report labels, initials and group names,
 * the history lines as the domain words them (describeActionUpdate). No column is kept in ISO
 * form for sorting: the log is sorted before it is written, and the files go into papers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
 * A field a spreadsheet would run as a formula (= + - @, or a tab or CR before one) gets a
 * leading apostrophe, so a note like "=HYPERLINK(...)" is shown, never evaluated.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF, as RFC 4180 says; a BOM so Excel reads the UTF-8 (curly quotes in the minutes). */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const longDate = (date: LocalDate | null | undefined) => (date ? formatLongDate(date) : '');
/** The London day of an instant, in words: "20 November 2026". */
const longDay = (instant: string | null | undefined) => (instant ? formatLongDate(londonDate(new Date(instant))) : '');
const ownersText = (a: ActionView) => a.owners.map((o) => o.label).join(', ') || 'Unassigned';
const dueText = (a: ActionView) => (a.dueDate ? formatLongDate(a.dueDate) : a.due.kind === 'next-meeting' ? 'Next meeting (not yet scheduled)' : '');
const ragText = (rag: ActionView['rag']) => (rag ? RAG_LABELS[rag] : '');
const lastUpdateText = (a: ActionView) => (a.lastUpdate ? describeLine(a.lastUpdate) : '');

/** "2 October 2026 TN: Update: List drafted…": the day, who, and the line as the domain words it. */
export function describeLine(line: HistoryLineView): string {
  return `${longDay(line.at)} ${line.byLabel ?? 'System'}: ${line.summary}`;
}

export const ACTION_CSV_HEADER = ['Meeting date', 'Minute', 'Action', 'Owners', 'Theme', 'Due', 'Status', 'RAG', 'Overdue', 'Times rolled over', 'Last update'] as const;

export function actionLogCsv(actions: readonly ActionView[]): string {
  return toCsv([
    [...ACTION_CSV_HEADER],
    ...actions.map((a) => [longDate(a.meetingDate), a.minuteRef, a.text, ownersText(a), a.themeName, dueText(a), a.statusLabel, ragText(a.rag), a.overdue ? 'Yes' : 'No', a.rolloverCount, lastUpdateText(a)]),
  ]);
}

/** "8.3", or "3 (14 April 2026)" for an action carried from an earlier meeting than the previous one. */
function minuteOf(m: MattersArisingView['fromPreviousMeeting'][number], view: MattersArisingView): string {
  const agreed = m.action.meetingDate;
  return agreed && agreed !== view.previousMeeting?.date ? `${m.action.minuteRef} (${formatLongDate(agreed)})` : m.action.minuteRef;
}

export function mattersArisingCsv(view: MattersArisingView): string {
  const rows: (string | number | null)[][] = [['Section', 'Minute / theme', 'Item', 'Owners / lead', 'Status', 'RAG', 'Due / submitted', 'What changed since the previous meeting']];
  for (const m of view.fromPreviousMeeting) {
    rows.push([`From the previous meeting: ${m.arrivalLabel.toLowerCase()}`, minuteOf(m, view), m.action.text, ownersText(m.action), m.action.statusLabel, ragText(m.action.rag), dueText(m.action), m.changesSince.map(describeLine).join('\n')]);
  }
  for (const r of view.reports) {
    rows.push(['Theme report', r.themeName, r.content?.progress ?? '', r.leadLabel, r.stateLabel, ragText(r.rag), longDay(r.submittedAt), '']);
  }
  for (const a of view.rolledOverMoreThanOnce) {
    rows.push(['Rolled over more than once', a.minuteRef, a.text, ownersText(a), a.statusLabel, ragText(a.rag), dueText(a), `Rolled over ${a.rolloverCount} times`]);
  }
  return toCsv(rows);
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, options: { bold?: boolean; width?: number } = {}): TableCell {
  const lines = text.split('\n');
  return new TableCell({
    borders,
    ...(options.width ? { width: { size: options.width, type: WidthType.PERCENTAGE } } : {}),
    children: lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold ?? false, size: 18 })] })),
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

const landscape = { page: { size: { orientation: PageOrientation.LANDSCAPE } } };

function pack(title: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Safer Exec',
    title,
    styles: { default: { document: { run: { font: 'Arial', size: 20 } } } },
    sections: [{ properties: landscape, children }],
  });
  return Packer.toBuffer(doc);
}

const note = (text: string) => new Paragraph({ children: [new TextRun({ text, italics: true })] });

export function actionLogDocx(actions: readonly ActionView[], asOf: LocalDate, filterDescription: string): Promise<Buffer> {
  return pack('Safer Plymouth Exec – action log', [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Safer Plymouth Exec – action log')] }),
    note(`As at ${formatLongDate(asOf)}. ${filterDescription} ${actions.length} action${actions.length === 1 ? '' : 's'}.`),
    table(
      ['Meeting', 'Minute', 'Action', 'Owners', 'Due', 'Status', 'RAG', 'Last update'],
      [9, 6, 33, 9, 9, 9, 6, 19],
      actions.map((a) => [longDate(a.meetingDate), a.minuteRef, a.text, ownersText(a), dueText(a), a.statusLabel + (a.overdue ? ' (overdue)' : ''), ragText(a.rag), lastUpdateText(a)]),
    ),
  ]);
}

export function mattersArisingDocx(view: MattersArisingView, asOf: LocalDate): Promise<Buffer> {
  const title = `Matters arising – ${view.meeting.title}, ${formatLongDate(view.meeting.date)}`;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(title)] }),
    note(`As at ${formatLongDate(asOf)}. ${view.previousMeeting ? `Actions from the meeting of ${formatLongDate(view.previousMeeting.date)}.` : 'No earlier meeting of this group.'}`),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Actions from the previous meeting')] }),
  ];
  children.push(
    view.fromPreviousMeeting.length
      ? table(
          ['Minute', 'Action', 'Owners', 'Status', 'What changed since'],
          [9, 36, 10, 12, 33],
          view.fromPreviousMeeting.map((m) => [`${minuteOf(m, view)}\n${m.arrivalLabel}`, m.action.text, ownersText(m.action), m.action.statusLabel + (m.action.overdue ? ' (overdue)' : ''), m.changesSince.map(describeLine).join('\n') || 'No change recorded']),
        )
      : note('None.'),
  );
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Theme reports')] }));
  if (view.reports.length === 0) children.push(note('No reports were requested for this meeting.'));
  for (const r of view.reports) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(`${r.themeName} (${r.leadLabel ?? 'no lead'}) – ${r.stateLabel}${r.rag ? `, ${RAG_LABELS[r.rag]}` : ''}`)] }));
    if (r.content) {
      for (const key of ['progress', 'asks', 'risks', 'data'] as const) {
        if (r.content[key]) children.push(new Paragraph({ children: [new TextRun({ text: `${REPORT_FIELD_LABELS[key]}: `, bold: true }), new TextRun(r.content[key])] }));
      }
    } else {
      children.push(note('Not received.'));
    }
  }
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Actions rolled over more than once')] }));
  children.push(
    view.rolledOverMoreThanOnce.length
      ? table(
          ['Minute', 'Action', 'Owners', 'Times rolled over', 'Status'],
          [8, 50, 14, 12, 16],
          view.rolledOverMoreThanOnce.map((a) => [a.meetingDate ? `${a.minuteRef} (${formatLongDate(a.meetingDate)})` : a.minuteRef, a.text, ownersText(a), String(a.rolloverCount), a.statusLabel]),
        )
      : note('None.'),
  );
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: 'Produced by Safer Exec', size: 16 })] }));
  return pack(title, children);
}

/** A file name that survives every browser and Windows: letters, digits, dots and hyphens. */
export function exportFileName(stem: string, asOf: LocalDate, extension: 'docx' | 'csv'): string {
  return `${stem.replace(/[^A-Za-z0-9.-]+/g, '-')}-${asOf}.${extension}`;
}
