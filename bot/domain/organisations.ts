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

export interface Organisation {
  readonly id: string;
  readonly name: string;
  /** null for partners that are not a responsible authority (voluntary sector, OPCC, university...). */
  readonly authorityKind: ResponsibleAuthorityKind | null;
}
