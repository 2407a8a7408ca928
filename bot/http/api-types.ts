import type { DomainError, DomainErrorCode } from '../domain/index.js';

/** A transport-neutral request: what a route handler may look at, and nothing more. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string | undefined;
}

export interface ApiResponse {
  readonly status: number;
  /** Sent as JSON, unless `file` is set. */
  readonly body: unknown;
  /** A download (an export): sent as these bytes with this type, as an attachment named `fileName`. */
  readonly file?: { readonly contentType: string; readonly fileName: string; readonly bytes: Buffer };
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

/**
 * The most bytes one character of a string can take in a JSON body: UTF-8 needs up to 3 for a
 * character such as “, é or —, and JSON.stringify writes a control character (Word's line
 * break, U+000B) or a lone surrogate as a 6-byte \uXXXX escape. A route that states its limit in
 * characters sizes its body limit with this, so any text within the limit arrives.
 */
export const JSON_MAX_BYTES_PER_CHAR = 6;

/** One route of the tab and admin APIs, as the server registers it. */
export interface Route {
  readonly method: 'get' | 'post' | 'put';
  readonly path: string;
  readonly handler: ApiHandler;
  /**
   * A route whose body may be larger than the server's default limit (an import): the most it
   * reads, and what to tell the person above that, in the words of the limit they can see.
   */
  readonly body?: { readonly maxBytes: number; readonly tooLarge: string };
}

const STATUS_BY_CODE: Partial<Record<DomainErrorCode, number>> = {
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'ACTION.FORBIDDEN': 403,
  'MEMBERSHIP.FORBIDDEN': 403,
  'REPORT.FORBIDDEN': 403,
  'MEETING.FORBIDDEN': 403,
  'MEMBER.FORBIDDEN': 403,
  'ORGANISATION.NOT_FOUND': 404,
  'THEME.NOT_FOUND': 404,
  'MEETING.NOT_OPEN': 409,
  'SETUP.ALREADY_DONE': 409,
  'ACTION.NOT_FOUND': 404,
  'MEMBER.NOT_FOUND': 404,
  'GROUP.NOT_FOUND': 404,
  'MEETING.NOT_FOUND': 404,
  'MEMBERSHIP.NOT_FOUND': 404,
  'REPORT.NOT_FOUND': 404,
  'STORE.NOT_FOUND': 404,
  'STORE.CONFLICT': 409,
  'STORE.DUPLICATE': 409,
  'REPORT.LOCKED': 409,
  'REQUEST.INVALID': 400,
  'ATTENDANCE.NOT_AVAILABLE': 404,
  // LibreOffice missing or too slow is the server's state, not the request's: try later or use the Word pack.
  'PDF.UNAVAILABLE': 503,
  'PDF.TIMED_OUT': 503,
  'PDF.FAILED': 502,
};

export function errorResponse(error: DomainError): ApiResponse {
  // Rule violations on a well-formed request (a closed action's date, an empty note) are 422.
  return { status: STATUS_BY_CODE[error.code] ?? 422, body: { error: { code: error.code, message: error.message } } };
}

export function invalidRequest(message: string, issues?: readonly string[]): ApiResponse {
  return { status: 400, body: { error: { code: 'REQUEST.INVALID', message, ...(issues?.length ? { issues } : {}) } } };
}
