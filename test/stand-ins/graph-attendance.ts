import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { createCaTrustingFetch } from '../support/ca-trusting-fetch.js';
import type { FetchLike } from '../../bot/store/sharepoint/graph-client.js';

/**
 * A local stand-in for Microsoft Graph's online meeting attendance reports (v1.0), over HTTPS on
 * 127.0.0.1 with a self-signed certificate, in the documented wire format:
 *   GET /users/{userId}/onlineMeetings?$filter=JoinWebUrl eq '{url}'          (onlinemeeting-get: "value": [onlineMeeting])
 *   GET /users/{userId}/onlineMeetings/{meetingId}/attendanceReports          (meetingattendancereport-list: "value", no records)
 *   GET /users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{id}     (meetingattendancereport-get; attendanceRecords
 *       only with $expand=attendanceRecords, each with emailAddress, identity{id,displayName,tenantId}, role,
 *       totalAttendanceInSeconds and attendanceIntervals{joinDateTime,leaveDateTime,durationInSeconds})
 * App-only calls for an organiser not granted by an application access policy get 403, as Graph
 * answers them; an unknown meeting or report is 404. Errors use Graph's {"error": {code, message}}.
 */

export interface StandInAttendanceRecord {
  readonly name: string;
  readonly email: string | null;
  readonly role?: 'Organizer' | 'Presenter' | 'Attendee' | 'None';
  /** UTC instants. */
  readonly joined: string;
  readonly left: string;
}

export interface StandInReport {
  readonly id?: string;
  readonly start: string;
  readonly end: string;
  readonly records: readonly StandInAttendanceRecord[];
}

export interface StandInMeeting {
  readonly organizerId: string;
  readonly joinWebUrl: string;
  readonly reports: readonly StandInReport[];
}

export interface GraphAttendanceStandIn {
  readonly baseUrl: string;
  readonly host: string;
  readonly token: string;
  readonly fetch: FetchLike;
  readonly requests: { readonly method: string; readonly path: string; readonly status: number }[];
  /** Adds a meeting and its reports; answers the online meeting id Graph would give it. */
  addMeeting(meeting: StandInMeeting): { readonly onlineMeetingId: string; readonly reportIds: readonly string[] };
  /** The application access policy: organisers whose meetings the app may read. */
  grantPolicy(organizerId: string): void;
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; key: string }> | undefined;
function standInCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

interface Stored {
  readonly id: string;
  readonly organizerId: string;
  readonly joinWebUrl: string;
  readonly reports: (StandInReport & { readonly id: string })[];
}

const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export async function startGraphAttendanceStandIn(options: { readonly token?: string } = {}): Promise<GraphAttendanceStandIn> {
  const { cert, key } = await standInCertificate();
  const token = options.token ?? 'attendance-stand-in-token';
  const meetings = new Map<string, Stored>();
  const granted = new Set<string>();
  const requests: { method: string; path: string; status: number }[] = [];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', 'request-id': randomUUID() });
    res.end(text);
  };
  const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } } });

  const summary = (r: Stored['reports'][number]) => ({ id: r.id, totalParticipantCount: r.records.length, meetingStartDateTime: r.start, meetingEndDateTime: r.end });
  const recordJson = (r: StandInAttendanceRecord, i: number) => ({
    id: r.email ?? `anonymous-${i}`,
    emailAddress: r.email,
    totalAttendanceInSeconds: seconds(r.joined, r.left),
    role: r.role ?? 'Attendee',
    identity: { id: r.email ? randomUUID() : null, displayName: r.name, tenantId: null },
    attendanceIntervals: [{ joinDateTime: r.joined, leaveDateTime: r.left, durationInSeconds: seconds(r.joined, r.left) }],
  });

  function answer(req: IncomingMessage): { status: number; body: unknown } {
    if (req.headers.authorization !== `Bearer ${token}`) return error(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (req.method !== 'GET') return error(405, 'Request_BadRequest', 'Only GET is supported here.');
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1.0' || parts[1] !== 'users' || parts[3] !== 'onlineMeetings' || !parts[2]) return error(400, 'BadRequest', 'Resource not found for the segment.');
    const organizerId = parts[2];
    if (!granted.has(organizerId)) return error(403, 'Forbidden', 'No application access policy found for this app.');
    if (parts.length === 4) {
      const filter = /^JoinWebUrl eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
      if (!filter) return error(400, 'BadRequest', 'Filter on JoinWebUrl is required.');
      const wanted = filter[1]!.replace(/''/g, "'");
      return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/onlineMeetings', value: [...meetings.values()].filter((m) => m.organizerId === organizerId && m.joinWebUrl === wanted).map((m) => ({ id: m.id, joinWebUrl: m.joinWebUrl, subject: 'Safer Plymouth Exec' })) } };
    }
    const meeting = meetings.get(parts[4] ?? '');
    if (!meeting || meeting.organizerId !== organizerId) return error(404, 'NotFound', 'The meeting was not found.');
    if (parts[5] !== 'attendanceReports') return error(400, 'BadRequest', 'Resource not found for the segment.');
    if (parts.length === 6) return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#meetingAttendanceReports', value: meeting.reports.map(summary) } };
    const report = meeting.reports.find((r) => r.id === parts[6]);
    if (!report || parts.length > 7) return error(404, 'NotFound', 'The attendance report was not found.');
    const expand = url.searchParams.get('$expand') === 'attendanceRecords';
    return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#meetingAttendanceReports/$entity', ...summary(report), ...(expand ? { attendanceRecords: report.records.map(recordJson) } : {}) } };
  }

  const server: Server = createServer({ cert, key }, (req, res) => {
    const reply = answer(req);
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '', status: reply.status });
    send(res, reply.status, reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport = createCaTrustingFetch(cert);
  return {
    baseUrl: `${origin}/v1.0`,
    host: '127.0.0.1',
    token,
    fetch: transport.fetch,
    requests,
    addMeeting(meeting) {
      // Graph's online meeting ids are opaque base64-like strings.
      const id = `MSo${Buffer.from(randomUUID()).toString('base64url')}`;
      const reports = meeting.reports.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
      meetings.set(id, { id, organizerId: meeting.organizerId, joinWebUrl: meeting.joinWebUrl, reports });
      return { onlineMeetingId: id, reportIds: reports.map((r) => r.id) };
    },
    grantPolicy(organizerId) {
      granted.add(organizerId);
    },
    async close() {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
