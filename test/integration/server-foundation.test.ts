import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { decoded, rawRequest } from '../support/raw-http.js';

const TAB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tab', 'dist');

async function snapshot(app: TestApp) {
  const [actions, memberships, members] = await Promise.all([listAll(app.store.actions, {}), listAll(app.store.memberships, {}), listAll(app.store.members, {})]);
  return JSON.stringify({ actions, memberships, members });
}

describe('the server in local mode, on the demo data', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('listens on loopback only, and says why', () => {
    expect(new URL(app.url).hostname).toBe('127.0.0.1');
    expect(app.logs.some((l) => l.event === 'server.local_mode')).toBe(true);
  });

  it('answers /healthz', async () => {
    const res = await app.as(null, '/healthz');
    expect(res).toEqual({ status: 200, body: { status: 'ok', store: 'sqlite' } });
  });

  it('serves the built tab at /tab/', async () => {
    const res = await fetch(`${app.url}/tab/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<div id="root">/);
    expect((await fetch(`${app.url}/tab/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('serves the built JavaScript brotli- or gzip-compressed as the browser asks, each decoding to the built file', async () => {
    const html = readFileSync(join(TAB_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/tab\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const built = readFileSync(join(TAB_DIST, script));
      for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['identity', undefined]] as const) {
        const res = await rawRequest(`${app.url}/tab/${script}`, { 'accept-encoding': accept });
        expect(res.status, script).toBe(200);
        expect(res.headers['content-encoding'], `${script} for ${accept}`).toBe(coding);
        expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
        expect(res.headers.vary).toMatch(/Accept-Encoding/i);
        expect(res.headers['cache-control']).toMatch(/immutable/);
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        expect(decoded(res).equals(built), `${script} for ${accept}`).toBe(true);
      }
    }
    const page = await rawRequest(`${app.url}/tab/`, { 'accept-encoding': 'br' });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(decoded(page).toString()).toBe(html);
    for (const accept of ['br', 'gzip']) {
      expect((await rawRequest(`${app.url}/tab/..%2f..%2fpackage.json`, { 'accept-encoding': accept })).status).toBe(404);
      expect((await rawRequest(`${app.url}/tab/assets/..%2f..%2f..%2fpackage.json`, { 'accept-encoding': accept })).status).toBe(404);
    }
  });

  it('serves every page the app manifest links to (about, privacy, terms, channel-tab config)', async () => {
    const manifest = (await import('../../appPackage/manifest.json', { with: { type: 'json' } })).default as { developer: Record<string, string>; configurableTabs?: { configurationUrl: string }[] };
    const urls = [manifest.developer.websiteUrl, manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl, ...(manifest.configurableTabs ?? []).map((t) => t.configurationUrl)];
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      const path = url!.replace('${{TAB_ENDPOINT}}', '');
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(200);
    }
  });

  it('shows the demo actions from the minutes to a member', async () => {
    const res = await app.as('TN', '/api/tab/actions?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(19);
    const streetPastors = res.body.items.find((a: { text: string }) => a.text.includes('street pastors'));
    expect(streetPastors).toMatchObject({ minuteRef: '5', owners: [{ label: 'TN' }], status: 'open' });
  });

  it('filters the log: overdue actions of one owner', async () => {
    const res = await app.as('MG', '/api/tab/actions?owner=mem-tn&overdue=true');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id)).toEqual(['act-exec-3-08', 'act-exec-3-10']);
  });

  it('needs to know who is asking', async () => {
    const res = await app.as(null, '/api/tab/actions');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/X-Dev-User/);
  });

  it('refuses X-Dev-User on a forwarded request, even from loopback', async () => {
    const res = await app.as('MG', '/api/tab/actions', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/loopback/);
  });

  it('refuses people with no current membership', async () => {
    const res = await app.as('KJ', '/api/tab/actions');
    expect(res.status).toBe(403);
    expect((await app.as('ZZ', '/api/tab/actions')).status).toBe(403);
  });

  it.each([
    ['GET', '/api/tab/actions?status=finished', undefined, /status/],
    ['GET', '/api/tab/actions?limit=100000', undefined, /limit/],
    ['GET', '/api/tab/actions?colour=red', undefined, /colour|Unrecognized/i],
    ['GET', '/api/tab/actions/act-nope', undefined, /no action/i],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', '{not json', /JSON/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify([1, 2]), /change|body/i],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'add-note' } }), /note/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'x', change: { kind: 'add-note', note: 'n' } }), /changeId/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'explode' } }), /kind/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'add-note', note: 'x'.repeat(5000) } }), /2000/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'set-due', due: { kind: 'date', date: '2026-02-31' } } }), /date/],
    ['POST', '/api/tab/actions/act-exec-3-08/changes', JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'add-note', note: 'n', extra: true } }), /extra|Unrecognized/i],
    ['POST', '/api/tab/memberships', JSON.stringify({ groupId: 'grp-exec', memberId: 'mem-kj', role: 'emperor', decisionMaker: true, deputyForMemberId: null, startDate: '2026-01-01', endDate: null }), /role/],
    ['POST', '/api/tab/memberships', JSON.stringify({ groupId: 'grp-exec', memberId: 'mem-kj', role: 'member', decisionMaker: true, deputyForMemberId: null, startDate: '2026-01-01', endDate: '2025-01-01' }), /end date/i],
    ['PUT', '/api/tab/memberships/ms-exec-tn', JSON.stringify({ version: '1' }), /groupId/],
    ['GET', '/api/tab/nothing-here', undefined, /nothing at this address/],
  ])('%s %s with bad input gets a 4xx that says what is wrong, and changes nothing', async (method, path, body, message) => {
    const before = await snapshot(app);
    const res = await app.as('AM', path, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body.error)).toMatch(message);
    expect(await snapshot(app)).toBe(before);
  });

  it('refuses a body that is too large, and changes nothing', async () => {
    const before = await snapshot(app);
    const res = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', { method: 'POST', body: JSON.stringify({ version: '1', changeId: 'chg-abcdefgh', change: { kind: 'add-note', note: 'x'.repeat(400_000) } }) });
    expect(res.status).toBe(413);
    expect(await snapshot(app)).toBe(before);
  });

  it('refuses a change the actor may not make, and changes nothing', async () => {
    const before = await snapshot(app);
    const res = await app.as('CC', '/api/tab/actions/act-exec-3-08/changes', { method: 'POST', body: JSON.stringify({ version: '1', changeId: 'chg-cc-000001', change: { kind: 'set-status', status: 'closed' } }) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACTION.FORBIDDEN');
    expect(await snapshot(app)).toBe(before);
  });

  it('lets an owner update their action and records who and when', async () => {
    const res = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', { method: 'POST', body: JSON.stringify({ version: '1', changeId: 'chg-tn-000001', change: { kind: 'add-note', note: 'Asked the street pastors coordinator' } }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in-progress', version: '2' });
    expect(res.body.history.at(-1)).toMatchObject({ kind: 'note', byLabel: 'TN', at: '2026-11-23T10:00:00.000Z' });
  });

  it('answers a retried change with its result instead of applying it twice', async () => {
    const body = JSON.stringify({ version: '1', changeId: 'chg-tw-000001', change: { kind: 'add-note', note: 'Shared the Barnardo\u2019s pack' } });
    const first = await app.as('TW', '/api/tab/actions/act-exec-3-04/changes', { method: 'POST', body });
    const retry = await app.as('TW', '/api/tab/actions/act-exec-3-04/changes', { method: 'POST', body });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body.history.filter((h: { id: string }) => h.id === 'chg-tw-000001')).toHaveLength(1);
  });

  it('lets only one of two updates from the same stale version win', async () => {
    const change = (id: string, note: string) => ({ method: 'POST', body: JSON.stringify({ version: '1', changeId: id, change: { kind: 'add-note', note } }) });
    const a = await app.as('AM', '/api/tab/actions/act-exec-3-12/changes', change('chg-am-000001', 'Write-up drafted'));
    const b = await app.as('AM', '/api/tab/actions/act-exec-3-12/changes', change('chg-am-000002', 'Write-up sent'));
    expect(a.status).toBe(200);
    expect(b.status).toBe(409);
    expect(b.body.error.message).toMatch(/changed this action/);
    const detail = await app.as('AM', '/api/tab/actions/act-exec-3-12');
    expect(detail.body.history.filter((h: { kind: string }) => h.kind === 'note').map((h: { note: string }) => h.note)).toEqual(['Write-up drafted']);
  });

  it('settles twenty simultaneous edits from one version with exactly one winner', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.as('MG', '/api/tab/actions/act-exec-3-07/changes', {
          method: 'POST',
          body: JSON.stringify({ version: '1', changeId: `chg-race-${String(i).padStart(4, '0')}`, change: { kind: 'add-note', note: `Edit ${i}` } }),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const detail = await app.as('MG', '/api/tab/actions/act-exec-3-07');
    expect(detail.body.history.filter((h: { kind: string }) => h.kind === 'note')).toHaveLength(1);
  });

  it('lets the secretariat add a membership and refuses the same from a member', async () => {
    const input = { groupId: 'grp-dhr', memberId: 'mem-hs', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-11-23', endDate: null };
    const refused = await app.as('CC', '/api/tab/memberships', { method: 'POST', body: JSON.stringify(input) });
    expect(refused.status).toBe(403);
    const created = await app.as('AM', '/api/tab/memberships', { method: 'POST', body: JSON.stringify({ ...input, membershipId: 'ms-dhr-hs' }) });
    expect(created.status).toBe(201);
    const groups = await app.as('CC', '/api/tab/groups');
    const dhr = groups.body.groups.find((g: { id: string }) => g.id === 'grp-dhr');
    expect(dhr.members.map((m: { initials: string }) => m.initials)).toContain('HS');
  });

  it('answers a malformed bot activity with 400, not a crash', async () => {
    const res = await app.as(null, '/api/messages', { method: 'POST', body: JSON.stringify({ text: 'help' }) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/type/);
  });

  it('replies to "help" in a personal chat through the Bot Framework adapter', async () => {
    // With no credentials the reply goes to the activity's serviceUrl: a loopback connector that records it.
    const { createServer } = await import('node:http');
    const received: unknown[] = [];
    const connector = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ url: req.url, body: JSON.parse(data || '{}') });
        // restify patches ServerResponse.writeHead in this process, so no chaining.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'reply-1' }));
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
    const port = (connector.address() as { port: number }).port;
    try {
      const res = await app.as(null, '/api/messages', {
        method: 'POST',
        body: JSON.stringify({
          type: 'message',
          id: 'msg-1',
          text: 'help',
          channelId: 'msteams',
          serviceUrl: `http://127.0.0.1:${port}/`,
          conversation: { id: 'a:personal-1', conversationType: 'personal' },
          from: { id: '29:user', aadObjectId: '00000000-0000-4000-8000-000000000006' },
          recipient: { id: '28:bot' },
        }),
      });
      expect(res.status).toBeLessThan(300);
      expect(received).toHaveLength(1);
      expect(JSON.stringify(received[0])).toMatch(/my actions/);
      expect((received[0] as { url: string }).url).toBe('/v3/conversations/a%3Apersonal-1/activities/msg-1');
    } finally {
      connector.close();
    }
  });
});

describe('the server with bot credentials configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { BOT_ID: '11111111-2222-3333-4444-555555555555', BOT_PASSWORD: 'not-a-real-secret', BOT_TENANT_ID: 'tenant-1' }, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses X-Dev-User outright', async () => {
    const res = await app.as('MG', '/api/tab/actions');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/credentials/);
  });

  it('refuses an unauthenticated bot activity', async () => {
    const res = await app.as(null, '/api/messages', {
      method: 'POST',
      body: JSON.stringify({ type: 'message', text: 'help', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'a:1' }, from: { id: '29:x' } }),
    });
    expect(res.status).toBe(401);
  });
});
