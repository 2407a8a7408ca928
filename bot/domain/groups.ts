import type { Audited } from './audit.js';
import { isLocalDate, type LocalDate } from './dates.js';
import { fail, ok, type Result } from './result.js';

export const GROUP_KINDS = ['exec', 'board', 'theme-group', 'sub-group'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GROUP_KIND_LABELS: Record<GroupKind, string> = {
  exec: 'The Exec (the board itself)',
  board: 'Partnership board',
  'theme-group': 'Theme group',
  'sub-group': 'Sub-group',
};

/** Who a group-owned action's reminders reach, as the secretariat chooses it. */
export const GROUP_REMIND_VIA_LABELS: Record<'members' | 'chair', string> = {
  members: 'Every current member',
  chair: 'Only the group\u2019s chair',
};

export interface Group extends Audited {
  readonly id: string;
  readonly name: string;
  readonly kind: GroupKind;
  /** The group this one reports to (MARAC reports to the domestic abuse theme group). */
  readonly parentGroupId: string | null;
  /** The theme a theme group delivers, so "Safer Families to look into this" finds its lead. */
  readonly themeId: string | null;
  /**
   * Who a group-owned action's reminders reach: every current member (the default), or only
   * the group's chair, for a large group that would rather its chair hand the work out.
   */
  readonly remindVia?: 'members' | 'chair';
}

export const MEMBERSHIP_ROLES = ['chair', 'vice-chair', 'theme-lead', 'member', 'secretariat', 'adviser'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const MEMBERSHIP_ROLE_LABELS: Record<MembershipRole, string> = {
  chair: 'Chair',
  'vice-chair': 'Vice-chair',
  'theme-lead': 'Theme lead',
  member: 'Member',
  secretariat: 'Secretariat / business support',
  adviser: 'Adviser',
};

export interface Membership extends Audited {
  readonly id: string;
  readonly groupId: string;
  readonly memberId: string;
  readonly role: MembershipRole;
  /** Can commit their organisation's resources at this table (the governance review asks who can). */
  readonly decisionMaker: boolean;
  /** Set when this person sits as the named member's deputy. */
  readonly deputyForMemberId: string | null;
  readonly startDate: LocalDate;
  readonly endDate: LocalDate | null;
}

export function isCurrentMembership(membership: Membership, today: LocalDate): boolean {
  return membership.startDate <= today && (membership.endDate === null || membership.endDate >= today);
}

/** The checks the secretariat's edits must pass, whoever makes them. */
export function validateMembership(membership: Membership): Result<Membership> {
  if (!MEMBERSHIP_ROLES.includes(membership.role)) return fail('MEMBERSHIP.INVALID', `Role must be one of: ${MEMBERSHIP_ROLES.join(', ')}.`);
  if (!isLocalDate(membership.startDate)) return fail('MEMBERSHIP.INVALID', 'The start date must be a real date (YYYY-MM-DD).');
  if (membership.endDate !== null && !isLocalDate(membership.endDate)) return fail('MEMBERSHIP.INVALID', 'The end date must be a real date (YYYY-MM-DD).');
  if (membership.endDate !== null && membership.endDate < membership.startDate) return fail('MEMBERSHIP.INVALID', 'The end date is before the start date.');
  if (membership.deputyForMemberId === membership.memberId) return fail('MEMBERSHIP.INVALID', 'A member cannot be their own deputy.');
  return ok(membership);
}
