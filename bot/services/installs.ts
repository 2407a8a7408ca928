import { currentMemberIds, londonDate, UNREACHABLE_REASON_LABELS, type ConversationInstall, type InstallScope, type Member, type UnreachableReason } from '../domain/index.js';
import type { Logger } from '../observability/logger.js';
import { isStoreError, listAll, type Store, type Versioned } from '../store/store.js';
import { loadDirectory, type Directory } from './directory.js';
import { rosterEntriesByPerson, type RosterMember, type TeamRoster } from './roster.js';

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

export async function forgetInstall(store: Store, conversationId: string, now: Date): Promise<boolean> {
  const existing = await store.installs.get(conversationId);
  if (!existing) return false;
  try {
    await store.installs.delete(conversationId, existing.version);
  } catch (error) {
    if (isStoreError(error, 'STORE.NOT_FOUND') || isStoreError(error, 'STORE.CONFLICT')) return false;
    throw error;
  }
  // Removing the app from a personal chat is how a person stops their reminders (the welcome says
  // so): remembered, so the sweep does not reopen a chat with them through the board's team.
  if (existing.scope === 'personal' && existing.memberId) await setRemovedApp(store, existing.memberId, now.toISOString());
  return true;
}

/** Marks (a time) or clears (null) that a member removed the app from their personal chat. */
export async function setRemovedApp(store: Store, memberId: string, at: string | null): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const member = await store.members.get(memberId);
    if (!member || (member.removedAppAt ?? null) === at) return;
    try {
      await store.members.update({ ...stripVersion(member), removedAppAt: at }, member.version);
      return;
    } catch (error) {
      if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
    }
  }
}

/**
 * Finds the member a Teams user is: by Teams id once seen, else Entra object id, else
 * email/UPN. The ids learnt are written to the member so the next lookup is direct. A bot turn
 * that has read the directory (its request context) passes it, and the member is found in it
 * instead of asking the store again.
 */
export async function linkTeamsUser(store: Store, user: TeamsUserIdentity, directory?: Pick<Directory, 'members'>): Promise<string | null> {
  const lookUp = async (query: Parameters<Store['members']['list']>[0], match: (m: Versioned<Member>) => boolean) =>
    directory ? directory.members.find(match) : (await store.members.list(query, { limit: 1 })).items[0];
  let member = await lookUp({ teamsUserId: user.teamsUserId }, (m) => m.teamsUserId === user.teamsUserId);
  const { aadObjectId, email } = user;
  if (!member && aadObjectId) member = await lookUp({ entraObjectId: aadObjectId }, (m) => m.entraObjectId === aadObjectId);
  if (!member && email) member = await lookUp({ email: email.toLowerCase() }, (m) => m.email?.toLowerCase() === email.toLowerCase());
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
  readonly reason: UnreachableReason;
  /** What the secretariat reads: why, and what would fix it. */
  readonly reasonLabel: string;
}

/** How the board's team was read for the list: the reasons depend on it ('not-asked': the caller only counts, Teams was not asked). */
export type TeamCheck = 'ok' | 'no-team-install' | 'unavailable' | 'not-asked';

const BLOCKED_CODES = new Set(['MessageWritesBlocked']);

/**
 * Current members the bot cannot message: they would miss their reminders. A member with no
 * personal chat who is in the board's team is not listed: the next sweep opens a chat with them
 * through the team. Everyone else is listed with the reason, for the secretariat, who can add
 * them to the team, link their account, or ask them to add the app.
 */
export async function listUnreachableMembers(store: Store, now: Date, reach?: Pick<TeamReach, 'roster' | 'refusedChat'>): Promise<UnreachableMember[]> {
  return (await reachReport(store, now, reach)).members;
}

/** The unreachable members, and how the board's team was read to find them. A request passes the directory its context holds. */
export async function reachReport(store: Store, now: Date, reach?: Pick<TeamReach, 'roster' | 'refusedChat'>, known?: Directory): Promise<{ readonly members: UnreachableMember[]; readonly team: TeamCheck }> {
  const directory = known ?? (await loadDirectory(store));
  const today = londonDate(now);
  const current = currentMemberIds(directory.memberships, today);
  const installs = await listAll(store.installs, { scope: 'personal' });
  const chatOf = new Map<string, string>();
  for (const install of installs) if (install.memberId && !chatOf.has(install.memberId)) chatOf.set(install.memberId, install.id);
  const blockedChats = await chatsRefusingMessages(store, new Set(chatOf.values()));
  const read = reach ? await reach.roster.members() : null;
  const team: TeamCheck = read
    ? read.status === 'ok'
      ? 'ok'
      : read.status
    : (await store.installs.list({ scope: 'team' }, { limit: 1 })).items.length > 0
      ? 'not-asked'
      : 'no-team-install';
  const entries = read?.status === 'ok' ? rosterEntriesByPerson(read.members, directory.members) : new Map<string, RosterMember>();
  const reasonFor = (m: Member): UnreachableReason | null => {
    const chat = chatOf.get(m.id);
    if (chat) return blockedChats.has(chat) ? 'blocked' : null;
    if (m.removedAppAt) return 'removed-app';
    if (team === 'no-team-install') return 'no-team-install';
    if (team === 'unavailable' || team === 'not-asked') return 'teams-unavailable';
    const entry = entries.get(m.id);
    if (entry) return reach!.refusedChat(entry.teamsUserId) ? 'blocked' : null;
    return m.teamsUserId || m.entraObjectId || m.email ? 'not-in-team' : 'no-teams-account-linked';
  };
  const members = directory.members
    .filter((m) => current.has(m.id))
    .flatMap((m) => {
      const reason = reasonFor(m);
      return reason ? [{ memberId: m.id, initials: m.initials, name: m.name, reason, reasonLabel: UNREACHABLE_REASON_LABELS[reason] }] : [];
    })
    .sort((a, b) => a.initials.localeCompare(b.initials));
  return { members, team };
}

/**
 * Personal chats whose last message was refused with 403 (the person blocked or removed the
 * bot) and that have taken none since. Sent lines are read only when there is a refusal to
 * weigh them against: refusals are rare, sent lines are many.
 */
async function chatsRefusingMessages(store: Store, chats: ReadonlySet<string>): Promise<Set<string>> {
  const lastRefused = new Map<string, string>();
  for (const line of await listAll(store.deliveries, { status: 'failed' })) {
    if (!line.conversationId || !chats.has(line.conversationId) || !BLOCKED_CODES.has(line.failureCode ?? '')) continue;
    const at = line.lastAttemptAt ?? line.createdAt;
    if ((lastRefused.get(line.conversationId) ?? '') < at) lastRefused.set(line.conversationId, at);
  }
  if (lastRefused.size === 0) return new Set();
  for (const line of await listAll(store.deliveries, { status: 'sent' })) {
    const refusedAt = line.conversationId ? lastRefused.get(line.conversationId) : undefined;
    if (refusedAt !== undefined && (line.lastAttemptAt ?? line.createdAt) > refusedAt) lastRefused.delete(line.conversationId!);
  }
  return new Set(lastRefused.keys());
}

/**
 * Reaching members who never opened a chat with the bot: where the app is in the board's team,
 * the bot opens a 1:1 chat with each such member of the team and records it as their personal
 * install, so reminders reach them like anyone else's.
 */
export interface TeamReach {
  readonly roster: TeamRoster;
  /**
   * Opens a personal chat with each of these members who is in the board's team, reading the
   * roster once; returns the installs it recorded, by member id.
   */
  openChats(memberIds: readonly string[], directory: Directory, now: Date): Promise<Map<string, ConversationInstall>>;
  /**
   * Whether Teams refused (403) to open a chat with this Teams user at the last try. Kept by
   * the running process only: every sweep asks Teams again, so nothing stale is kept for long.
   */
  refusedChat(teamsUserId: string): boolean;
}

export function createTeamReach(deps: { readonly store: Store; readonly roster: TeamRoster; readonly logger: Logger }): TeamReach {
  const refused = new Set<string>();
  return {
    roster: deps.roster,
    refusedChat: (teamsUserId) => refused.has(teamsUserId),
    async openChats(memberIds, directory, now) {
      const opened = new Map<string, ConversationInstall>();
      if (memberIds.length === 0) return opened;
      const read = await deps.roster.members();
      if (read.status !== 'ok') {
        if (read.status === 'unavailable') deps.logger.log('warn', 'roster.unavailable', { failureCode: read.failureCode });
        return opened;
      }
      const entries = rosterEntriesByPerson(read.members, directory.members);
      for (const memberId of memberIds) {
        const entry = entries.get(memberId);
        if (!entry) continue;
        const outcome = await deps.roster.openPersonalChat(read.team, entry);
        if (!outcome.ok) {
          if (outcome.failure === 'blocked') refused.add(entry.teamsUserId);
          deps.logger.log('warn', 'roster.chat_not_opened', { memberId, failure: outcome.failure, failureCode: outcome.failureCode });
          continue;
        }
        refused.delete(entry.teamsUserId);
        const install = await recordInstall(
          deps.store,
          { ...outcome.chat, scope: 'personal', teamId: null, channelId: null, memberId, teamsUserId: entry.teamsUserId },
          now,
        );
        opened.set(memberId, install);
        deps.logger.log('info', 'roster.chat_opened', { memberId, conversationId: install.id });
      }
      return opened;
    },
  };
}
