import { createHmac, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  createEntraSsoTokens,
  demoObjectId,
  PARTNER_TENANT_ID,
  SSO_ENV,
  TAB_APP_ID_URI,
  TAB_CLIENT_ID,
  TENANT_ID,
  v1Issuer,
  v2Issuer,
  type EntraSsoTokens,
} from '../stand-ins/entra-sso-tokens.js';

/**
 * The tab API through the real server with credentials configured (not local mode): every SSO
 * token Entra would not have issued to this tenant's user for this app is refused with 401 in
 * the app's error shape before any route runs, on reads and on writes, and nothing is stored.
 * The validator is the production one, pointed at a local key set this test signs with.
 */
const MG = demoObjectId(2); // the chair: every route below answers them 200
const CC = demoObjectId(12); // a plain Exec member
const ACTION = 'act-exec-3-07'; // owned by MG

let tokens: EntraSsoTokens;
let app: TestApp;
let seq = 0;
const changeId = () => `chg-sso-${String(++seq).padStart(6, '0')}`;

interface RouteCase {
  readonly name: string;
  readonly kind: 'read' | 'write';
  readonly okStatus: number;
  request(): Promise<{ path: string; init: RequestInit }>;
}

const ROUTES: RouteCase[] = [
  { name: 'GET /api/tab/me', kind: 'read', okStatus: 200, request: async () => ({ path: '/api/tab/me', init: {} }) },
  { name: 'GET /api/tab/actions', kind: 'read', okStatus: 200, request: async () => ({ path: '/api/tab/actions', init: {} }) },
  {
    name: 'POST /api/tab/actions/:id/changes',
    kind: 'write',
    okStatus: 200,
    request: async () => ({
      path: `/api/tab/actions/${ACTION}/changes`,
      init: { method: 'POST', body: JSON.stringify({ version: (await app.store.actions.get(ACTION))!.version, changeId: changeId(), change: { kind: 'add-note', note: 'Spoke to the coordinator' } }) },
    }),
  },
  {
    name: 'POST /api/tab/memberships',
    kind: 'write',
    okStatus: 201,
    request: async () => ({
      path: '/api/tab/memberships',
      init: {
        method: 'POST',
        body: JSON.stringify({ membershipId: `ms-sso-${++seq}`, groupId: 'grp-safer-communities', memberId: 'mem-jke', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-11-23', endDate: null }),
      },
    }),
  },
];

async function call(route: RouteCase, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const { path, init } = await route.request();
  const response = await fetch(`${app.url}${path}`, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...headers } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

async function snapshot(): Promise<string> {
  const [actions, memberships, members] = await Promise.all([listAll(app.store.actions, {}), listAll(app.store.memberships, {}), listAll(app.store.members, {})]);
  return JSON.stringify({ actions, memberships, members });
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const minutes = (n: number) => Math.floor(Date.now() / 1000) + n * 60;

beforeAll(async () => {
  tokens = await createEntraSsoTokens();
  app = await startTestApp({ env: SSO_ENV, host: '127.0.0.1', tabSsoKeys: tokens.keys });
});

afterAll(async () => {
  await app?.close();
});

/** Every way a bearer token can be wrong, each made fresh (tokens carry the current time). */
const BAD_TOKENS: [string, () => Promise<string>][] = [
  ['another tenant (its tid and v2 issuer)', () => tokens.sign(MG, { claims: { tid: PARTNER_TENANT_ID, iss: v2Issuer(PARTNER_TENANT_ID) } })],
  ['another tenant (its tid and v1 issuer)', () => tokens.sign(MG, { claims: { tid: PARTNER_TENANT_ID, iss: v1Issuer(PARTNER_TENANT_ID), aud: TAB_APP_ID_URI, ver: '1.0' } })],
  ['our issuer with another tenant\u2019s tid', () => tokens.sign(MG, { claims: { tid: PARTNER_TENANT_ID } })],
  ['another tenant\u2019s issuer with our tid', () => tokens.sign(MG, { claims: { iss: v2Issuer(PARTNER_TENANT_ID) } })],
  ['the multi-tenant issuer template', () => tokens.sign(MG, { claims: { iss: 'https://login.microsoftonline.com/{tenantid}/v2.0' } })],
  ['the common endpoint as issuer', () => tokens.sign(MG, { claims: { iss: 'https://login.microsoftonline.com/common/v2.0' } })],
  ['a v1-style issuer on the v2 host', () => tokens.sign(MG, { claims: { iss: `https://login.microsoftonline.com/${TENANT_ID}/` } })],
  ['a v1 issuer without its trailing slash', () => tokens.sign(MG, { claims: { iss: `https://sts.windows.net/${TENANT_ID}`, ver: '1.0' } })],
  ['no tid', () => tokens.sign(MG, { claims: { tid: undefined } })],
  ['another app as audience', () => tokens.sign(MG, { claims: { aud: 'ffffffff-0000-4000-8000-000000000000' } })],
  ['Microsoft Graph as audience (a token Teams also holds)', () => tokens.sign(MG, { claims: { aud: '00000003-0000-0000-c000-000000000000', scp: 'User.Read access_as_user' } })],
  ['a look-alike application ID URI ending in our client id', () => tokens.sign(MG, { claims: { aud: `api://elsewhere.example/${TAB_CLIENT_ID}`, iss: v1Issuer(TENANT_ID), ver: '1.0' } })],
  ['no audience', () => tokens.sign(MG, { claims: { aud: undefined } })],
  ['an expired token (beyond the 60 s skew)', () => tokens.sign(MG, { claims: { iat: minutes(-70), nbf: minutes(-70), exp: minutes(-10) } })],
  ['a token not yet valid (nbf 10 minutes ahead)', () => tokens.sign(MG, { claims: { iat: minutes(10), nbf: minutes(10), exp: minutes(70) } })],
  ['no exp', () => tokens.sign(MG, { claims: { exp: undefined } })],
  ['an unsigned token (alg none)', async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(tokens.claimsFor(MG))}.`],
  ['alg none naming the published key id', async () => `${b64url({ alg: 'none', typ: 'JWT', kid: tokens.tenantKey.kid })}.${b64url(tokens.claimsFor(MG))}.`],
  ['a key nobody published', () => tokens.sign(MG, { key: tokens.unknownKey })],
  ['an unpublished key claiming the published key id', () => tokens.sign(MG, { key: tokens.unknownKey, kid: tokens.tenantKey.kid })],
  [
    'HS256 keyed with the published public key (algorithm confusion)',
    async () => {
      const pem = createPublicKey({ key: tokens.tenantKey.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: tokens.tenantKey.kid })}.${b64url(tokens.claimsFor(MG))}`;
      return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
    },
  ],
  [
    'a good signature over a tampered payload (oid swapped to the chair\u2019s)',
    async () => {
      const [head, , signature] = (await tokens.sign(CC)).split('.');
      return `${head}.${b64url(tokens.claimsFor(MG))}.${signature}`;
    },
  ],
  ['no oid', () => tokens.sign(MG, { claims: { oid: undefined } })],
  ['an empty oid', () => tokens.sign(MG, { claims: { oid: '' } })],
  ['no access_as_user scope', () => tokens.sign(MG, { claims: { scp: 'User.Read' } })],
  ['an app-only token (roles, no scp)', () => tokens.sign(MG, { claims: { scp: undefined, roles: ['access_as_user'], idtyp: 'app' } })],
  ['something that is not a JWT', async () => 'not-a-jwt'],
];

const BAD_AUTHORIZATION: [string, (good: string) => string][] = [
  ['a Basic credential', () => `Basic ${Buffer.from('MG:password').toString('base64')}`],
  ['an empty bearer', () => 'Bearer '],
  ['the token without the Bearer scheme', (good) => good],
  ['two tokens', (good) => `Bearer ${good} ${good}`],
];

describe('tab SSO through the real server (credentials configured)', () => {
  it('runs with authentication: not local mode, no demo member picker', async () => {
    const me = await call(ROUTES[0]!, { authorization: `Bearer ${await tokens.sign(MG)}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ member: { initials: 'MG' }, roles: { chair: true }, localMode: false });
    const picker = await fetch(`${app.url}/api/tab/dev/members`);
    expect(picker.status).toBe(403);
  });

  describe.each(ROUTES)('$name', (route) => {
    it.each(BAD_TOKENS)('refuses %s with 401, and stores nothing', async (_case, make) => {
      const token = await make();
      const before = await snapshot();
      const res = await call(route, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: expect.stringMatching(/Teams sign-in token was not accepted/) } });
      expect(JSON.stringify(res.body)).not.toContain(token.split('.')[1] || token);
      expect(await snapshot()).toBe(before);
    });

    it.each(BAD_AUTHORIZATION)('refuses %s with 401, and stores nothing', async (_case, make) => {
      const before = await snapshot();
      const res = await call(route, { authorization: make(await tokens.sign(MG)) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) } });
      expect(await snapshot()).toBe(before);
    });

    it('refuses a request with no token with 401, and stores nothing', async () => {
      const before = await snapshot();
      const res = await call(route, {});
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: expect.stringMatching(/no bearer token/) } });
      expect(await snapshot()).toBe(before);
    });

    it('refuses X-Dev-User (the local-mode header) from loopback, and stores nothing', async () => {
      const before = await snapshot();
      const res = await call(route, { 'x-dev-user': 'MG' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'AUTH.FORBIDDEN', message: expect.stringMatching(/X-Dev-User is not accepted/) } });
      expect(await snapshot()).toBe(before);
    });

    it('does not let X-Dev-User lift a plain member\u2019s token to the chair\u2019s', async () => {
      const before = await snapshot();
      const res = await call(route, { authorization: `Bearer ${await tokens.sign(CC)}`, 'x-dev-user': 'MG' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
      expect(await snapshot()).toBe(before);
    });

    it('answers the chair\u2019s good v2 token', async () => {
      const before = await snapshot();
      const res = await call(route, { authorization: `Bearer ${await tokens.sign(MG)}` });
      expect(res.status).toBe(route.okStatus);
      if (route.kind === 'write') expect(await snapshot()).not.toBe(before);
    });

    // The registration asks for v2 tokens (infra/entra: accessTokenAcceptedVersion 2), but a v1
    // token from the same tenant, for this app's ID URI, is as trustworthy: both are accepted.
    it('answers the chair\u2019s good v1 token (sts.windows.net issuer, application ID URI audience)', async () => {
      const token = await tokens.sign(MG, { claims: { iss: v1Issuer(TENANT_ID), aud: TAB_APP_ID_URI, ver: '1.0' } });
      const res = await call(route, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(route.okStatus);
    });
  });

  it('writes no token to the log', async () => {
    const token = await tokens.sign(MG, { claims: { aud: 'ffffffff-0000-4000-8000-000000000000' } });
    expect((await call(ROUTES[1]!, { authorization: `Bearer ${token}` })).status).toBe(401);
    const lines = app.logs.map((l) => l.line).join('\n');
    expect(lines).not.toContain(token.split('.')[1]);
    expect(lines).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});
