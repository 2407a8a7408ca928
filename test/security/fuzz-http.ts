/**
 * Sending fuzz cases to the running app and judging its answers. Requests go out through
 * node:http, not fetch: fetch normalises paths (`/a/../b`), refuses some header values and
 * always labels a body, and the point here is to send exactly the bytes a hostile client would.
 */
import { Agent, request } from 'node:http';
import type { Store } from '../../bot/store/store.js';

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface FuzzResponse {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

export interface FuzzCase {
  /** Names the case in a failure report: generator and index, never the (possibly 1 MB) input. */
  readonly label: string;
  readonly request: FuzzRequest;
  /** The largest string in the input, to judge whether an error answer echoes it. */
  readonly inputSize?: number;
}

export interface Failure {
  readonly label: string;
  readonly problem: string;
}

export function httpClient(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (req: FuzzRequest): Promise<FuzzResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      const headers: Record<string, string | number> = { ...req.headers };
      if (body !== undefined) headers['content-length'] = body.length;
      const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      });
      // The server may answer (413, 415) and close before a large body is all written.
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start. */
export async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

const APP_ERROR_CODE = /^[A-Z]+(\.[A-Z_]+)+$/;
/** An error answer may quote a field name or an id, never a large part of the input. */
export const MAX_ERROR_BODY = 4096;

/** A message a person can act on: a sentence, not a stack trace, an object dump or an internal name. */
export function actionableMessageProblem(message: unknown): string | null {
  if (typeof message !== 'string') return 'has no message';
  if (message.length < 10 || message.length > 400) return `message length ${message.length}`;
  if (!/[a-z]{3}/.test(message)) return 'message has no words';
  if (/\bat .+:\d+:\d+\)?|\[object Object\]|\bundefined\b|TypeError|ReferenceError|RangeError|SyntaxError|ECONN|Unexpected token/.test(message)) {
    return `message reads like an internal error: ${JSON.stringify(message.slice(0, 120))}`;
  }
  return null;
}

/**
 * What every answer must be: never a 5xx; a 4xx in the app's error shape
 * `{ error: { code, message, issues? } }` (or, for a refused invoke, the Teams invoke error
 * `{ statusCode, type: 'application/vnd.microsoft.error', value: { code, message } }`),
 * small, and with a message a person can act on.
 */
export function answerProblems(response: FuzzResponse): string[] {
  const problems: string[] = [];
  if (response.status >= 500 || response.status < 100) problems.push(`status ${response.status}`);
  if (response.status < 400 || response.status >= 500) return problems;
  if (response.text.length > MAX_ERROR_BODY) problems.push(`error body of ${response.text.length} characters`);
  const body = response.json as Record<string, any> | undefined;
  if (!body || typeof body !== 'object') return [...problems, `error body is not JSON: ${JSON.stringify(response.text.slice(0, 80))}`];
  if (body['type'] === 'application/vnd.microsoft.error') {
    if (body['statusCode'] !== response.status) problems.push('invoke error statusCode differs from the HTTP status');
    if (typeof body['value']?.code !== 'string') problems.push('invoke error has no code');
    const message = actionableMessageProblem(body['value']?.message);
    if (message) problems.push(`invoke error ${message}`);
    return problems;
  }
  const error = body['error'];
  if (!error || typeof error !== 'object') return [...problems, `no error object in ${JSON.stringify(response.text.slice(0, 80))}`];
  if (typeof error.code !== 'string' || !APP_ERROR_CODE.test(error.code)) problems.push(`error code ${JSON.stringify(error.code)}`);
  const message = actionableMessageProblem(error.message);
  if (message) problems.push(message);
  if (error.issues !== undefined) {
    if (!Array.isArray(error.issues) || error.issues.length > 10) problems.push('issues is not a list of at most 10');
    else if (error.issues.some((i: unknown) => typeof i !== 'string' || i.length > 200)) problems.push('an issue is not a short line');
  }
  return problems;
}

/** Every record in every record set, versions included: what "the store is unchanged" compares. */
export async function snapshotStore(store: Store): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, set] of Object.entries(store) as [string, unknown][]) {
    const recordSet = set as { all?: (query: object) => Promise<unknown[]> };
    if (recordSet && typeof recordSet.all === 'function') snapshot[name] = await recordSet.all({});
  }
  return snapshot;
}
