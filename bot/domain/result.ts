/**
 * Expected failures are values with stable codes (ACTION.NOT_FOUND, ...), so the
 * HTTP and Teams adapters can map them to a status and a message without parsing text.
 */
export type DomainErrorCode =
  | 'ACTION.NOT_FOUND'
  | 'ACTION.FORBIDDEN'
  | 'ACTION.INVALID_TRANSITION'
  | 'ACTION.INVALID_CHANGE'
  | 'ACTION.NO_DATE_CHANGE_PENDING'
  | 'MEMBER.NOT_FOUND'
  | 'GROUP.NOT_FOUND'
  | 'MEETING.NOT_FOUND'
  | 'MEETING.INVALID'
  | 'MEETING.FORBIDDEN'
  | 'MEETING.NOT_OPEN'
  | 'MEMBER.INVALID'
  | 'MEMBER.FORBIDDEN'
  | 'ORGANISATION.NOT_FOUND'
  | 'ORGANISATION.INVALID'
  | 'THEME.NOT_FOUND'
  | 'THEME.INVALID'
  | 'SETUP.ALREADY_DONE'
  | 'ROSTER.UNAVAILABLE'
  | 'ROSTER.NO_TEAM_INSTALL'
  | 'ROSTER.NOT_IN_TEAM'
  | 'MEMBERSHIP.NOT_FOUND'
  | 'MEMBERSHIP.FORBIDDEN'
  | 'MEMBERSHIP.INVALID'
  | 'REPORT.NOT_FOUND'
  | 'REPORT.FORBIDDEN'
  | 'REPORT.LOCKED'
  | 'REPORT.INVALID'
  | 'STORE.CONFLICT'
  | 'STORE.NOT_FOUND'
  | 'STORE.DUPLICATE'
  | 'ATTENDANCE.UNREADABLE'
  | 'ATTENDANCE.OTHER_MEETING'
  | 'ATTENDANCE.NOT_AVAILABLE'
  | 'PDF.UNAVAILABLE'
  | 'PDF.TIMED_OUT'
  | 'PDF.FAILED'
  | 'REQUEST.INVALID'
  | 'AUTH.UNAUTHENTICATED'
  | 'AUTH.FORBIDDEN';

export interface DomainError {
  readonly code: DomainErrorCode;
  /** Safe to show to the person who asked: never contains record contents of others. */
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: DomainErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
});
