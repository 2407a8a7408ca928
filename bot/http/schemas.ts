import { z } from 'zod';
import { ACTION_SORTS } from '../services/action-log.js';
import { ACTION_STATUSES, GROUP_KINDS, MEETING_KINDS, MEMBERSHIP_ROLES, RESPONSIBLE_AUTHORITY_KINDS, isLocalDate } from '../domain/index.js';

/** Every body and query the tab API accepts, in one place. Unknown fields are refused, not ignored. */
const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9:_.-]+$/, 'must be an id (letters, digits, : _ . -)');
const localDate = z.string().refine(isLocalDate, 'must be a real date, YYYY-MM-DD');
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const owner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), memberId: id }).strict(),
  z.object({ kind: z.literal('group'), groupId: id }).strict(),
]);
const due = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: localDate }).strict(),
  z.object({ kind: z.literal('next-meeting') }).strict(),
]);

export const actionChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('set-status'), status: z.enum(ACTION_STATUSES), note: text(2000).optional() }).strict(),
  z.object({ kind: z.literal('add-note'), note: text(2000) }).strict(),
  z.object({ kind: z.literal('request-date-change'), proposedDate: localDate, reason: text(2000) }).strict(),
  z.object({ kind: z.literal('decide-date-change'), approve: z.boolean(), note: text(2000).optional() }).strict(),
  z.object({ kind: z.literal('set-owners'), owners: z.array(owner).max(10) }).strict(),
  z.object({ kind: z.literal('set-due'), due }).strict(),
  z.object({ kind: z.literal('edit-text'), text: text(2000) }).strict(),
  z.object({ kind: z.literal('defer'), note: text(2000).optional() }).strict(),
]);

export const actionChangeBody = z
  .object({
    version: z.string().min(1).max(200),
    changeId: z.string().regex(/^[A-Za-z0-9:_-]{8,100}$/, 'must be 8-100 letters, digits, : _ or -'),
    change: actionChangeSchema,
  })
  .strict();

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const actionLogQuery = z
  .object({
    owner: id.optional(),
    ownerGroup: id.optional(),
    theme: id.optional(),
    meeting: id.optional(),
    status: csv(ACTION_STATUSES).optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    q: text(200).optional(),
    sort: z.enum(ACTION_SORTS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export const meetingsQuery = z.object({ group: id.optional() }).strict();

export const membershipFields = z
  .object({
    groupId: id,
    memberId: id,
    role: z.enum(MEMBERSHIP_ROLES),
    decisionMaker: z.boolean(),
    deputyForMemberId: id.nullable(),
    startDate: localDate,
    endDate: localDate.nullable(),
  })
  .strict();

export const createMembershipBody = membershipFields.extend({ membershipId: id.optional() }).strict();
export const updateMembershipBody = membershipFields.extend({ version: z.string().min(1).max(200) }).strict();

const MAX_ISSUES = 10;
const MAX_ISSUE_LENGTH = 200;

/**
 * "status: must be one of ..." lines a person can act on. At most ten, each cut short: an
 * unknown field's name is quoted in its line, and a 200 KB name must not come back whole.
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, MAX_ISSUES).map((i) => {
    const line = `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`;
    return line.length <= MAX_ISSUE_LENGTH ? line : `${line.slice(0, MAX_ISSUE_LENGTH - 1)}…`;
  });
}

/** The same filters as the log, for an export of all of it: no paging. */
export const actionExportQuery = actionLogQuery.omit({ limit: true, offset: true }).strict();

export const mattersArisingQuery = z.object({ meeting: id }).strict();

export const governanceQuery = z
  .object({ meetings: z.coerce.number().int().min(1, 'must be at least 1').max(12, 'must be at most 12').optional() })
  .strict();

export const attendanceQuery = z.object({ group: id.optional() }).strict();

/**
 * A create may carry the client's own request id: the record's id is made from it, so a resent
 * create (a double click, a retry after a timeout) finds the record instead of making a second.
 */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -');
const version = z.string().min(1).max(200);
const nullableText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullable();

export const createMemberBody = z
  .object({
    name: text(200),
    initials: z.string().regex(/^[A-Za-z]{1,4}$/, 'must be 1 to 4 letters, as the minutes print them'),
    jobTitle: text(200).optional(),
    organisationId: id.nullable().optional(),
    email: text(320).nullable().optional(),
    aadObjectId: text(64).nullable().optional(),
    otherInitials: z.array(z.string().regex(/^[A-Za-z]{1,4}$/, 'must be 1 to 4 letters')).max(4).optional(),
    teamsUserId: text(200).nullable().optional(),
    requestId: requestId.optional(),
  })
  .strict();
export const updateMemberBody = createMemberBody.omit({ requestId: true }).extend({ version }).strict();

export const organisationBody = z.object({ name: text(200), authorityKind: z.enum(RESPONSIBLE_AUTHORITY_KINDS).nullable(), requestId: requestId.optional() }).strict();
export const updateOrganisationBody = organisationBody.omit({ requestId: true }).extend({ version }).strict();

export const themeBody = z
  .object({
    name: text(200),
    leadMemberIds: z.array(id).max(4),
    leadNote: nullableText(500).optional(),
    priorityNumber: z.number().int().min(1).max(99).nullable().optional(),
    requestId: requestId.optional(),
  })
  .strict();
export const updateThemeBody = themeBody.omit({ requestId: true }).extend({ version, activeUntil: localDate.nullable().optional() }).strict();

export const groupBody = z
  .object({
    name: text(200),
    kind: z.enum(GROUP_KINDS),
    parentGroupId: id.nullable().optional(),
    themeId: id.nullable().optional(),
    remindVia: z.enum(['members', 'chair']).optional(),
    requestId: requestId.optional(),
  })
  .strict();
export const updateGroupBody = groupBody.omit({ requestId: true }).extend({ version }).strict();

export const endMembershipBody = z.object({ version, endDate: localDate.optional() }).strict();

const agendaItem = z.object({ minute: text(20), title: text(200) }).strict();
const meetingPlanFields = {
  date: localDate,
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time, HH:MM').nullable().optional(),
  title: text(200).optional(),
  kind: z.enum(MEETING_KINDS).optional(),
  paperDeadline: localDate.nullable().optional(),
  agenda: z.array(agendaItem).max(60).optional(),
};
export const createMeetingBody = z.object({ groupId: id, ...meetingPlanFields, requestId: requestId.optional() }).strict();
export const updateMeetingBody = z.object({ version, ...meetingPlanFields }).strict();
export const cancelMeetingBody = z.object({ version, reason: text(500) }).strict();
export const attendanceBody = z
  .object({
    version,
    attendeeIds: z.array(id).max(200),
    apologyIds: z.array(id).max(200),
    substitutes: z.array(z.object({ name: text(200), organisationId: id.nullable(), forMemberId: id.nullable() }).strict()).max(50).optional(),
  })
  .strict();
export const heldBody = z.object({ version }).strict();

export const createActionBody = z
  .object({
    meetingId: id,
    minuteRef: text(20),
    text: text(2000),
    owners: z.array(owner).max(10),
    due,
    themeId: id.nullable().optional(),
    requestId: requestId.optional(),
  })
  .strict();
