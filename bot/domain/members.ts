import type { Audited } from './audit.js';
import { isCurrentMembership, type Membership } from './groups.js';
import type { LocalDate } from './dates.js';
import { fail, ok, type Result } from './result.js';

export interface Member extends Audited {
  readonly id: string;
  readonly name: string;
  /**
   * How the minutes name this person (TN, AM, JKE). Unique among current members:
   * the minutes disambiguate clashes themselves (JK is Jackie Kings, JKE is Jean Kelly).
   */
  readonly initials: string;
  /** Other initials the minutes use for the same person (Lyn Gooding is LGO and "LG"). */
  readonly otherInitials: readonly string[];
  readonly organisationId: string | null;
  readonly jobTitle: string;
  /** Email / UPN, used to match a Teams user when no object id is known yet. */
  readonly email: string | null;
  /** Entra ID object id, once known (from SSO or a Teams install). */
  readonly entraObjectId: string | null;
  /** Teams user id (29:...), once the bot has seen this member. */
  readonly teamsUserId: string | null;
  /**
   * When they removed the app from their personal chat: their way of saying "stop". The bot then
   * does not reopen a chat with them through the board's team until they add the app again.
   */
  readonly removedAppAt?: string | null;
}

export const INITIALS_PATTERN = /^[A-Z]{1,4}$/;

export function normaliseInitials(initials: string): string {
  return initials.trim().toUpperCase();
}

/** Finds a member by the initials the minutes use, including the aliases they slip into. */
export function findByInitials(members: readonly Member[], initials: string): Member | undefined {
  const wanted = normaliseInitials(initials);
  return (
    members.find((m) => m.initials === wanted) ?? members.find((m) => m.otherInitials.includes(wanted))
  );
}

export const MEMBER_NAME_MAX = 200;
export const JOB_TITLE_MAX = 200;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const OBJECT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Someone whose memberships have all ended. A person just added, with none yet, is not former. */
export function isFormerMember(memberId: string, memberships: readonly Membership[], today: LocalDate): boolean {
  const theirs = memberships.filter((m) => m.memberId === memberId);
  return theirs.length > 0 && !theirs.some((m) => isCurrentMembership(m, today));
}

export type PersonFields = Pick<Member, 'name' | 'initials' | 'jobTitle' | 'organisationId' | 'email' | 'entraObjectId'>;

/**
 * The checks a person's record passes whoever adds or edits it. Initials are how the minutes
 * name people, so they must be unique among current people (a former member's initials can be
 * reused: the minutes reuse them too), and so must the sign-in identities.
 */
export function validatePerson(fields: PersonFields, selfId: string | null, members: readonly Member[], memberships: readonly Membership[], today: LocalDate): Result<PersonFields> {
  const name = fields.name.trim();
  if (!name) return fail('MEMBER.INVALID', 'Give the person\u2019s name.');
  if (name.length > MEMBER_NAME_MAX) return fail('MEMBER.INVALID', `A name can be at most ${MEMBER_NAME_MAX} characters.`);
  const initials = normaliseInitials(fields.initials);
  if (!INITIALS_PATTERN.test(initials)) return fail('MEMBER.INVALID', 'Initials are one to four letters, as the minutes print them (for example TN or JKE).');
  const jobTitle = fields.jobTitle.trim();
  if (jobTitle.length > JOB_TITLE_MAX) return fail('MEMBER.INVALID', `A job title can be at most ${JOB_TITLE_MAX} characters.`);
  const email = fields.email?.trim().toLowerCase() || null;
  if (email !== null && !EMAIL_PATTERN.test(email)) return fail('MEMBER.INVALID', 'The email / UPN does not look like an address (name@organisation.gov.uk).');
  const entraObjectId = fields.entraObjectId?.trim().toLowerCase() || null;
  if (entraObjectId !== null && !OBJECT_ID_PATTERN.test(entraObjectId)) return fail('MEMBER.INVALID', 'The Entra object id must be a GUID (8-4-4-4-12 hexadecimal digits).');
  const others = members.filter((m) => m.id !== selfId && !isFormerMember(m.id, memberships, today));
  const clash = others.find((m) => m.initials === initials || m.otherInitials.includes(initials));
  if (clash) return fail('MEMBER.INVALID', `The initials ${initials} are already used by ${clash.name}: add a letter to tell them apart (the minutes use JK and JKE).`);
  if (email !== null) {
    const sameEmail = members.find((m) => m.id !== selfId && m.email?.toLowerCase() === email);
    if (sameEmail) return fail('MEMBER.INVALID', `This email / UPN is already on ${sameEmail.name}\u2019s record.`);
  }
  if (entraObjectId !== null) {
    const sameOid = members.find((m) => m.id !== selfId && m.entraObjectId?.toLowerCase() === entraObjectId);
    if (sameOid) return fail('MEMBER.INVALID', `This Entra object id is already on ${sameOid.name}\u2019s record.`);
  }
  return ok({ name, initials, jobTitle, organisationId: fields.organisationId, email, entraObjectId });
}
