import { Agent, request } from 'node:https';
import type { FetchLike } from '../../bot/store/sharepoint/graph-client.js';

/**
 * A fetch for tests that trusts one extra CA (the stand-in's self-signed certificate) and talks
 * only to loopback. Node 20's global fetch can only learn a CA from NODE_EXTRA_CA_CERTS at process
 * start, which the shared vitest config does not set; the Graph client takes this transport
 * instead, and everything above the transport is the production code path.
 */
export function createCaTrustingFetch(ca: string, options: { readonly maxSockets?: number } = {}): { fetch: FetchLike; close(): void } {
  // Benches raise the socket limit: under load, 16 would queue requests that production would not.
  const agent = new Agent({ ca, keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const fetchImpl: FetchLike = (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      if (url.protocol !== 'https:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) {
        reject(new TypeError(`Tests only talk to loopback over HTTPS, not ${url.host}.`));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers as HeadersInit | undefined).forEach((value, name) => {
        headers[name] = value;
      });
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer);
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const status = res.statusCode ?? 500;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers: responseHeaders }));
        });
      });
      req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) req.destroy(signal.reason as Error);
        else signal.addEventListener('abort', () => req.destroy(signal.reason as Error), { once: true });
      }
      if (body !== undefined) req.write(body);
      req.end();
    });
  return { fetch: fetchImpl, close: () => agent.destroy() };
}
