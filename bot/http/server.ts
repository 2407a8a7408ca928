import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import restify from 'restify';
import type { Request, Response } from 'restify';
import type { Logger } from '../observability/logger.js';
import type { BotEndpoint } from '../teams/bot-endpoint.js';
import type { ApiRequest, ApiResponse } from './api-types.js';
import { invalidRequest } from './api-types.js';
import { serveTab } from './static-tab.js';
import type { Route } from './api-types.js';


export interface ServerDependencies {
  readonly routes: readonly Route[];
  readonly bot: BotEndpoint;
  readonly tabDistDir: string;
  readonly logger: Logger;
  readonly health: () => Promise<{ ok: boolean; store: string }>;
}

export const MAX_BODY_BYTES = 256 * 1024;

const refuse = (res: Response, status: number, message: string) => res.send(status, { error: { code: 'REQUEST.INVALID', message } });

/**
 * Every body this server reads is JSON, sent as it is. restify's bodyParser would also take
 * multipart uploads (written to temp files, past the size limit) and gzip (inflated without
 * a limit, so a 200 KB request becomes 200 MB): neither gets that far.
 */
function jsonBodiesOnly(req: Request, res: Response, next: (proceed?: false) => void): void {
  const hasBody = req.isChunked() || req.getContentLength() > 0;
  if (!hasBody) return next();
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && String(encoding).trim().toLowerCase() !== 'identity') {
    refuse(res, 415, 'Send the body uncompressed: Content-Encoding is not accepted.');
    return next(false);
  }
  const type = req.contentType();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    refuse(res, 415, 'Send the body as application/json.');
    return next(false);
  }
  return next();
}

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${String(path)}`;

/**
 * The routes that take more than the default body (imports of pasted minutes or a Teams report)
 * read it here with their own limit; restify's reader then sees it was read and leaves it. `use`
 * runs after routing, so the matched route is known before a byte of the body is read.
 */
function largerBodies(routes: readonly Route[]) {
  const byRoute = new Map(
    routes
      .filter((r) => r.body !== undefined && r.body.maxBytes > MAX_BODY_BYTES)
      .map((r) => [routeKey(r.method, r.path), { limit: r.body!, parse: restify.plugins.bodyParser({ mapParams: false, maxBodySize: r.body!.maxBytes, rejectUnknown: true }) }] as const),
  );
  const of = (req: Request) => {
    const route = req.getRoute() as { method?: string; path?: string } | undefined;
    return route?.method && route.path !== undefined ? byRoute.get(routeKey(route.method, route.path)) : undefined;
  };
  const read = (req: Request, res: Response, next: (error?: unknown) => void): void => {
    const own = of(req);
    if (!own) return next();
    const [readBody, parseBody] = own.parse as unknown as [restify.RequestHandler, restify.RequestHandler];
    readBody(req, res, ((error?: unknown) => (error !== undefined && error !== null ? next(error) : parseBody(req, res, next as restify.Next))) as restify.Next);
  };
  return { read, tooLarge: (req: Request) => of(req)?.limit.tooLarge };
}

/**
 * Requests Node's HTTP parser refuses before restify sees them (a URL and headers over its
 * 16 KB limit, a malformed request line) get the same error shape as every other refusal.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The address and headers are too long: send less in the query string.'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify({ error: { code: 'REQUEST.INVALID', message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function toApiRequest(req: Request): ApiRequest {
  return {
    params: (req.params ?? {}) as Record<string, string>,
    query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
    body: req.body,
    headers: req.headers,
    remoteAddress: req.socket?.remoteAddress,
  };
}

/**
 * Builds the one server process without listening, so tests drive it over a real socket
 * on a port they choose. Routing only: every decision is in the services and the domain.
 */
export function makeServer(deps: ServerDependencies): restify.Server {
  const server = restify.createServer({ name: 'safer-exec', handleUncaughtExceptions: false });
  server.on('clientError', answerClientError);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(jsonBodiesOnly);
  const larger = largerBodies(deps.routes);
  server.use(larger.read);
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES, rejectUnknown: true }));

  // Body-parser and routing failures arrive here: give them the same shape as every other error.
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number; body?: unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    const code = status === 404 ? 'REQUEST.NOT_FOUND' : status === 405 ? 'REQUEST.METHOD_NOT_ALLOWED' : status === 413 ? 'REQUEST.TOO_LARGE' : status < 500 ? 'REQUEST.INVALID' : 'INTERNAL';
    const message =
      status === 404
        ? 'There is nothing at this address.'
        : status === 413
          ? (larger.tooLarge(req) ?? `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`)
          : status === 415
            ? 'Send the body as application/json.'
            : status === 405
              ? `This address does not accept ${req.method} requests.`
              : status < 500
              ? 'The request body is not valid JSON.'
              : 'Something went wrong on the server.';
    (err as { toJSON?: () => unknown }).toJSON = () => ({ error: { code, message } });
    if (status >= 500) deps.logger.log('error', 'http.restify_error', { status, path: req.getPath() });
    callback();
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const health = await deps.health().catch(() => ({ ok: false, store: 'unreachable' }));
    res.send(health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', store: health.store });
  });

  // The bot's endpoint is transport-neutral: restify hands it the request and writes its answer.
  server.post('/api/messages', async (req: Request, res: Response) => {
    const answer = await deps.bot({ method: req.method ?? 'POST', headers: req.headers, body: req.body });
    if (answer.body === undefined) {
      res.status(answer.status);
      res.end();
      return;
    }
    res.send(answer.status, answer.body);
  });

  for (const route of deps.routes) {
    server[route.method](route.path, async (req: Request, res: Response) => {
      let response: ApiResponse;
      try {
        if ((route.method === 'post' || route.method === 'put') && (req.body === undefined || typeof req.body !== 'object' || req.body === null)) {
          response = invalidRequest('Send a JSON object as the request body.');
        } else {
          response = await route.handler(toApiRequest(req));
        }
      } catch (error) {
        // Never echo the error's message: it could carry record contents.
        const reference = randomUUID();
        deps.logger.log('error', 'http.unhandled', { reference, route: route.path, errorName: (error as Error)?.name ?? 'unknown' });
        response = { status: 500, body: { error: { code: 'INTERNAL', message: `Something went wrong on the server. Quote reference ${reference}.`, reference } } };
      }
      res.header('Cache-Control', 'no-store');
      if (response.file) {
        res.writeHead(response.status, {
          'Content-Type': response.file.contentType,
          'Content-Length': response.file.bytes.length,
          'Content-Disposition': `attachment; filename="${response.file.fileName}"`,
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(response.file.bytes);
        return;
      }
      res.send(response.status, response.body);
    });
  }

  const tab = serveTab(deps.tabDistDir);
  server.get('/tab', async (_req: Request, res: Response) => {
    res.header('Location', '/tab/');
    res.send(301);
  });
  server.get('/tab/*', async (req: Request, res: Response) => tab(req, res));
  server.head('/tab/*', async (req: Request, res: Response) => tab(req, res));
  return server;
}
