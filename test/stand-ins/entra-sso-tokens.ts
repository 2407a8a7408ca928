/**
 * A local stand-in for the Entra tenant that signs the tab's SSO tokens (what Teams hands the
 * tab from `authentication.getAuthToken()`): an RS256 key published as a JWK set, tokens in the
 * shape Entra issues for an app registered with `accessTokenAcceptedVersion: 2`
 * (learn.microsoft.com/entra/identity-platform/access-token-claims-reference), and a key nobody
 * publishes. Tests pass `keys` to the app (startTestApp's `tabSsoKeys`) and sign with `sign()`.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The partnership's tenant (ENTRA_TENANT_ID): the resource tenant every member and guest signs in to. */
export const TENANT_ID = '11111111-2222-4333-8444-555555555555';
/** A partner agency's own tenant (the NHS trust, the probation service). */
export const PARTNER_TENANT_ID = '22222222-3333-4444-8555-666666666666';
/** The tab's Entra app (TAB_CLIENT_ID). */
export const TAB_CLIENT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const TAB_APP_ID_URI = `api://safer-exec.example.org/${TAB_CLIENT_ID}`;

export const v2Issuer = (tenantId: string) => `https://login.microsoftonline.com/${tenantId}/v2.0`;
export const v1Issuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;

/** The object id the demo data gives the n-th Exec attendee (bot/demo/demo-data.ts). */
export const demoObjectId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The configuration that turns SSO on and local mode off (BOT_ID set). */
export const SSO_ENV: Record<string, string> = {
  BOT_ID: '00000000-0000-4000-8000-0000000000b0',
  BOT_PASSWORD: 'not-a-real-secret',
  BOT_TENANT_ID: TENANT_ID,
  BOT_TYPE: 'SingleTenant',
  ENTRA_TENANT_ID: TENANT_ID,
  TAB_CLIENT_ID,
  TAB_APP_ID_URI,
};

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface EntraTokenOptions {
  /** Claims to add or override; `undefined` removes a claim. */
  readonly claims?: Record<string, unknown>;
  readonly key?: SigningKey;
  /** The header's key id, when it should differ from the signing key's own. */
  readonly kid?: string;
}

export interface EntraSsoTokens {
  /** The tenant's published key set, as the validator would fetch it. */
  readonly keys: JWTVerifyGetKey;
  readonly tenantKey: SigningKey;
  /** A key nobody publishes. */
  readonly unknownKey: SigningKey;
  /** The claims of a good v2 token for this user (this tenant, this app, valid for an hour from now). */
  claimsFor(objectId: string): Record<string, unknown>;
  /** Signs claims (a good token for `objectId` with `options.claims` over it) with RS256. */
  sign(objectId: string, options?: EntraTokenOptions): Promise<string>;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function createEntraSsoTokens(): Promise<EntraSsoTokens> {
  const [tenantKey, unknownKey] = await Promise.all([signingKey('tenant-key-1'), signingKey('unpublished-key')]);
  const keys = createLocalJWKSet({ keys: [tenantKey.publicJwk] });
  // The app validates against the real clock (tokens are short-lived), so tokens are made from it too.
  const claimsFor = (objectId: string): Record<string, unknown> => {
    const now = seconds(Date.now());
    return {
      aud: TAB_CLIENT_ID,
      iss: v2Issuer(TENANT_ID),
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      tid: TENANT_ID,
      oid: objectId,
      sub: `sub-${objectId}`,
      scp: 'access_as_user',
      azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      ver: '2.0',
    };
  };
  return {
    keys,
    tenantKey,
    unknownKey,
    claimsFor,
    sign(objectId, options = {}) {
      const key = options.key ?? tenantKey;
      const claims: Record<string, unknown> = { ...claimsFor(objectId), ...options.claims };
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
      return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid }).sign(key.privateKey);
    },
  };
}
