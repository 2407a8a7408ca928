import { fail, findByInitials, ok, type Member, type Result } from '../domain/index.js';
import { loadDirectory, type Directory } from '../services/directory.js';
import { isStoreError, listAll, type Store } from '../store/store.js';
import type { ApiRequest } from './api-types.js';

export interface Caller {
  readonly memberId: string;
  /**
   * The directory, when finding the caller read it (local mode finds them by initials in it):
   * the request's context is built from it instead of reading it again.
   */
  readonly directory?: Directory;
}

/** Validates a Teams SSO token and returns the user's Entra object id (implemented with the tab's SSO). */
export interface SsoTokenValidator {
  validate(token: string): Promise<Result<{ readonly objectId: string; readonly tenantId: string; readonly upn?: string | null }>>;
}

export const DEV_USER_HEADER = 'x-dev-user';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * A request counts as from this machine only if it came over loopback and was not
 * forwarded: a reverse proxy on the same host would otherwise make every visitor "local".
 */
export function isFromLoopback(request: ApiRequest): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers['forwarded'] !== undefined) return false;
  return request.remoteAddress !== undefined && LOOPBACK.test(request.remoteAddress);
}

function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface IdentityOptions {
  readonly localMode: boolean;
  readonly sso?: SsoTokenValidator;
}

/** Works out who is calling: a Teams SSO token, or (local mode, loopback only) a demo member's initials. */
export async function resolveCaller(request: ApiRequest, store: Store, options: IdentityOptions): Promise<Result<Caller>> {
  const devUser = header(request, DEV_USER_HEADER);
  if (devUser !== undefined) {
    if (!options.localMode) return fail('AUTH.FORBIDDEN', 'X-Dev-User is not accepted: this server has credentials configured. Sign in through Teams.');
    if (!isFromLoopback(request)) return fail('AUTH.FORBIDDEN', 'X-Dev-User is accepted only from this machine (loopback) in local mode.');
    if (!/^[A-Za-z]{1,4}$/.test(devUser.trim())) return fail('AUTH.UNAUTHENTICATED', 'X-Dev-User must be a member\u2019s initials, e.g. TN.');
    // The whole directory, not only the members: the request's context is built from this read.
    const directory = await loadDirectory(store);
    const member = findByInitials(directory.members, devUser);
    if (!member) return fail('AUTH.FORBIDDEN', `No member has the initials ${devUser.trim().toUpperCase()}.`);
    return ok({ memberId: member.id, directory });
  }
  const authorization = header(request, 'authorization');
  if (!authorization) {
    return fail(
      'AUTH.UNAUTHENTICATED',
      options.localMode ? 'Choose a demo member: send their initials in the X-Dev-User header.' : 'Sign in through Teams: the request has no bearer token.',
    );
  }
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
  if (!match) return fail('AUTH.UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
  if (!options.sso) return fail('AUTH.UNAUTHENTICATED', 'Teams sign-in (SSO) is not configured on this server.');
  const validated = await options.sso.validate(match[1]!);
  if (!validated.ok) return validated;
  const member = (await listAll(store.members, { entraObjectId: validated.value.objectId }))[0] ?? (await bindByUpn(store, validated.value.objectId, validated.value.upn ?? null));
  if (!member) return fail('AUTH.FORBIDDEN', 'You are signed in, but not recorded as a member of the partnership. Ask the business-support officer to add you.');
  return ok({ memberId: member.id });
}

/**
 * A person the secretariat added with only their email / UPN (set-up, or a form) signs in for
 * the first time: their record is matched by UPN and the token's object id written to it, so
 * from then on they are found by object id. A record that already has an object id is never
 * rebound by UPN: a UPN can be reassigned to someone else, an object id cannot.
 */
async function bindByUpn(store: Store, objectId: string, upn: string | null): Promise<Member | undefined> {
  if (!upn) return undefined;
  const member = (await listAll(store.members, { email: upn }))[0];
  if (!member || member.entraObjectId) return undefined;
  const { version, ...record } = member;
  try {
    return await store.members.update({ ...record, entraObjectId: objectId }, version);
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT')) return (await listAll(store.members, { entraObjectId: objectId }))[0];
    throw error;
  }
}
