import {
  formatLongDate,
  describeFieldChanges,
  fail,
  GROUP_KINDS,
  isCurrentMembership,
  isFormerMember,
  londonDate,
  managesMemberships,
  ok,
  RESPONSIBLE_AUTHORITY_LABELS,
  validateOrganisation,
  validatePerson,
  validateTheme,
  withAudit,
  type AuditLine,
  type Group,
  type GroupKind,
  type Member,
  type Membership,
  type Organisation,
  type PersonFields,
  type ResponsibleAuthorityKind,
  type Result,
  type Theme,
  type ThemeFields,
} from '../domain/index.js';
import { isStoreError, type RecordSet, type Store, type Versioned } from '../store/store.js';
import { isErased } from '../domain/retention.js';
import { actorIn, EXEC_GROUP_ID, type Directory } from './directory.js';
import { directoryOf, ensureUpcomingRounds, type Editor } from './meetings.js';

/**
 * The secretariat's (and the chair's) reference records: people, organisations, themes and
 * groups. Every write checks the role, validates against the whole directory, and carries its
 * audit line inside the record it changes.
 */

function requireKeeper(directory: Directory, editor: Editor): Result<true> {
  if (!managesMemberships(actorIn(directory, editor.memberId, editor.now))) {
    return fail('MEMBER.FORBIDDEN', 'Only the secretariat or the chair can change people, organisations, themes and groups.');
  }
  return ok(true);
}

function stripVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

function line(editor: Editor, recordId: string, summary: string): AuditLine {
  return { id: `${recordId}:${editor.now.getTime()}`, at: editor.now.toISOString(), byMemberId: editor.memberId, summary };
}

/** Creates a record the client named; a resent request finds its own record instead of a second one. */
async function createOnce<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: T, sameRequest: (existing: T) => boolean): Promise<Result<Versioned<T>>> {
  try {
    return ok(await set.create(record));
  } catch (error) {
    if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
    const existing = await set.get(record.id);
    if (existing && sameRequest(existing)) return ok(existing);
    return fail('STORE.CONFLICT', 'A different record already has this id.');
  }
}

async function updateChecked<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: T, version: string): Promise<Result<Versioned<T>>> {
  try {
    return ok(await set.update(record, version));
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT')) return fail('STORE.CONFLICT', 'Someone else changed this record since you opened it. Reload it to see their change, then try again.');
    throw error;
  }
}

function organisationCheck(directory: Directory, organisationId: string | null): Result<true> {
  if (organisationId !== null && !directory.organisations.some((o) => o.id === organisationId)) {
    return fail('ORGANISATION.NOT_FOUND', 'There is no organisation with this id: add the organisation first.');
  }
  return ok(true);
}

export interface PersonInput extends PersonFields {
  readonly otherInitials?: readonly string[];
  readonly teamsUserId?: string | null;
}

const PERSON_LABELS = { name: 'Name', initials: 'Initials', jobTitle: 'Job title', organisationId: 'Organisation', email: 'Email / UPN', entraObjectId: 'Entra object id', otherInitials: 'Other initials' };

export async function addPerson(store: Store, editor: Editor, input: PersonInput, memberId: string): Promise<Result<Versioned<Member>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const org = organisationCheck(directory, input.organisationId);
  if (!org.ok) return org;
  const replay = directory.members.find((m) => m.id === memberId);
  if (replay) return replay.initials === input.initials.trim().toUpperCase() ? ok(replay) : fail('STORE.CONFLICT', 'A different person already has this id.');
  const valid = validatePerson(input, null, directory.members, directory.memberships, londonDate(editor.now));
  if (!valid.ok) return valid;
  const member = withAudit<Member>(
    { id: memberId, ...valid.value, otherInitials: (input.otherInitials ?? []).map((i) => i.trim().toUpperCase()), teamsUserId: input.teamsUserId ?? null },
    line(editor, memberId, 'Added'),
  );
  return createOnce(store.members, member, (existing) => existing.initials === member.initials);
}

export async function editPerson(store: Store, editor: Editor, memberId: string, expectedVersion: string, changes: Pick<PersonInput, 'name' | 'initials'> & Partial<PersonInput>): Promise<Result<Versioned<Member>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const existing = directory.members.find((m) => m.id === memberId);
  if (!existing) return fail('MEMBER.NOT_FOUND', 'There is no person with this id.');
  if (existing.version !== expectedVersion) return fail('STORE.CONFLICT', 'Someone else changed this person since you opened them. Reload, then try again.');
  // Erasure is final: writing a name or an address back would undo what the person asked for.
  if (isErased(existing)) return fail('MEMBER.INVALID', 'This person\u2019s details were erased at their request: their record cannot be edited. Add them again as a new person if they rejoin.');
  const input: PersonInput = { jobTitle: existing.jobTitle, organisationId: existing.organisationId, email: existing.email, entraObjectId: existing.entraObjectId, ...changes };
  const org = organisationCheck(directory, input.organisationId);
  if (!org.ok) return org;
  const valid = validatePerson(input, memberId, directory.members, directory.memberships, londonDate(editor.now));
  if (!valid.ok) return valid;
  const next: Member = { ...stripVersion(existing), ...valid.value, otherInitials: input.otherInitials?.map((i) => i.trim().toUpperCase()) ?? existing.otherInitials, teamsUserId: input.teamsUserId ?? existing.teamsUserId };
  const orgName = (id: unknown) => directory.organisations.find((o) => o.id === id)?.name ?? null;
  const summary = describeFieldChanges(PERSON_LABELS, { ...existing, organisationId: orgName(existing.organisationId) }, { ...next, organisationId: orgName(next.organisationId) });
  if (!summary) return ok(existing);
  return updateChecked(store.members, withAudit(next, line(editor, memberId, summary)), expectedVersion);
}

export async function addOrganisation(store: Store, editor: Editor, input: Pick<Organisation, 'name' | 'authorityKind'>, organisationId: string): Promise<Result<Versioned<Organisation>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const replay = directory.organisations.find((o) => o.id === organisationId);
  if (replay) return replay.name === input.name.trim() ? ok(replay) : fail('STORE.CONFLICT', 'A different organisation already has this id.');
  const valid = validateOrganisation(input, null, directory.organisations);
  if (!valid.ok) return valid;
  const record = withAudit<Organisation>({ id: organisationId, ...valid.value }, line(editor, organisationId, 'Added'));
  return createOnce(store.organisations, record, (existing) => existing.name === record.name);
}

export async function editOrganisation(store: Store, editor: Editor, organisationId: string, expectedVersion: string, input: Pick<Organisation, 'name' | 'authorityKind'>): Promise<Result<Versioned<Organisation>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const existing = directory.organisations.find((o) => o.id === organisationId);
  if (!existing) return fail('ORGANISATION.NOT_FOUND', 'There is no organisation with this id.');
  const valid = validateOrganisation(input, organisationId, directory.organisations);
  if (!valid.ok) return valid;
  const label = (kind: ResponsibleAuthorityKind | null) => (kind ? RESPONSIBLE_AUTHORITY_LABELS[kind] : 'not a responsible authority');
  const summary = describeFieldChanges({ name: 'Name', authorityKind: 'Responsible authority' }, { name: existing.name, authorityKind: label(existing.authorityKind) }, { name: valid.value.name, authorityKind: label(valid.value.authorityKind) });
  if (!summary) return ok(existing);
  return updateChecked(store.organisations, withAudit({ ...stripVersion(existing), ...valid.value }, line(editor, organisationId, summary)), expectedVersion);
}

/** A theme's leads must be people on the board today, not someone who has left. */
function leadsCheck(directory: Directory, leadMemberIds: readonly string[], today: string): Result<true> {
  for (const id of leadMemberIds) {
    const member = directory.members.find((m) => m.id === id);
    if (!member) return fail('MEMBER.NOT_FOUND', `There is no person with the id ${id.slice(0, 60)}.`);
    if (isFormerMember(id, directory.memberships, today)) return fail('THEME.INVALID', `${member.name} is no longer a member: choose a current member as lead.`);
  }
  return ok(true);
}

export type ThemeInput = Pick<ThemeFields, 'name' | 'leadMemberIds'> & Partial<Pick<ThemeFields, 'leadNote' | 'priorityNumber' | 'activeUntil'>>;

export async function addTheme(store: Store, editor: Editor, input: ThemeInput, themeId: string): Promise<Result<Versioned<Theme>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const today = londonDate(editor.now);
  const replay = directory.themes.find((t) => t.id === themeId);
  if (replay) return replay.name === input.name.trim() ? ok(replay) : fail('STORE.CONFLICT', 'A different theme already has this id.');
  const leads = leadsCheck(directory, input.leadMemberIds, today);
  if (!leads.ok) return leads;
  const valid = validateTheme({ leadNote: null, priorityNumber: null, activeUntil: null, ...input }, null, directory.themes, today);
  if (!valid.ok) return valid;
  const created = await createOnce(store.themes, withAudit<Theme>({ id: themeId, ...valid.value }, line(editor, themeId, 'Added')), (existing) => existing.name === valid.value.name);
  // The rounds already open for coming meetings now expect this theme's report too.
  if (created.ok) await ensureUpcomingRounds(store, { ...directory, themes: [...directory.themes, created.value] }, editor.now);
  return created;
}

export async function editTheme(store: Store, editor: Editor, themeId: string, expectedVersion: string, input: ThemeInput): Promise<Result<Versioned<Theme>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const today = londonDate(editor.now);
  const existing = directory.themes.find((t) => t.id === themeId);
  if (!existing) return fail('THEME.NOT_FOUND', 'There is no theme with this id.');
  const leads = leadsCheck(directory, input.leadMemberIds, today);
  if (!leads.ok) return leads;
  const valid = validateTheme({ leadNote: existing.leadNote, priorityNumber: existing.priorityNumber, activeUntil: existing.activeUntil, ...input }, themeId, directory.themes, today);
  if (!valid.ok) return valid;
  const initials = (ids: unknown) => (ids as string[]).map((id) => directory.members.find((m) => m.id === id)?.initials ?? '?');
  const summary = describeFieldChanges(
    { name: 'Name', leadMemberIds: 'Leads', leadNote: 'Lead note', priorityNumber: 'Priority', activeUntil: 'Active until' },
    { ...existing, leadMemberIds: initials(existing.leadMemberIds) },
    { ...valid.value, leadMemberIds: initials(valid.value.leadMemberIds) },
  );
  if (!summary) return ok(existing);
  const saved = await updateChecked(store.themes, withAudit({ ...stripVersion(existing), ...valid.value }, line(editor, themeId, summary)), expectedVersion);
  if (saved.ok) await ensureUpcomingRounds(store, { ...directory, themes: directory.themes.map((t) => (t.id === themeId ? saved.value : t)) }, editor.now);
  return saved;
}

export interface GroupInput {
  readonly name: string;
  readonly kind: GroupKind;
  readonly parentGroupId: string | null;
  readonly themeId: string | null;
  readonly remindVia: 'members' | 'chair';
}

function validateGroup(directory: Directory, input: GroupInput, selfId: string | null): Result<GroupInput> {
  const name = input.name.trim();
  if (!name) return fail('MEMBERSHIP.INVALID', 'Give the group a name.');
  if (name.length > 200) return fail('MEMBERSHIP.INVALID', 'A group name can be at most 200 characters.');
  if (!GROUP_KINDS.includes(input.kind)) return fail('MEMBERSHIP.INVALID', `A group is one of: ${GROUP_KINDS.join(', ')}.`);
  if (input.parentGroupId !== null && (input.parentGroupId === selfId || !directory.groups.some((g) => g.id === input.parentGroupId))) return fail('GROUP.NOT_FOUND', 'The group this one reports to is not known.');
  if (input.themeId !== null && !directory.themes.some((t) => t.id === input.themeId)) return fail('THEME.NOT_FOUND', 'There is no theme with this id.');
  if (directory.groups.some((g) => g.id !== selfId && g.name.toLowerCase() === name.toLowerCase())) return fail('MEMBERSHIP.INVALID', `There is already a group called ${name}.`);
  return ok({ ...input, name });
}

export async function addGroup(store: Store, editor: Editor, input: GroupInput, groupId: string): Promise<Result<Versioned<Group>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const replay = directory.groups.find((g) => g.id === groupId);
  if (replay) return replay.name === input.name.trim() ? ok(replay) : fail('STORE.CONFLICT', 'A different group already has this id.');
  const valid = validateGroup(directory, input, null);
  if (!valid.ok) return valid;
  return createOnce(store.groups, withAudit<Group>({ id: groupId, ...valid.value }, line(editor, groupId, 'Added')), (existing) => existing.name === valid.value.name);
}

export async function editGroup(store: Store, editor: Editor, groupId: string, expectedVersion: string, changes: Pick<GroupInput, 'name' | 'kind'> & Partial<GroupInput>): Promise<Result<Versioned<Group>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const existing = directory.groups.find((g) => g.id === groupId);
  if (!existing) return fail('GROUP.NOT_FOUND', 'There is no group with this id.');
  if (existing.version !== expectedVersion) return fail('STORE.CONFLICT', 'Someone else changed this group since you opened it. Reload, then try again.');
  const input: GroupInput = { parentGroupId: existing.parentGroupId, themeId: existing.themeId, remindVia: existing.remindVia ?? 'members', ...changes };
  const valid = validateGroup(directory, input, groupId);
  if (!valid.ok) return valid;
  const summary = describeFieldChanges({ name: 'Name', kind: 'Kind', remindVia: 'Reminders go to' }, { ...existing, remindVia: existing.remindVia ?? 'members' }, { ...valid.value });
  if (!summary && existing.parentGroupId === valid.value.parentGroupId && existing.themeId === valid.value.themeId) return ok(existing);
  return updateChecked(store.groups, withAudit({ ...stripVersion(existing), ...valid.value }, line(editor, groupId, summary ?? 'Links changed')), expectedVersion);
}

/** Ends a membership on a day (today, or a date the person gave): the record and its history stay. */
export async function endMembership(store: Store, editor: Editor, membershipId: string, expectedVersion: string, endDate: string): Promise<Result<Versioned<Membership>>> {
  const directory = await directoryOf(store, editor);
  const keeper = requireKeeper(directory, editor);
  if (!keeper.ok) return keeper;
  const existing = directory.memberships.find((m) => m.id === membershipId);
  if (!existing) return fail('MEMBERSHIP.NOT_FOUND', 'There is no membership with this id.');
  if (existing.endDate !== null && existing.endDate < londonDate(editor.now)) return fail('MEMBERSHIP.INVALID', `This membership already ended on ${formatLongDate(existing.endDate)}.`);
  if (endDate < existing.startDate) return fail('MEMBERSHIP.INVALID', `A membership cannot end before it started (${formatLongDate(existing.startDate)}).`);
  const execGroupId = EXEC_GROUP_ID;
  if (existing.role === 'secretariat' && existing.groupId === execGroupId) {
    const others = directory.memberships.filter((m) => m.id !== existing.id && m.groupId === execGroupId && (m.role === 'secretariat' || m.role === 'chair') && (m.endDate === null || m.endDate > endDate));
    if (!others.length) return fail('MEMBERSHIP.INVALID', 'This is the last secretariat or chair of the board: add another before ending it, or nobody could manage the board.');
  }
  return updateChecked(store.memberships, withAudit({ ...stripVersion(existing), endDate }, line(editor, membershipId, `Membership ended on ${formatLongDate(endDate)}`)), expectedVersion);
}

/** What the secretariat edits: every person, organisation and theme with its version, and the board's today. */
export interface BoardRecordsView {
  readonly today: string;
  readonly people: readonly (Omit<Versioned<Member>, 'audit'> & { readonly current: boolean })[];
  readonly organisations: readonly Omit<Versioned<Organisation>, 'audit'>[];
  readonly themes: readonly Omit<Versioned<Theme>, 'audit'>[];
  /** With their versions, for the group form: kind, parent group, theme, and who reminders reach. */
  readonly groups: readonly Omit<Versioned<Group>, 'audit'>[];
}

/** The records behind the people screen, with the contact details only the keepers see. */
export async function boardRecords(store: Store, viewer: Editor): Promise<Result<BoardRecordsView>> {
  const directory = await directoryOf(store, viewer);
  if (!requireKeeper(directory, viewer).ok) return fail('AUTH.FORBIDDEN', 'Only the secretariat or the chair can read the records behind the people screen.');
  const today = londonDate(viewer.now);
  const withoutAudit = <T extends { audit?: unknown }>(record: T): Omit<T, 'audit'> => {
    const { audit: _audit, ...rest } = record;
    return rest;
  };
  return ok({
    today,
    people: directory.members.map((m) => ({ ...withoutAudit(m), current: directory.memberships.some((ms) => ms.memberId === m.id && isCurrentMembership(ms, today)) })),
    organisations: directory.organisations.map(withoutAudit),
    themes: directory.themes.map(withoutAudit),
    groups: directory.groups.map(withoutAudit),
  });
}

export interface AuditEntryView {
  readonly at: string;
  readonly byInitials: string | null;
  readonly recordKind: 'person' | 'organisation' | 'theme' | 'group' | 'membership' | 'meeting';
  readonly record: string;
  readonly summary: string;
}

/** The whole audit trail, newest first: who changed which record, when, and what. */
export async function auditTrail(store: Store, viewer: Editor, limit = 500): Promise<Result<readonly AuditEntryView[]>> {
  const directory = await directoryOf(store, viewer);
  const keeper = requireKeeper(directory, viewer);
  if (!keeper.ok) return fail('AUTH.FORBIDDEN', 'Only the secretariat or the chair can read the audit trail.');
  const who = (id: string | null) => (id ? (directory.members.find((m) => m.id === id)?.initials ?? 'a former member') : null);
  const entries: AuditEntryView[] = [];
  const add = (recordKind: AuditEntryView['recordKind'], record: string, lines: readonly AuditLine[] | undefined) => {
    for (const l of lines ?? []) entries.push({ at: l.at, byInitials: who(l.byMemberId), recordKind, record, summary: l.summary });
  };
  for (const m of directory.members) add('person', `${m.name} (${m.initials})`, m.audit);
  for (const o of directory.organisations) add('organisation', o.name, o.audit);
  for (const t of directory.themes) add('theme', t.name, t.audit);
  for (const g of directory.groups) add('group', g.name, g.audit);
  for (const ms of directory.memberships) {
    const member = directory.members.find((m) => m.id === ms.memberId);
    const group = directory.groups.find((g) => g.id === ms.groupId);
    add('membership', `${member?.initials ?? 'a former member'} on ${group?.name ?? 'a group'}`, ms.audit);
  }
  for (const m of directory.meetings) add('meeting', `${m.title} on ${formatLongDate(m.date)}`, m.audit);
  entries.sort((a, b) => b.at.localeCompare(a.at));
  return ok(entries.slice(0, limit));
}
