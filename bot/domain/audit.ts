/**
 * Who changed what in the board's reference records (people, organisations, themes, groups,
 * memberships, meetings), kept inside each record like an action's history, so a change and
 * its audit line are one versioned write: a crash cannot keep one without the other.
 */
export interface AuditLine {
  readonly id: string;
  readonly at: string;
  /** null for the set-up command, which runs before anyone can sign in. */
  readonly byMemberId: string | null;
  /** Plain words for the secretariat: "Added", "Initials TN → TNX", "Membership ended on 3 March 2027". */
  readonly summary: string;
}

export interface Audited {
  readonly audit?: readonly AuditLine[];
}

/** Records keep their last 200 lines: a member edited weekly for four years stays a small record. */
export const AUDIT_LINES_KEPT = 200;

export function withAudit<T extends Audited>(record: T, line: AuditLine): T {
  const audit = [...(record.audit ?? []), line];
  return { ...record, audit: audit.slice(Math.max(0, audit.length - AUDIT_LINES_KEPT)) };
}

/** "Name Tom Nicholls → Tom Nichols; Job title (none) → Head of Service", or null when nothing changed. */
export function describeFieldChanges(labels: Readonly<Record<string, string>>, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string | null {
  const show = (value: unknown) => (value === null || value === undefined || value === '' ? '(none)' : Array.isArray(value) ? value.join(', ') || '(none)' : String(value));
  const parts: string[] = [];
  for (const [field, label] of Object.entries(labels)) {
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) parts.push(`${label} ${show(before[field])} \u2192 ${show(after[field])}`);
  }
  return parts.length ? parts.join('; ') : null;
}
