import { isCurrentMembership, type Membership } from './groups.js';
import type { LocalDate } from './dates.js';

/**
 * Who is acting, and in what capacity, derived from memberships on a given day.
 * Built once per request by a service; every permission rule takes one of these.
 */
export interface Actor {
  readonly memberId: string;
  /** Chair or vice-chair of the Exec: decides dates, owners and closure. */
  readonly chairsExec: boolean;
  /** Business support for the Exec: keeps the action log and the membership lists. */
  readonly isSecretariat: boolean;
  /** Groups this person currently sits on: an action owned by a group is theirs too. */
  readonly groupIds: readonly string[];
}

export function actorFor(
  memberId: string,
  memberships: readonly Membership[],
  execGroupId: string,
  today: LocalDate,
): Actor {
  const current = memberships.filter((m) => m.memberId === memberId && isCurrentMembership(m, today));
  const execRoles = current.filter((m) => m.groupId === execGroupId).map((m) => m.role);
  return {
    memberId,
    chairsExec: execRoles.includes('chair') || execRoles.includes('vice-chair'),
    isSecretariat: execRoles.includes('secretariat'),
    groupIds: [...new Set(current.map((m) => m.groupId))],
  };
}

/** The chair and the secretariat manage the log: owners, dates, closing and dropping. */
export function managesActionLog(actor: Actor): boolean {
  return actor.chairsExec || actor.isSecretariat;
}

/** Only the secretariat (and the chair) keeps the membership lists. */
export function managesMemberships(actor: Actor): boolean {
  return actor.chairsExec || actor.isSecretariat;
}

/** Everyone who sits on some group today: the people the app serves. */
export function currentMemberIds(memberships: readonly Membership[], today: LocalDate): Set<string> {
  return new Set(memberships.filter((m) => isCurrentMembership(m, today)).map((m) => m.memberId));
}

/**
 * Partnership records (actions, reports, memberships) are for current members only:
 * someone signed in whose memberships have all ended, or who never had one, reads nothing.
 */
export function mayReadPartnershipRecords(memberId: string, memberships: readonly Membership[], today: LocalDate): boolean {
  return memberships.some((m) => m.memberId === memberId && isCurrentMembership(m, today));
}
