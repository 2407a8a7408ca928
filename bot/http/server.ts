import { randomUUID } from 'node:crypto';
import restify from 'restify';
import type { Request, Response } from 'restify';
import type { Logger } from '../observability/logger.js';
import type { ApiRequest, ApiResponse } from './api-types.js';
import { invalidRequest } from './api-types.js';
import { serveTab } from './static-tab.js';
import type { Route } from './tab-api.js';

/** What the bot endpoint needs from the Bot Framework adapter: one call per incoming activity. */
export interface BotEndpoint {
  process(req: Request, res: Response): Promise<void>;
}

export interface ServerDependencies {
  readonly routes: readonly Route[];
  readonly bot: BotEndpoint;
  readonly tabDistDir: string;
  readonly logger: Logger;
  readonly health: () => Promise<{ ok: boolean; store: string }>;
}

export const MAX_BODY_BYTES = 256 * 1024;

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
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES, rejectUnknown: true }));

  // Body-parser and routing failures arrive here: give them the same shape as every other error.
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number; body?: unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    const code = status === 404 ? 'REQUEST.NOT_FOUND' : status === 405 ? 'REQUEST.METHOD_NOT_ALLOWED' : status === 413 ? 'REQUEST.TOO_LARGE' : status < 500 ? 'REQUEST.INVALID' : 'INTERNAL';
    const message =
      status === 404
        ? 'There is nothing at this address.'
        : status === 413
          ? `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`
          : status === 415
            ? 'Send the body as application/json.'
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

  server.post('/api/messages', async (req: Request, res: Response) => {
    await deps.bot.process(req, res);
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
