import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServer } from '../../bot/http/server.js';
import { acceptedCodings } from '../../bot/http/static-tab.js';
import { decoded, rawRequest } from '../support/raw-http.js';

describe('the static tab: precompressed variants chosen by Accept-Encoding', () => {
  const temp = mkdtempSync(join(tmpdir(), 'safer-exec-static-'));
  const dist = join(temp, 'dist');
  let server: restify.Server;
  let base: string;

  // A hashed bundle with both variants, a small one with none, one whose brotli copy is older than it.
  const bundle = Buffer.from(Array.from({ length: 4000 }, (_, i) => `export const row${i} = { id: 'act-${i}', text: 'Action ${i % 97}' };\n`).join(''));
  const html = Buffer.from('<!doctype html><html><body><div id="root"></div><script type="module" src="/tab/assets/app-1a2b3c.js"></script></body></html>\n'.repeat(8));
  const plain = Buffer.from('export {};\n');
  const fresh = Buffer.from('export const version = "new";\n'.repeat(200));

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    const write = (path: string, bytes: Buffer, variants: boolean) => {
      writeFileSync(join(dist, path), bytes);
      if (!variants) return;
      writeFileSync(join(dist, `${path}.br`), brotliCompressSync(bytes));
      writeFileSync(join(dist, `${path}.gz`), gzipSync(bytes));
    };
    write('assets/app-1a2b3c.js', bundle, true);
    write('index.html', html, true);
    write('assets/plain-9f8e7d.js', plain, false);
    write('assets/rebuilt-5d6e7f.js', fresh, false);
    writeFileSync(join(dist, 'assets/rebuilt-5d6e7f.js.br'), brotliCompressSync(Buffer.from('export const version = "old";\n')));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dist, 'assets/rebuilt-5d6e7f.js.br'), past, past);
    // Outside dist, with variants that must not be reachable either.
    writeFileSync(join(temp, 'secret.txt'), 'not for the browser');
    writeFileSync(join(temp, 'secret.txt.br'), brotliCompressSync(Buffer.from('not for the browser')));
    writeFileSync(join(temp, 'secret.txt.gz'), gzipSync(Buffer.from('not for the browser')));

    server = makeServer({ routes: [], bot: async () => ({ status: 200 }), tabDistDir: dist, logger: { log: () => undefined }, health: async () => ({ ok: true, store: 'none' }) });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(temp, { recursive: true, force: true });
  });

  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', undefined],
    ['*;q=0.5, br;q=0, identity;q=0.1', 'gzip'],
    ['identity', undefined],
    ['', undefined],
    ['br;q=0, gzip;q=0', undefined],
  ])('Accept-Encoding "%s" gets %s, decoding to the very bytes of the bundle', async (accept, coding) => {
    const res = await rawRequest(`${base}/tab/assets/app-1a2b3c.js`, accept ? { 'accept-encoding': accept } : {});
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decoded(res).equals(bundle)).toBe(true);
    if (coding) expect(res.body.length).toBeLessThan(bundle.length / 3);
  });

  it('keeps index.html revalidated on every load, compressed or not', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const res = await rawRequest(`${base}/tab/`, { 'accept-encoding': accept });
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(decoded(res).equals(html)).toBe(true);
    }
  });

  it('sends a file as it is when the build wrote no variant, or only one older than the file', async () => {
    const small = await rawRequest(`${base}/tab/assets/plain-9f8e7d.js`, { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.equals(plain)).toBe(true);
    const stale = await rawRequest(`${base}/tab/assets/rebuilt-5d6e7f.js`, { 'accept-encoding': 'br' });
    expect(stale.headers['content-encoding']).toBeUndefined();
    expect(stale.body.equals(fresh)).toBe(true);
  });

  it('answers HEAD with the headers of the variant GET would send, and no body', async () => {
    const head = await rawRequest(`${base}/tab/assets/app-1a2b3c.js`, { 'accept-encoding': 'br' }, 'HEAD');
    const get = await rawRequest(`${base}/tab/assets/app-1a2b3c.js`, { 'accept-encoding': 'br' });
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.body.length).toBe(0);
  });

  it.each(['/tab/..%2fsecret.txt', '/tab/assets/..%2f..%2fsecret.txt', '/tab/%2e%2e/secret.txt', '/tab/..%5csecret.txt', '/tab/..%2f..%2f..%2f..%2fetc%2fpasswd'])(
    'still refuses %s whatever the Accept-Encoding',
    async (path) => {
      for (const accept of ['br', 'gzip', 'identity']) {
        const res = await rawRequest(`${base}${path}`, { 'accept-encoding': accept });
        expect([400, 404]).toContain(res.status);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(res.body.toString()).not.toMatch(/not for the browser|root:/);
      }
    },
  );

  it('reads q-values as RFC 9110 says, identity acceptable unless refused', () => {
    expect(acceptedCodings(undefined)).toEqual({ br: 0, gzip: 0, identity: 1 });
    expect(acceptedCodings('GZIP;Q=0.8, br')).toEqual({ br: 1, gzip: 0.8, identity: 1 });
    expect(acceptedCodings('*;q=0')).toEqual({ br: 0, gzip: 0, identity: 0 });
    expect(acceptedCodings('br;q=nonsense, gzip;q=7')).toEqual({ br: 0, gzip: 1, identity: 1 });
    expect(acceptedCodings(['br', 'gzip;q=0.1'])).toEqual({ br: 1, gzip: 0.1, identity: 1 });
  });
});
