import { createHash } from 'node:crypto';
import { fail, londonDate, managesMemberships, ok, validatePerson, type ConversationInstall, type Member, type Result } from '../domain/index.js';
import { listAll, type Store, type Versioned } from '../store/store.js';
import { addPerson } from './board-records.js';
import { actorIn, loadDirectory, type Directory } from './directory.js';
import { directoryOf, type Editor } from './meetings.js';

/** One person in the board's team, as Teams lists them (TeamsInfo.getPagedMembers). */
export interface RosterMember {
  /** 29:... — the id the bot addresses them by. */
  readonly teamsUserId: string;
  readonly aadObjectId: string | null;
  readonly name: string;
  readonly email: string | null;
  readonly userPrincipalName: string | null;
}

export type RosterRead =
  | { readonly status: 'ok'; readonly team: ConversationInstall; readonly members: readonly RosterMember[] }
  /** The app is in no team, so there is no roster to read. */
  | { readonly status: 'no-team-install' }
  /** Teams did not answer, or refused: the code is for logs, never for people. */
  | { readonly status: 'unavailable'; readonly failureCode: string };

/** A personal chat Teams opened for the bot, ready to be recorded as a personal install. */
export interface OpenedChat {
  readonly conversationId: string;
  readonly tenantId: string | null;
  readonly serviceUrl: string;
  readonly reference: Readonly<Record<string, unknown>>;
}

export type OpenChatOutcome =
  | { readonly ok: true; readonly chat: OpenedChat }
  /** blocked: Teams answered 403 (the person blocked the bot, or it is not allowed for them); unavailable: try again later; refused: any other answer. */
  | { readonly ok: false; readonly failure: 'blocked' | 'unavailable' | 'refused'; readonly failureCode: string };

/**
 * The board's team in Teams, as the bot reaches it through the Bot Connector (bot/teams
 * implements it). Teams lets a bot that is installed in a team open a 1:1 chat with any member
 * of that team, without a personal install.
 */
export interface TeamRoster {
  /** Every member of the board's team, all pages read. */
  members(): Promise<RosterRead>;
  /** Creates the bot's 1:1 chat with a member of `team` (Teams answers the same chat for the same person). */
  openPersonalChat(team: ConversationInstall, member: RosterMember): Promise<OpenChatOutcome>;
}

/**
 * The board's team: the team whose channel is the Exec channel (EXEC_CHANNEL_ID) when that is
 * set and installed, else the first team the app was added to. Team installs are few (one per
 * channel conversation the bot was added in), so this reads them all.
 */
export async function boardTeamInstall(store: Store, execChannelId: string | null): Promise<Versioned<ConversationInstall> | null> {
  const teams = await listAll(store.installs, { scope: 'team' });
  if (teams.length === 0) return null;
  const exec = execChannelId ? teams.find((t) => t.id === execChannelId) : undefined;
  if (exec) return exec;
  return [...teams].sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.id.localeCompare(b.id))[0]!;
}

const lower = (value: string | null | undefined): string | null => (value ? value.trim().toLowerCase() : null);

/**
 * The person a roster entry is: by Teams id once seen, else Entra object id, else email or
 * UPN (case-insensitive), the same order the bot links a Teams user in (linkTeamsUser).
 */
export function matchRosterMember<M extends Member>(entry: RosterMember, people: readonly M[]): M | undefined {
  const byTeamsId = people.find((p) => p.teamsUserId === entry.teamsUserId);
  if (byTeamsId) return byTeamsId;
  const oid = lower(entry.aadObjectId);
  const byOid = oid ? people.find((p) => lower(p.entraObjectId) === oid) : undefined;
  if (byOid) return byOid;
  const addresses = new Set([lower(entry.userPrincipalName), lower(entry.email)].filter((a): a is string => a !== null));
  return addresses.size ? people.find((p) => p.email !== null && addresses.has(lower(p.email)!)) : undefined;
}

/** Which roster entry is which person: each person matched once, by the strongest link first. */
export function rosterEntriesByPerson(roster: readonly RosterMember[], people: readonly Member[]): Map<string, RosterMember> {
  const byPerson = new Map<string, RosterMember>();
  const passes: ((entry: RosterMember) => Member | undefined)[] = [
    (e) => people.find((p) => p.teamsUserId === e.teamsUserId),
    (e) => matchRosterMember(e, people),
  ];
  for (const pass of passes) {
    for (const entry of roster) {
      const person = pass(entry);
      if (person && !byPerson.has(person.id)) byPerson.set(person.id, entry);
    }
  }
  return byPerson;
}

function rosterFailure(read: Exclude<RosterRead, { status: 'ok' }>): Result<never> {
  return read.status === 'no-team-install'
    ? fail('ROSTER.NO_TEAM_INSTALL', 'Add the app to the board\u2019s team first: the list of people comes from the team\u2019s members in Teams.')
    : fail('ROSTER.UNAVAILABLE', 'Teams could not be reached to list the team\u2019s members. Try again in a few minutes.');
}

export interface RosterEntryView {
  readonly teamsUserId: string;
  readonly name: string;
  readonly email: string | null;
  readonly userPrincipalName: string | null;
  readonly aadObjectId: string | null;
  /** The person this team member already is, if any. */
  readonly person: { readonly id: string; readonly initials: string } | null;
}

/** The board's team as the secretariat sees it when adding people: who is already a person here. */
export async function rosterView(store: Store, roster: TeamRoster, directory?: Directory): Promise<Result<{ readonly members: readonly RosterEntryView[] }>> {
  const read = await roster.members();
  if (read.status !== 'ok') return rosterFailure(read);
  // The request's directory when it has one; a script without one has it read.
  const { members } = directory ?? (await loadDirectory(store));
  return ok({
    members: read.members
      .map((entry) => {
        const person = matchRosterMember(entry, members);
        return {
          teamsUserId: entry.teamsUserId,
          name: entry.name,
          email: entry.email,
          userPrincipalName: entry.userPrincipalName,
          aadObjectId: entry.aadObjectId,
          person: person ? { id: person.id, initials: person.initials } : null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.teamsUserId.localeCompare(b.teamsUserId)),
  });
}

export interface RosterImportRequest {
  readonly teamsUserId: string;
  readonly name: string;
  readonly initials: string;
  readonly jobTitle: string;
  readonly organisationId: string | null;
}

export interface RosterImportResult {
  readonly teamsUserId: string;
  /** added: a new person; already-a-person: this team member was already on the records, nothing changed. */
  readonly outcome: 'added' | 'already-a-person';
  readonly person: Versioned<Member>;
}

/** The same team member always becomes the same person id, so a resent import finds its own record. */
export function personIdForTeamsUser(teamsUserId: string): string {
  return `mem-${createHash('sha256').update(`roster:${teamsUserId}`).digest('hex').slice(0, 24)}`;
}

/**
 * Adds people from the board's team with their Teams id, Entra object id and UPN taken from
 * the roster Teams gave us (never from the request). Everything is checked before anything is
 * written: one bad entry refuses the whole request and changes nothing. A team member who is
 * already a person (matched as the roster view matches) is left as they are.
 */
export async function importFromRoster(store: Store, roster: TeamRoster, editor: Editor, requests: readonly RosterImportRequest[]): Promise<Result<readonly RosterImportResult[]>> {
  const seen = new Set<string>();
  for (const request of requests) {
    if (seen.has(request.teamsUserId)) return fail('REQUEST.INVALID', 'The same team member is listed twice: list each person once.');
    seen.add(request.teamsUserId);
  }
  const directory = await directoryOf(store, editor);
  if (!managesMemberships(actorIn(directory, editor.memberId, editor.now))) return fail('MEMBER.FORBIDDEN', 'Only the secretariat or the chair can add people from the team.');
  const read = await roster.members();
  if (read.status !== 'ok') return rosterFailure(read);
  const today = londonDate(editor.now);
  const planned: { request: RosterImportRequest; entry: RosterMember; existing: Versioned<Member> | undefined }[] = [];
  let pending: Member[] = [...directory.members];
  for (const request of requests) {
    const entry = read.members.find((m) => m.teamsUserId === request.teamsUserId);
    if (!entry) return fail('ROSTER.NOT_IN_TEAM', `${request.name.slice(0, 100)} is not a member of the board\u2019s team in Teams: reload the team\u2019s list and choose again.`);
    const existing = matchRosterMember(entry, directory.members);
    if (!existing) {
      // Checked against everyone already there and everyone added before it in this request.
      const fields = personFields(request, entry);
      const valid = validatePerson(fields, null, pending, directory.memberships, today);
      if (!valid.ok) return valid;
      pending = [...pending, { ...fields, ...valid.value, id: personIdForTeamsUser(entry.teamsUserId), otherInitials: [], teamsUserId: entry.teamsUserId }];
    }
    planned.push({ request, entry, existing });
  }
  const results: RosterImportResult[] = [];
  for (const { request, entry, existing } of planned) {
    if (existing) {
      results.push({ teamsUserId: entry.teamsUserId, outcome: 'already-a-person', person: existing });
      continue;
    }
    const added = await addPerson(store, editor, { ...personFields(request, entry), otherInitials: [], teamsUserId: entry.teamsUserId }, personIdForTeamsUser(entry.teamsUserId));
    if (!added.ok) return added;
    results.push({ teamsUserId: entry.teamsUserId, outcome: 'added', person: added.value });
  }
  return ok(results);
}

function personFields(request: RosterImportRequest, entry: RosterMember) {
  return {
    name: request.name,
    initials: request.initials,
    jobTitle: request.jobTitle,
    organisationId: request.organisationId,
    email: entry.userPrincipalName ?? entry.email,
    entraObjectId: entry.aadObjectId,
  };
}
