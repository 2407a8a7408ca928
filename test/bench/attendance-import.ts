import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReportBytes, parseAttendanceReport } from '../../bot/domain/attendance-report.js';
import type { Result } from '../../bot/domain/index.js';
import { proposeAttendance, previewAttendanceImport } from '../../bot/services/attendance-import.js';
import { addOrganisation, addPerson } from '../../bot/services/board-records.js';
import { EXEC_GROUP_ID, loadDirectory } from '../../bot/services/directory.js';
import { scheduleMeeting, type Editor } from '../../bot/services/meetings.js';
import { createMembership } from '../../bot/services/memberships.js';
import { setUpBoard } from '../../bot/services/setup.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { teamsAttendanceReport, utf16leWithBom, type ReportPerson } from '../support/teams-attendance-reports.js';
import { benchInitials } from './bench-board.js';
import { median, percentile, round } from './bench-stats.js';

/**
 * Importing a Teams attendance report of `rows` participants into a meeting of a board with
 * `members` members, on SQLite: the download as Teams writes it (UTF-16 LE, tab-separated, with
 * its in-meeting activities section), decoded and parsed; matched and proposed; and the whole
 * preview as the route runs it (directory read included). Nothing is saved by a preview.
 */
const SCHEDULED_AT = new Date('2026-03-02T10:00:00Z');
const MEETING_DAY = '2026-03-10';
const PREVIEW_AT = new Date('2026-03-10T15:00:00Z');

function must<T>(result: Result<T>, doing: string): T {
  if (!result.ok) throw new Error(`attendance-import bench: ${doing} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export async function benchAttendanceImport(options: { rows: number; members: number; runs: number }): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'safer-exec-bench-attendance-'));
  const store = new SqliteStore({ filename: join(dir, 'bench.db') });
  try {
    const setup = must(await setUpBoard(store, { groupName: 'Bench Exec', secretariatName: 'Bench secretariat', secretariatInitials: 'ZS', secretariatEmail: 'secretariat@example.org', secretariatAadObjectId: null }, SCHEDULED_AT), 'set-up');
    const editor: Editor = { memberId: setup.memberId, now: SCHEDULED_AT };
    const organisations = 10;
    for (let o = 0; o < organisations; o++) must(await addOrganisation(store, editor, { name: `Partner agency ${o}`, authorityKind: null }, `org-bench-${o}`), 'adding an organisation');
    const people: ReportPerson[] = [];
    for (let i = 0; i < options.members; i++) {
      const email = `member.${i}@partner-${i % organisations}.example`;
      const name = `Bench Member ${i}`;
      must(await addPerson(store, editor, { name, initials: benchInitials('Q', i), jobTitle: 'Exec member', organisationId: `org-bench-${i % organisations}`, email, entraObjectId: null }, `mem-bench-att-${i}`), 'adding a person');
      must(await createMembership(store, setup.memberId, { groupId: EXEC_GROUP_ID, memberId: `mem-bench-att-${i}`, role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-03-02', endDate: null }, `ms-bench-att-${i}`, SCHEDULED_AT), 'adding a membership');
      // Nine in ten attend; every third of those signs in with an address the list does not hold (matched by name).
      if (i % 10 !== 9) people.push({ name, email: i % 3 === 0 ? `m${i}@elsewhere.example` : email, minutes: 60 + (i % 30) });
    }
    for (let g = 0; people.length < options.rows; g++) people.push({ name: `Guest Person ${g}`, email: `guest.${g}@partner-${g % (organisations + 5)}.example`, minutes: 20 + (g % 60) });
    must(await scheduleMeeting(store, editor, { groupId: EXEC_GROUP_ID, date: MEETING_DAY, startTime: '10:00' }, 'mtg-bench-attendance'), 'scheduling');
    const bytes = utf16leWithBom(teamsAttendanceReport({ date: MEETING_DAY, locale: 'en-GB', people }));
    const base64Chars = bytes.toString('base64').length;

    const parseMs: number[] = [];
    const proposeMs: number[] = [];
    const previewMs: number[] = [];
    const directory = await loadDirectory(store);
    const meeting = directory.meetings.find((m) => m.id === 'mtg-bench-attendance')!;
    let summary = '';
    for (let run = 0; run < options.runs; run++) {
      let t = performance.now();
      const report = must(parseAttendanceReport(must(decodeReportBytes(bytes), 'decoding')), 'parsing');
      parseMs.push(performance.now() - t);
      t = performance.now();
      const proposal = proposeAttendance(report, meeting, directory, null);
      proposeMs.push(performance.now() - t);
      t = performance.now();
      const preview = must(await previewAttendanceImport(store, { memberId: setup.memberId, now: PREVIEW_AT }, 'mtg-bench-attendance', { kind: 'file', bytes }, null), 'previewing');
      previewMs.push(performance.now() - t);
      summary = `${preview.present.length} present, ${preview.absent.length} absent, ${preview.substitutes.length} not members (${proposal.substitutes.filter((s) => s.organisationId).length} with an organisation proposed)`;
    }
    const row = (step: string, ms: number[]) => ({ step, 'median ms': round(median(ms), 2), 'p95 ms': round(percentile(ms, 95), 2), runs: ms.length });
    return [
      row(`decode + parse (${options.rows} rows, ${round(bytes.length / 1024, 0)} KB UTF-16, ${round(base64Chars / 1024, 0)} KB as base64)`, parseMs),
      row(`match + propose (${options.members} members)`, proposeMs),
      row(`whole preview, store read included: ${summary}`, previewMs),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
