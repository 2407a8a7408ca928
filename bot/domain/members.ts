export interface Member {
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
