import type { Audited } from './audit.js';
import { fail, ok, type Result } from './result.js';

/**
 * The five statutory partners of a community safety partnership (Crime and Disorder
 * Act 1998, s.5): the "responsible authorities" whose absence the Exec tracks.
 */
export const RESPONSIBLE_AUTHORITY_KINDS = [
  'police',
  'local-authority',
  'fire-and-rescue',
  'probation',
  'health',
] as const;
export type ResponsibleAuthorityKind = (typeof RESPONSIBLE_AUTHORITY_KINDS)[number];

export const RESPONSIBLE_AUTHORITY_LABELS: Record<ResponsibleAuthorityKind, string> = {
  police: 'Police',
  'local-authority': 'Local authority',
  'fire-and-rescue': 'Fire and rescue',
  probation: 'Probation',
  health: 'Health',
};

export interface Organisation extends Audited {
  readonly id: string;
  readonly name: string;
  /** null for partners that are not a responsible authority (voluntary sector, OPCC, university...). */
  readonly authorityKind: ResponsibleAuthorityKind | null;
}

export const ORGANISATION_NAME_MAX = 200;

export function validateOrganisation(fields: Pick<Organisation, 'name' | 'authorityKind'>, selfId: string | null, organisations: readonly Organisation[]): Result<Pick<Organisation, 'name' | 'authorityKind'>> {
  const name = fields.name.trim();
  if (!name) return fail('ORGANISATION.INVALID', 'Give the organisation\u2019s name.');
  if (name.length > ORGANISATION_NAME_MAX) return fail('ORGANISATION.INVALID', `A name can be at most ${ORGANISATION_NAME_MAX} characters.`);
  if (fields.authorityKind !== null && !RESPONSIBLE_AUTHORITY_KINDS.includes(fields.authorityKind)) {
    return fail('ORGANISATION.INVALID', `A responsible authority is one of: ${Object.values(RESPONSIBLE_AUTHORITY_LABELS).join(', ')}.`);
  }
  const clash = organisations.find((o) => o.id !== selfId && o.name.toLowerCase() === name.toLowerCase());
  if (clash) return fail('ORGANISATION.INVALID', `${clash.name} is already on the list.`);
  return ok({ name, authorityKind: fields.authorityKind });
}
