import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../bot/demo/seed.js';
import { EntraSsoValidator, tenantJwksUrl } from '../../bot/http/sso-validator.js';
import { tabApiRoutes } from '../../bot/http/tab-api.js';
import { fixedClock } from '../../bot/services/clock.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const OTHER_TENANT = '99999999-2222-4333-8444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const NOW = new Date('2026-11-23T10:00:00Z');
const MG_OID = '00000000-0000-4000-8000-000000000002';

let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'tenant-key-1', alg: 'RS256', use: 'sig' };
  strangerKey = (await generateKeyPair('RS256')).privateKey;
});

const APP_ID_URI = `api://safer-exec.example.org/${CLIENT}`;

function validator(options: { appIdUri?: string } = {}): EntraSsoValidator {
  return new EntraSsoValidator({ tenantId: TENANT, clientId: CLIENT, keys: createLocalJWKSet({ keys: [jwk] }), now: () => NOW, ...options });
}

interface TokenOptions {
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  expiresAt?: Date;
  key?: CryptoKey;
  kid?: string;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function token(o: TokenOptions = {}): Promise<string> {
  return new SignJWT({ tid: TENANT, oid: MG_OID, scp: 'access_as_user', ...o.claims })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'tenant-key-1', typ: 'JWT' })
    .setIssuer(o.issuer ?? `https://login.microsoftonline.com/${TENANT}/v2.0`)
    .setAudience(o.audience ?? CLIENT)
    .setIssuedAt(seconds(NOW) - 60)
    .setNotBefore(seconds(NOW) - 60)
    .setExpirationTime(seconds(o.expiresAt ?? new Date(NOW.getTime() + 3600_000)))
    .sign(o.key ?? signingKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('EntraSsoValidator', () => {
  it('fetches keys from the tenant\u2019s published JWKS by default', () => {
    expect(tenantJwksUrl(TENANT).href).toBe(`https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
  });

  it('accepts a v2 token for this app and returns the user\u2019s object id', async () => {
    const result = await validator().validate(await token());
    expect(result).toEqual({ ok: true, value: { objectId: MG_OID, tenantId: TENANT, upn: null } });
  });

  it('returns the sign-in address from preferred_username (v2) or upn (v1), lower-cased, so a first sign-in can be matched by UPN', async () => {
    const v2 = await validator().validate(await token({ claims: { preferred_username: 'Matt.Garrett@Plymouth.gov.uk' } }));
    expect(v2).toMatchObject({ ok: true, value: { upn: 'matt.garrett@plymouth.gov.uk' } });
    const v1 = await validator().validate(await token({ claims: { upn: 'matt.garrett@plymouth.gov.uk' } }));
    expect(v1).toMatchObject({ ok: true, value: { upn: 'matt.garrett@plymouth.gov.uk' } });
  });

  it('accepts a v1 token whose audience is the configured application ID URI', async () => {
    const result = await validator({ appIdUri: APP_ID_URI }).validate(await token({ issuer: `https://sts.windows.net/${TENANT}/`, audience: APP_ID_URI }));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['with the ID URI configured', { appIdUri: APP_ID_URI }],
    ['with no ID URI configured', {}],
  ])('refuses another api:// URI that merely ends in this client id (%s)', async (_what, options) => {
    const result = await validator(options).validate(await token({ issuer: `https://sts.windows.net/${TENANT}/`, audience: `api://elsewhere.example/${CLIENT}` }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/another app/);
  });

  it.each([
    ['a token from another tenant', { issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, claims: { tid: OTHER_TENANT } }, /claim iss/],
    ['a tenant id that does not match its issuer', { claims: { tid: OTHER_TENANT } }, /another tenant/],
    ['a token for another app', { audience: 'api://elsewhere.example/ffffffff-0000-4000-8000-000000000000' }, /another app/],
    ['an expired token', { expiresAt: new Date(NOW.getTime() - 10 * 60_000) }, /expired/],
    ['a token without the access_as_user scope', { claims: { scp: 'User.Read' } }, /access_as_user/],
    ['a token without an object id', { claims: { oid: undefined } }, /object id/],
    ['a token signed by a key the tenant never published', { key: undefined, kid: 'unknown-key' }, /unknown key/],
  ] as const)('refuses %s', async (_what, options, message) => {
    const result = await validator().validate(await token(options as TokenOptions));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('AUTH.UNAUTHENTICATED');
      expect(result.error.message).toMatch(message);
    }
  });

  it('refuses a token signed with an unpublished key under a published key id', async () => {
    const result = await validator().validate(await token({ key: strangerKey }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/bad signature/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: CLIENT, tid: TENANT, oid: MG_OID, scp: 'access_as_user', exp: seconds(NOW) + 3600, iat: seconds(NOW) })}.`;
    const result = await validator().validate(unsigned);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/RS256/);
  });

  it('refuses a token signed with a shared secret (HS256)', async () => {
    const hs = await new SignJWT({ tid: TENANT, oid: MG_OID, scp: 'access_as_user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(CLIENT)
      .setIssuedAt(seconds(NOW))
      .setExpirationTime(seconds(NOW) + 3600)
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await validator().validate(hs)).ok).toBe(false);
  });

  it('refuses something that is not a token at all', async () => {
    expect((await validator().validate('not-a-jwt')).ok).toBe(false);
  });
});

describe('the tab API with SSO (no X-Dev-User)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safer-exec-sso-'));
  const store = new SqliteStore({ filename: join(dir, 'sso.db') });
  const routes = () => tabApiRoutes({ store, clock: fixedClock(NOW), identity: { localMode: false, sso: validator() } });
  const call = async (path: string, headers: Record<string, string>) => {
    const route = routes().find((r) => r.method === 'get' && r.path === path)!;
    return route.handler({ params: {}, query: {}, body: undefined, headers, remoteAddress: '127.0.0.1' });
  };

  beforeAll(async () => {
    await seedDemoIfEmpty(store, NOW);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps the token\u2019s object id to the member and their role', async () => {
    const res = await call('/api/tab/me', { authorization: `Bearer ${await token()}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ member: { initials: 'MG' }, roles: { chair: true } });
  });

  it('refuses a signed-in user who is not a member', async () => {
    const res = await call('/api/tab/me', { authorization: `Bearer ${await token({ claims: { oid: '00000000-0000-4000-8000-999999999999' } })}` });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toMatch(/not recorded as a member/);
  });

  it('refuses an expired token with 401', async () => {
    const res = await call('/api/tab/actions', { authorization: `Bearer ${await token({ expiresAt: new Date(NOW.getTime() - 3600_000) })}` });
    expect(res.status).toBe(401);
  });

  it('refuses X-Dev-User once credentials are configured, even from loopback', async () => {
    const res = await call('/api/tab/me', { 'x-dev-user': 'MG' });
    expect(res.status).toBe(403);
  });
});
