import { createReadStream, statSync, type Stats } from 'node:fs';
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

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * The variants the build writes beside a file (tab/vite.config.ts), best first: when the
 * browser accepts two equally, brotli wins because it is the smaller.
 */
const PRECOMPRESSED: readonly { coding: Exclude<ContentCoding, 'identity'>; suffix: string }[] = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
];

/**
 * How much the request's Accept-Encoding wants each coding (RFC 9110 §12.5.3): a q-value
 * per coding, `*` for any coding not named, identity acceptable unless refused outright.
 * No header at all means any coding is acceptable, but we only compress when asked.
 */
export function acceptedCodings(header: string | string[] | undefined): Record<ContentCoding, number> {
  const wanted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    wanted.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0);
  }
  const any = wanted.get('*');
  return {
    br: wanted.get('br') ?? any ?? 0,
    gzip: wanted.get('gzip') ?? any ?? 0,
    identity: wanted.get('identity') ?? (any === 0 ? 0 : 1),
  };
}

function regularFile(path: string): Stats | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

/**
 * The file to send and its coding: the precompressed variant the browser wants most, if the
 * build wrote one and it is not older than the file itself (a stale variant would send old
 * code), otherwise the file as it is.
 */
function chooseVariant(file: string, stat: Stats, acceptEncoding: string | string[] | undefined): { path: string; size: number; coding: ContentCoding } {
  const accepted = acceptedCodings(acceptEncoding);
  let best: { path: string; size: number; coding: ContentCoding; q: number } | null = null;
  for (const { coding, suffix } of PRECOMPRESSED) {
    const q = accepted[coding];
    // On a tie the earlier (smaller) coding keeps its place.
    if (q <= 0 || (best && q <= best.q)) continue;
    const variant = regularFile(file + suffix);
    if (variant && variant.mtimeMs >= stat.mtimeMs) best = { path: file + suffix, size: variant.size, coding, q };
  }
  // The plain file when nothing compressed was wanted more, and also when nothing acceptable exists.
  if (!best || accepted.identity > best.q) return { path: file, size: stat.size, coding: 'identity' };
  return best;
}

/**
 * Serves the built tab from tab/dist under /tab/. Paths are resolved inside that folder
 * and anything that escapes it is a 404, whatever the URL says. Text files go out
 * precompressed when the browser accepts it (brotli, else gzip).
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
    const stat = regularFile(file);
    if (!stat) {
      const hint = relative === 'index.html' ? ' The tab has not been built: run `npm run build:tab`.' : '';
      res.send(404, { error: { code: 'STORE.NOT_FOUND', message: `No such file.${hint}` } });
      return;
    }
    const variant = chooseVariant(file, stat, req.headers['accept-encoding']);
    // Vite names everything under assets/ by its content hash, so a new build is a new URL.
    const immutable = relative.startsWith('assets/');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': variant.size,
      ...(variant.coding === 'identity' ? {} : { 'Content-Encoding': variant.coding }),
      // Caches must keep the brotli, gzip and plain copies apart.
      Vary: 'Accept-Encoding',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      // Teams hosts the tab in an iframe: allow its origins to frame it, nobody else.
      'Content-Security-Policy':
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://outlook.office.com",
    });
    createReadStream(variant.path).pipe(res);
  };
}
