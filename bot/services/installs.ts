import { currentMemberIds, londonDate, type ConversationInstall, type InstallScope, type Member } from '../domain/index.js';
import { isStoreError, listAll, type Store, type Versioned } from '../store/store.js';
import { loadDirectory } from './directory.js';

export interface TeamsUserIdentity {
  /** 29:... */
  readonly teamsUserId: string;
  readonly aadObjectId: string | null;
  /** Email or UPN, when Teams told us (TeamsInfo.getMember). */
  readonly email: string | null;
}

export interface InstallInput {
  readonly conversationId: string;
  readonly scope: InstallScope;
  readonly tenantId: string | null;
  readonly serviceUrl: string;
  readonly teamId: string | null;
  readonly channelId: string | null;
  readonly reference: Readonly<Record<string, unknown>>;
  /** For a personal chat: the member it reaches, if linked. */
  readonly memberId: string | null;
  readonly teamsUserId: string | null;
}

/**
 * Records where the bot can post. Teams re-sends install events (and the Playground on every
 * page load), so this is an upsert; the serviceUrl and reference are refreshed each time,
 * because Teams may move a conversation to another serviceUrl.
 */
export async function recordInstall(store: Store, input: InstallInput, now: Date): Promise<Versioned<ConversationInstall>> {
  for (let attempt = 0; ; attempt++) {
    const existing = await store.installs.get(input.conversationId);
    const record: ConversationInstall = {
      id: input.conversationId,
      scope: input.scope,
      tenantId: input.tenantId,
      serviceUrl: input.serviceUrl,
      teamId: input.teamId,
      channelId: input.channelId,
      memberId: input.memberId ?? existing?.memberId ?? null,
      teamsUserId: input.teamsUserId ?? existing?.teamsUserId ?? null,
      installedAt: existing?.installedAt ?? now.toISOString(),
      reference: input.reference,
    };
    try {
      if (!existing) return await store.installs.create(record);
      if (JSON.stringify({ ...existing, version: undefined }) === JSON.stringify({ ...record, version: undefined })) return existing;
      return await store.installs.update(record, existing.version);
    } catch (error) {
      // Two install events at once: read again and merge.
      if (attempt < 2 && (isStoreError(error, 'STORE.DUPLICATE') || isStoreError(error, 'STORE.CONFLICT'))) continue;
      throw error;
    }
  }
}

export async function forgetInstall(store: Store, conversationId: string): Promise<boolean> {
  const existing = await store.installs.get(conversationId);
  if (!existing) return false;
  try {
    await store.installs.delete(conversationId, existing.version);
  } catch (error) {
    if (isStoreError(error, 'STORE.NOT_FOUND') || isStoreError(error, 'STORE.CONFLICT')) return false;
    throw error;
  }
  return true;
}

/**
 * Finds the member a Teams user is: by Teams id once seen, else Entra object id, else
 * email/UPN. The ids learnt are written to the member so the next lookup is direct.
 */
export async function linkTeamsUser(store: Store, user: TeamsUserIdentity): Promise<string | null> {
  const byTeamsId = (await store.members.list({ teamsUserId: user.teamsUserId }, { limit: 1 })).items[0];
  let member: Versioned<Member> | undefined = byTeamsId;
  if (!member && user.aadObjectId) member = (await store.members.list({ entraObjectId: user.aadObjectId }, { limit: 1 })).items[0];
  if (!member && user.email) member = (await store.members.list({ email: user.email.toLowerCase() }, { limit: 1 })).items[0];
  if (!member) return null;
  const next: Member = {
    ...stripVersion(member),
    teamsUserId: user.teamsUserId,
    entraObjectId: member.entraObjectId ?? user.aadObjectId,
  };
  if (next.teamsUserId !== member.teamsUserId || next.entraObjectId !== member.entraObjectId) {
    try {
      await store.members.update(next, member.version);
    } catch (error) {
      // Someone edited the member meanwhile: the link is learnt again on the next message.
      if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
    }
  }
  return member.id;
}

function stripVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

/** The personal chat that reaches a member, if the app is installed for them. */
export async function personalInstallFor(store: Store, memberId: string): Promise<Versioned<ConversationInstall> | undefined> {
  return (await store.installs.list({ memberId, scope: 'personal' }, { limit: 1 })).items[0];
}

export interface UnreachableMember {
  readonly memberId: string;
  readonly initials: string;
  readonly name: string;
  /** no-install: never installed (or uninstalled); not-linked: installed, but we could not match their Teams account. */
  readonly reason: 'no-install';
}

/**
 * Current members the bot cannot message: they would miss their reminders. Listed for the
 * secretariat, who can ask them to add the app (or an admin can install it for them).
 */
export async function listUnreachableMembers(store: Store, now: Date): Promise<UnreachableMember[]> {
  const directory = await loadDirectory(store);
  const today = londonDate(now);
  const current = currentMemberIds(directory.memberships, today);
  const installs = await listAll(store.installs, { scope: 'personal' });
  const reachable = new Set(installs.map((i) => i.memberId).filter((id): id is string => id !== null));
  return directory.members
    .filter((m) => current.has(m.id) && !reachable.has(m.id))
    .map((m) => ({ memberId: m.id, initials: m.initials, name: m.name, reason: 'no-install' as const }))
    .sort((a, b) => a.initials.localeCompare(b.initials));
}
