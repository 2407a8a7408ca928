import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  Client,
  ResponseType,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { noteStoreWait, reportsStoreWaits } from '../wait-budget.js';

/** Returns a bearer token for Microsoft Graph (its scope follows the Graph host: see graphScopeFor). */
export type TokenProvider = () => Promise<string>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const SAFER_EXEC_VERSION = '0.1.0';
/**
 * SharePoint asks callers to decorate traffic with `NONISV|<Company>|<App>/<version>` so throttling
 * and support can tell apps apart
 * (learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online).
 */
export const DEFAULT_USER_AGENT = `NONISV|SaferPlymouth|SaferExec/${SAFER_EXEC_VERSION}`;

export interface RetryPolicy {
  /** Total tries per request, the first included. */
  readonly maxAttempts?: number;
  /** Never wait longer than this between tries, whatever Retry-After says. */
  readonly maxDelayMs?: number;
  /** Backoff base when a throttled response has no Retry-After. */
  readonly baseDelayMs?: number;
  /** Injected so tests can check the waits without spending them. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface GraphSiteClientOptions {
  /** Graph root with its version, e.g. https://graph.microsoft.com/v1.0 */
  readonly baseUrl: string;
  readonly siteId: string;
  readonly getToken: TokenProvider;
  /**
   * Hosts other than Graph's own that may receive the bearer token. The library strips
   * `Authorization` for any other host, and only treats `https://` URLs as absolute. The host of
   * `baseUrl` is always added: GRAPH_BASE_URL on any https host (a national cloud, a proxy) works.
   */
  readonly customHosts?: readonly string[];
  readonly userAgent?: string;
  readonly retry?: RetryPolicy;
  /** Abort a single try after this long (then retried if the request is idempotent). */
  readonly timeoutMs?: number;
  /**
   * The transport at the end of the middleware chain: global fetch in production. Tests pass a
   * fetch that trusts the stand-in's self-signed certificate; everything above it is the same.
   */
  readonly fetch?: FetchLike;
}

export interface GraphRequestSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root ('/sites/...'), or an absolute https nextLink. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Safe to send twice: a GET, or a write the server cannot apply twice (If-Match, a unique
   * column). Only these are retried after a timeout, a dropped connection, 502 or 504.
   */
  readonly idempotent: boolean;
}

export interface GraphResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** How many tries it took: a write that needed more than one may have landed on an earlier try. */
  readonly attempts: number;
}

export interface BatchPart {
  readonly method: GraphRequestSpec['method'];
  /** Relative to the version root: '/sites/...'. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Graph's JSON batch takes at most 20 requests (learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_SIZE = 20;

/** A failure that is not an expected store outcome: Graph kept refusing, or answered nonsense. */
export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

const THROTTLED = new Set([429, 503]);
const TRANSIENT = new Set([502, 504]);

/** Sets the headers SharePoint asks for on every request, and a correlation id we can log. */
class SaferExecHeadersHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly userAgent: string) {}
  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = (options.headers ??= {}) as Record<string, string>;
    headers['User-Agent'] = this.userAgent;
    headers['client-request-id'] ??= randomUUID();
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The end of the chain: one try over the given fetch, bounded by a timeout. */
class TransportHandler implements Middleware {
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly timeoutMs: number,
  ) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const { [TRANSPORT_FAILURE]: slot, ...init } = (context.options ?? {}) as RequestInit & { [TRANSPORT_FAILURE]?: FailureSlot };
    try {
      context.response = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if (slot) slot.error = error;
      throw error;
    }
  }
}

/**
 * Where the transport leaves a failed fetch for `send`: the Graph client wraps it in a GraphError
 * that keeps only its name, and the cause (a TLS code, ECONNREFUSED) is what a person can act on.
 */
const TRANSPORT_FAILURE = 'saferExecTransportFailure';
interface FailureSlot {
  error?: unknown;
}

function splitBaseUrl(baseUrl: string): { host: string; version: string } {
  const url = new URL(baseUrl);
  // The Graph client sends the token only over https and only treats https links as absolute.
  if (url.protocol !== 'https:') throw new Error(`GRAPH_BASE_URL must be an https:// address (it is ${url.protocol}//${url.host}).`);
  const version = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!version) throw new Error('GRAPH_BASE_URL must include the API version, e.g. https://graph.microsoft.com/v1.0');
  return { host: url.origin, version };
}

function headersToRecord(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The Graph error code and message from an error body, without echoing anything else. */
export function graphError(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : '',
  };
}

/**
 * A thin, site-scoped wrapper over the Graph client: every call returns status, headers and body
 * (RAW responses) so the store decides what a 404, 409 or 412 means, and retries live here where
 * the number of tries is known.
 */
export class GraphSiteClient {
  readonly client: Client;
  readonly siteId: string;
  /** host[:port] of GRAPH_BASE_URL, named in transport failures (never a path or a token). */
  readonly graphHost: string;
  /** GRAPH_BASE_URL without a trailing slash: what a batch part's URL is relative to. */
  private readonly root: string;
  private readonly retry: Required<RetryPolicy>;

  constructor(options: GraphSiteClientOptions) {
    const { host, version } = splitBaseUrl(options.baseUrl);
    this.siteId = options.siteId;
    this.graphHost = new URL(options.baseUrl).host;
    this.root = `${host}/${version}`;
    this.retry = {
      maxAttempts: options.retry?.maxAttempts ?? 6,
      maxDelayMs: options.retry?.maxDelayMs ?? 60_000,
      baseDelayMs: options.retry?.baseDelayMs ?? 500,
      sleep: options.retry?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    // A wait longer than the person behind this request has left is said before it starts, so a
    // card press can answer now and let this request finish in the background (bot/store/wait-budget.ts).
    const sleep = this.retry.sleep;
    this.retry = { ...this.retry, sleep: (ms) => (noteStoreWait(ms), sleep(ms)) };
    reportsStoreWaits();
    const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
    // Our own chain rather than the default one: the default RetryHandler also retries
    // non-idempotent requests after a 504 and hides how many tries a write took.
    const middleware: Middleware[] = [
      new AuthenticationHandler({ getAccessToken: () => options.getToken() }),
      new TelemetryHandler(),
      new SaferExecHeadersHandler(options.userAgent ?? DEFAULT_USER_AGENT),
      new TransportHandler(fetchImpl, options.timeoutMs ?? 30_000),
    ];
    this.client = Client.initWithMiddleware({
      middleware,
      baseUrl: host,
      defaultVersion: version,
      customHosts: new Set([new URL(options.baseUrl).hostname, ...(options.customHosts ?? [])]),
    });
  }

  /** '/sites/{site-id}/' + rest */
  sitePath(rest: string): string {
    return `/sites/${this.siteId}/${rest.replace(/^\/+/, '')}`;
  }

  /**
   * The URL a batch part takes for a path or a link Graph gave (a deltaLink, a nextLink): relative
   * to the version root, without the version ("/sites/..."), as JSON batching requires. Undefined
   * for a link on another host or version, which is then sent on its own.
   */
  batchUrl(pathOrLink: string): string | undefined {
    if (pathOrLink.startsWith('/')) return pathOrLink;
    return pathOrLink.startsWith(`${this.root}/`) ? pathOrLink.slice(this.root.length) : undefined;
  }

  async send(spec: GraphRequestSpec): Promise<GraphResponse> {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      let response: Response | undefined;
      try {
        response = await this.once(spec);
      } catch (error) {
        // A certificate that does not check out will not check out on a second try either.
        if (!spec.idempotent || last || tlsErrorCode(error)) throw transportFailure(error, this.graphHost);
        await this.retry.sleep(this.backoff(attempt));
        continue;
      }
      const retryable = THROTTLED.has(response.status) || (spec.idempotent && TRANSIENT.has(response.status));
      if (retryable && !last) {
        const headers = headersToRecord(response.headers);
        await response.arrayBuffer().catch(() => undefined);
        await this.retry.sleep(this.delayFor(headers['retry-after'], attempt));
        continue;
      }
      return { status: response.status, headers: headersToRecord(response.headers), body: await readBody(response), attempts: attempt };
    }
  }

  /**
   * Sends up to 20 requests as one JSON batch (one HTTP request). Each part still counts
   * separately against SharePoint's throttling and is answered with its own status, in any order:
   * parts answered 429/503 (and GETs answered 502/504) are sent again, alone or in a smaller
   * batch, after the longest Retry-After among them; the others are not. Answers are returned in
   * request order, matched by id.
   */
  async batch(parts: readonly BatchPart[]): Promise<GraphResponse[]> {
    if (parts.length > MAX_BATCH_SIZE) throw new Error(`A Graph batch holds at most ${MAX_BATCH_SIZE} requests.`);
    const results: (GraphResponse | undefined)[] = parts.map(() => undefined);
    let pending = parts.map((_, i) => i);
    for (let round = 1; pending.length > 0; round++) {
      const response = await this.send({
        method: 'POST',
        path: '/$batch',
        idempotent: true,
        body: {
          requests: pending.map((i) => {
            const part = parts[i]!;
            const headers = { ...(part.headers ?? {}), ...(part.body !== undefined ? { 'Content-Type': 'application/json' } : {}) };
            return { id: String(i), method: part.method, url: part.url, ...(Object.keys(headers).length ? { headers } : {}), ...(part.body !== undefined ? { body: part.body } : {}) };
          }),
        },
      });
      if (response.status !== 200) {
        const { code } = graphError(response.body);
        throw new GraphRequestError(response.status, code, `Graph refused a batch (HTTP ${response.status}, ${code}).`);
      }
      const answers = (response.body as { responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[] }).responses ?? [];
      let wait = 0;
      const again: number[] = [];
      for (const answer of answers) {
        const index = Number(answer.id);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = value;
        if (!pending.includes(index) || results[index] !== undefined) continue;
        const retryable = THROTTLED.has(answer.status) || (parts[index]!.method === 'GET' && TRANSIENT.has(answer.status));
        if (retryable && round < this.retry.maxAttempts) {
          again.push(index);
          wait = Math.max(wait, this.delayFor(headers['retry-after'], round));
          continue;
        }
        results[index] = { status: answer.status, headers, body: answer.body, attempts: round };
      }
      const missing = pending.filter((i) => results[i] === undefined && !again.includes(i));
      if (missing.length) throw new GraphRequestError(502, 'batchIncomplete', 'Graph answered a batch without some of its parts.');
      pending = again;
      if (pending.length) await this.retry.sleep(wait);
    }
    return results as GraphResponse[];
  }

  private async once(spec: GraphRequestSpec): Promise<Response> {
    const slot: FailureSlot = {};
    let request = this.client.api(spec.path).responseType(ResponseType.RAW).option(TRANSPORT_FAILURE, slot);
    if (spec.headers) request = request.headers({ ...spec.headers });
    try {
      switch (spec.method) {
        case 'GET':
          return (await request.get()) as Response;
        case 'POST':
          return (await request.post(spec.body ?? {})) as Response;
        case 'PATCH':
          return (await request.patch(spec.body ?? {})) as Response;
        case 'DELETE':
          return (await request.delete()) as Response;
      }
    } catch (error) {
      throw slot.error ?? error;
    }
  }

  private delayFor(retryAfter: string | undefined, attempt: number): number {
    const asked = retryAfterMs(retryAfter);
    return Math.min(asked ?? this.backoff(attempt), this.retry.maxDelayMs);
  }

  /** Exponential backoff with full jitter, for failures that name no wait. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Node's TLS verification failures (OpenSSL codes, plus Node's host-name check). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The error code of a failed fetch, looking through undici's `cause` chain. */
function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

export function tlsErrorCode(error: unknown): string | undefined {
  const code = causeCode(error);
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) ? code : undefined;
}

/** Says what failed (the host, the TLS or network error code), never the request or the token. */
function transportFailure(error: unknown, host: string): GraphRequestError {
  const tls = tlsErrorCode(error);
  if (tls) {
    return new GraphRequestError(-1, 'tlsFailure', `Graph at ${host} could not be reached: its TLS certificate was not accepted (${tls}). Check GRAPH_BASE_URL names the right host, and that its certificate is trusted (NODE_EXTRA_CA_CERTS for a private CA).`);
  }
  const code = causeCode(error) ?? (error as { name?: string } | undefined)?.name ?? 'Error';
  return new GraphRequestError(-1, 'transportFailure', `Graph at ${host} could not be reached (${code}).`);
}

export function createGraphSiteClient(options: GraphSiteClientOptions): GraphSiteClient {
  return new GraphSiteClient(options);
}
