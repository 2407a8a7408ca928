import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { fail, ok, type Result } from '../domain/index.js';
import type { SsoTokenValidator } from './identity.js';

export interface EntraSsoOptions {
  /** The Entra tenant the partnership signs in with (ENTRA_TENANT_ID). Only its users are accepted. */
  readonly tenantId: string;
  /** The tab's Entra app (TAB_CLIENT_ID): the token's audience. */
  readonly clientId: string;
  /** The application ID URI (TAB_APP_ID_URI), `api://<host>/<clientId>`, when known. */
  readonly appIdUri?: string;
  /** Where the signing keys come from: the tenant's published JWKS unless a test passes its own. */
  readonly keys?: JWTVerifyGetKey;
  /** For tests that sign tokens at a fixed time. */
  readonly now?: () => Date;
}

export const REQUIRED_SCOPE = 'access_as_user';

export function tenantJwksUrl(tenantId: string): URL {
  return new URL(`https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`);
}

/**
 * Validates the token Teams gives the tab (`authentication.getAuthToken()`): signed by the
 * tenant's keys with RS256, issued by that tenant (v1 or v2 endpoint), for this app, not
 * expired, with the `access_as_user` scope. Every failure is a 401 the tab can show.
 */
/** Who a valid token names: the object id always; the sign-in address (UPN) when the token carries one. */
export interface SsoIdentity {
  readonly objectId: string;
  readonly tenantId: string;
  readonly upn: string | null;
}

export class EntraSsoValidator implements SsoTokenValidator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: EntraSsoOptions) {
    // createRemoteJWKSet fetches lazily and caches; it does nothing at construction.
    this.keys = options.keys ?? createRemoteJWKSet(tenantJwksUrl(options.tenantId));
  }

  /**
   * Exactly this app: its client id (what v2 tokens carry) or its configured application ID URI
   * (what v1 tokens carry). Not any `api://…/<clientId>`: another app in the tenant may register
   * such a URI on a verified domain, and tokens issued for it must not open this API.
   */
  private audienceMatches(aud: JWTPayload['aud']): boolean {
    const { clientId, appIdUri } = this.options;
    const accepted = (value: string) => value === clientId || (appIdUri !== undefined && value === appIdUri);
    return typeof aud === 'string' ? accepted(aud) : Array.isArray(aud) && aud.some(accepted);
  }

  async validate(token: string): Promise<Result<SsoIdentity>> {
    const { tenantId } = this.options;
    const refuse = (why: string) => fail<SsoIdentity>('AUTH.UNAUTHENTICATED', `Your Teams sign-in token was not accepted (${why}). Close and reopen the tab.`);
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('not a signed token');
    }
    if (header.alg !== 'RS256') return refuse('not signed with RS256');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`],
        requiredClaims: ['exp', 'iat', 'aud', 'iss'],
        clockTolerance: 60,
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return refuse('expired');
      if (error instanceof errors.JWTClaimValidationFailed) return refuse(`claim ${error.claim} is wrong`);
      if (error instanceof errors.JWKSNoMatchingKey) return refuse('signed with an unknown key');
      if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('bad signature');
      if (error instanceof errors.JOSEError) return refuse(error.code);
      throw error;
    }
    if (!this.audienceMatches(payload.aud)) return refuse('issued for another app');
    if (payload['tid'] !== tenantId) return refuse('from another tenant');
    const scopes = typeof payload['scp'] === 'string' ? payload['scp'].split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) return refuse(`missing the ${REQUIRED_SCOPE} scope`);
    const oid = payload['oid'];
    if (typeof oid !== 'string' || oid === '') return refuse('no user object id');
    // v1 tokens carry `upn`, v2 `preferred_username`: either names the person's sign-in address.
    const upn = [payload['upn'], payload['preferred_username']].find((v): v is string => typeof v === 'string' && v.includes('@')) ?? null;
    return ok({ objectId: oid, tenantId, upn: upn?.toLowerCase() ?? null });
  }
}
