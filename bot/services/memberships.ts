import {
  formatLongDate,
  describeFieldChanges,
  MEMBERSHIP_ROLE_LABELS,
  withAudit,
  fail,
  isCurrentMembership,
  managesMemberships,
  ok,
  RESPONSIBLE_AUTHORITY_KINDS,
  validateMembership,
  type Membership,
  type ResponsibleAuthorityKind,
  type Result,
} from '../domain/index.js';
import { isStoreError, type Store, type Versioned } from '../store/store.js';
import { actorIn, loadDirectory, type Directory } from './directory.js';
import type { RequestContext } from './request-context.js';

export interface GroupMemberView {
  readonly membershipId: string;
  readonly version: string;
  readonly memberId: string;
  readonly initials: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly authorityKind: ResponsibleAuthorityKind | null;
  readonly role: Membership['role'];
  /** "Theme lead", "Secretariat / business support": the domain's MEMBERSHIP_ROLE_LABELS. */
  readonly roleLabel: string;
  readonly decisionMaker: boolean;
  readonly deputyFor: string | null;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly current: boolean;
}

export interface GroupView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly parentGroupId: string | null;
  readonly members: readonly GroupMemberView[];
  /** Responsible authorities with nobody currently on this group. */
  readonly missingAuthorities: readonly ResponsibleAuthorityKind[];
}

/** Every group with its members, from the request's directory. */
export function listGroupViews(context: Pick<RequestContext, 'directory' | 'today'>): GroupView[] {
  const { directory, today } = context;
  return directory.groups.map((group) => {
    const members = directory.memberships
      .filter((ms) => ms.groupId === group.id)
      .map((ms): GroupMemberView => {
        const member = directory.members.find((x) => x.id === ms.memberId);
        const organisation = directory.organisations.find((o) => o.id === member?.organisationId);
        const deputyFor = ms.deputyForMemberId ? directory.members.find((x) => x.id === ms.deputyForMemberId) : undefined;
        return {
          membershipId: ms.id,
          version: ms.version,
          memberId: ms.memberId,
          initials: member?.initials ?? '?',
          name: member?.name ?? 'Unknown member',
          organisation: organisation?.name ?? null,
          authorityKind: organisation?.authorityKind ?? null,
          role: ms.role,
          roleLabel: MEMBERSHIP_ROLE_LABELS[ms.role],
          decisionMaker: ms.decisionMaker,
          deputyFor: deputyFor?.initials ?? null,
          startDate: ms.startDate,
          endDate: ms.endDate,
          current: isCurrentMembership(ms, today),
        };
      });
    const present = new Set(members.filter((x) => x.current).map((x) => x.authorityKind));
    return {
      id: group.id,
      name: group.name,
      kind: group.kind,
      parentGroupId: group.parentGroupId,
      members,
      missingAuthorities: RESPONSIBLE_AUTHORITY_KINDS.filter((k) => !present.has(k)),
    };
  });
}

export type MembershipInput = Omit<Membership, 'id'>;

/** The request's directory when the caller has one (a tab route's context); a script or test without one has it read. */
async function checkEditor(store: Store, actorMemberId: string, now: Date, input: MembershipInput, known?: Directory): Promise<Result<true>> {
  const directory = known ?? (await loadDirectory(store));
  if (!managesMemberships(actorIn(directory, actorMemberId, now))) {
    return fail('MEMBERSHIP.FORBIDDEN', 'Only the secretariat or the chair can change membership lists.');
  }
  if (!directory.groups.some((g) => g.id === input.groupId)) return fail('GROUP.NOT_FOUND', 'There is no group with this id.');
  if (!directory.members.some((m) => m.id === input.memberId)) return fail('MEMBER.NOT_FOUND', 'There is no member with this id.');
  if (input.deputyForMemberId && !directory.members.some((m) => m.id === input.deputyForMemberId)) {
    return fail('MEMBER.NOT_FOUND', 'The member this person deputises for is not known.');
  }
  return ok(true);
}

export async function createMembership(
  store: Store,
  actorMemberId: string,
  input: MembershipInput,
  membershipId: string,
  now: Date,
  directory?: Directory,
): Promise<Result<Versioned<Membership>>> {
  const allowed = await checkEditor(store, actorMemberId, now, input, directory);
  if (!allowed.ok) return allowed;
  const valid = validateMembership({ id: membershipId, ...input });
  if (!valid.ok) return valid;
  try {
    const role = MEMBERSHIP_ROLE_LABELS[valid.value.role];
    return ok(await store.memberships.create(withAudit(valid.value, { id: `${membershipId}:created`, at: now.toISOString(), byMemberId: actorMemberId, summary: `Added as ${role} from ${formatLongDate(valid.value.startDate)}` })));
  } catch (error) {
    // The client names the new membership, so a resent create finds its own record.
    if (isStoreError(error, 'STORE.DUPLICATE')) {
      const existing = await store.memberships.get(membershipId);
      if (existing && existing.memberId === input.memberId && existing.groupId === input.groupId) return ok(existing);
      return fail('STORE.CONFLICT', 'A different membership already has this id.');
    }
    throw error;
  }
}

export async function updateMembership(
  store: Store,
  actorMemberId: string,
  membershipId: string,
  expectedVersion: string,
  input: MembershipInput,
  now: Date,
  directory?: Directory,
): Promise<Result<Versioned<Membership>>> {
  const existing = await store.memberships.get(membershipId);
  if (!existing) return fail('MEMBERSHIP.NOT_FOUND', 'There is no membership with this id.');
  const allowed = await checkEditor(store, actorMemberId, now, input, directory);
  if (!allowed.ok) return allowed;
  const valid = validateMembership({ id: membershipId, ...input });
  if (!valid.ok) return valid;
  const summary = describeFieldChanges(
    { role: 'Role', decisionMaker: 'Decision maker', startDate: 'Start', endDate: 'End', deputyForMemberId: 'Deputy for' },
    { ...existing, role: MEMBERSHIP_ROLE_LABELS[existing.role], decisionMaker: existing.decisionMaker ? 'yes' : 'no' },
    { ...valid.value, role: MEMBERSHIP_ROLE_LABELS[valid.value.role], decisionMaker: valid.value.decisionMaker ? 'yes' : 'no' },
  );
  const record = summary ? withAudit({ ...valid.value, audit: existing.audit ?? [] }, { id: `${membershipId}:${now.getTime()}`, at: now.toISOString(), byMemberId: actorMemberId, summary }) : { ...valid.value, audit: existing.audit ?? [] };
  try {
    return ok(await store.memberships.update(record, expectedVersion));
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT')) return fail('STORE.CONFLICT', 'Someone else changed this membership since you opened it. Reload and try again.');
    throw error;
  }
}
