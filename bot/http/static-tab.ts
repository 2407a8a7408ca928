import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Request, Response } from 'restify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves the built tab from tab/dist under /tab/. Paths are resolved inside that folder
 * and anything that escapes it is a 404, whatever the URL says.
 */
export function serveTab(distDir: string) {
  const root = resolve(distDir);
  return (req: Request, res: Response): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.replace(/^\/tab\/?/, ''));
    } catch {
      res.send(400, { error: { code: 'REQUEST.INVALID', message: 'The path is not valid.' } });
      return;
    }
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = resolve(join(root, normalize(relative)));
    if (!file.startsWith(root + sep)) {
      res.send(404, { error: { code: 'STORE.NOT_FOUND', message: 'No such file.' } });
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      const hint = relative === 'index.html' ? ' The tab has not been built: run `npm run build:tab`.' : '';
      res.send(404, { error: { code: 'STORE.NOT_FOUND', message: `No such file.${hint}` } });
      return;
    }
    const immutable = relative.startsWith('assets/');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      // Teams hosts the tab in an iframe: allow its origins to frame it, nobody else.
      'Content-Security-Policy':
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://outlook.office.com",
    });
    createReadStream(file).pipe(res);
  };
}
