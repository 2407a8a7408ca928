import { z } from 'zod';
import { fail, ok, type Result } from '../domain/index.js';
import type { GraphAttendanceRecord } from '../domain/attendance-report.js';
import type { AttendanceReportsPort, GraphReportSummary } from '../services/attendance-import.js';
import type { GraphRequestSpec, GraphResponse } from '../store/sharepoint/graph-client.js';

/**
 * Teams meeting attendance reports through Microsoft Graph (v1.0):
 *   GET /users/{organizerId}/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'
 *   GET /users/{organizerId}/onlineMeetings/{meetingId}/attendanceReports
 *   GET /users/{organizerId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}?$expand=attendanceRecords
 * App-only access needs OnlineMeetingArtifact.Read.All (OnlineMeetings.Read.All to find a meeting
 * by its join link) and a Teams application access policy granted to the organiser
 * (learn.microsoft.com/graph/cloud-communication-online-meeting-application-access-policy).
 * Without them Graph answers 403, which is reported in plain words, never retried.
 */

/** What the adapter needs of the Graph client: one request, answered with status and body. */
export interface GraphSender {
  send(spec: GraphRequestSpec): Promise<GraphResponse>;
}

const reportSummary = z.object({
  id: z.string().min(1),
  meetingStartDateTime: z.string().nullish(),
  meetingEndDateTime: z.string().nullish(),
  totalParticipantCount: z.number().int().nullish(),
});

const attendanceRecord = z.object({
  emailAddress: z.string().nullish(),
  identity: z.object({ displayName: z.string().nullish(), id: z.string().nullish() }).passthrough().nullish(),
  role: z.string().nullish(),
  totalAttendanceInSeconds: z.number().nullish(),
}).passthrough();

const reportList = z.object({ value: z.array(reportSummary) });
const reportWithRecords = reportSummary.extend({ attendanceRecords: z.array(attendanceRecord).default([]) });
const meetingList = z.object({ value: z.array(z.object({ id: z.string().min(1) }).passthrough()) });

const seg = (value: string) => encodeURIComponent(value);

function summaryOf(r: z.infer<typeof reportSummary>): GraphReportSummary {
  return { id: r.id, meetingStartDateTime: r.meetingStartDateTime ?? null, meetingEndDateTime: r.meetingEndDateTime ?? null, totalParticipantCount: r.totalParticipantCount ?? null };
}

function refused(status: number, what: string): Result<never> {
  if (status === 401 || status === 403) {
    return fail('ATTENDANCE.NOT_AVAILABLE', 'Teams refused to share attendance reports with Safer Exec. Until your IT administrator allows it (for them: the OnlineMeetingArtifact.Read.All permission, and an application access policy granted to the meeting\u2019s organiser), download the report from the meeting\u2019s Attendance tab and upload it.');
  }
  if (status === 404) return fail('ATTENDANCE.NOT_AVAILABLE', `Teams does not know ${what} for this organiser: only the organiser\u2019s own meetings have reports.`);
  return fail('ATTENDANCE.NOT_AVAILABLE', `Teams could not give ${what} just now (HTTP ${status}). Try again later, or upload the downloaded report.`);
}

export function graphAttendanceReports(graph: GraphSender): AttendanceReportsPort {
  const get = async (path: string) => {
    try {
      return await graph.send({ method: 'GET', path, idempotent: true });
    } catch {
      return { status: -1, headers: {}, body: undefined, attempts: 0 } satisfies GraphResponse;
    }
  };
  const unreadable = (what: string) => fail<never>('ATTENDANCE.NOT_AVAILABLE', `Teams answered with ${what} Safer Exec cannot read.`);
  return {
    async findOnlineMeeting(organizerId, joinWebUrl) {
      const filter = encodeURIComponent(`JoinWebUrl eq '${joinWebUrl.replace(/'/g, "''")}'`);
      const response = await get(`/users/${seg(organizerId)}/onlineMeetings?$filter=${filter}`);
      if (response.status !== 200) return refused(response.status, 'this meeting');
      const parsed = meetingList.safeParse(response.body);
      if (!parsed.success) return unreadable('a meeting list');
      const first = parsed.data.value[0];
      return first ? ok(first.id) : fail('ATTENDANCE.NOT_AVAILABLE', 'Teams has no meeting with this join link organised by this person.');
    },
    async listReports(organizerId, onlineMeetingId) {
      const response = await get(`/users/${seg(organizerId)}/onlineMeetings/${seg(onlineMeetingId)}/attendanceReports`);
      if (response.status !== 200) return refused(response.status, 'this meeting');
      const parsed = reportList.safeParse(response.body);
      return parsed.success ? ok(parsed.data.value.map(summaryOf)) : unreadable('a list of reports');
    },
    async getReport(organizerId, onlineMeetingId, reportId) {
      const response = await get(`/users/${seg(organizerId)}/onlineMeetings/${seg(onlineMeetingId)}/attendanceReports/${seg(reportId)}?$expand=attendanceRecords`);
      if (response.status !== 200) return refused(response.status, 'this attendance report');
      const parsed = reportWithRecords.safeParse(response.body);
      if (!parsed.success) return unreadable('a report');
      const records: GraphAttendanceRecord[] = parsed.data.attendanceRecords.map((r) => ({
        emailAddress: r.emailAddress ?? null,
        identity: r.identity ? { displayName: r.identity.displayName ?? null, id: r.identity.id ?? null } : null,
        role: r.role ?? null,
        totalAttendanceInSeconds: r.totalAttendanceInSeconds ?? null,
      }));
      return ok({ report: summaryOf(parsed.data), records });
    },
  };
}
