import { londonDate, mayReadPartnershipRecords, type Actor, type LocalDate, type Member } from '../domain/index.js';
import type { Store, Versioned } from '../store/store.js';
import { actorIn, loadDirectory, type Directory } from './directory.js';

/**
 * What every request needs, loaded once at the edge (a tab route, a bot turn) and handed to
 * the services, which never read it again: who is asking, their record and roles, the
 * directory, and the moment the request is answered at. On SharePoint each directory read is
 * several Graph requests, so a service that reloaded it made every request slower.
 */
export interface RequestContext {
  readonly memberId: string;
  /** Undefined only for an id the directory does not hold (a record removed since it was linked). */
  readonly member: Versioned<Member> | undefined;
  /** Their roles and groups today: what the domain's permission rules take. */
  readonly actor: Actor;
  readonly directory: Directory;
  readonly now: Date;
  /** The board's date (London) at `now`. */
  readonly today: LocalDate;
}

/** The context from a directory already read: for a sweep, which reads it once for every recipient. */
export function contextIn(directory: Directory, memberId: string, now: Date): RequestContext {
  return {
    memberId,
    member: directory.members.find((m) => m.id === memberId),
    actor: actorIn(directory, memberId, now),
    directory,
    now,
    today: londonDate(now),
  };
}

/** Reads the directory once and builds the caller's context from it. */
export async function loadRequestContext(store: Store, memberId: string, now: Date): Promise<RequestContext> {
  return contextIn(await loadDirectory(store), memberId, now);
}

/** Partnership records are for current members only (the domain's rule), read from the context. */
export function isCurrentMember(context: RequestContext): boolean {
  return mayReadPartnershipRecords(context.memberId, context.directory.memberships, context.today);
}
