import { actorFor, fail, isCurrentMembership, managesActionLog, type ActionChange, type InstallScope, type LocalDate, type Membership, type Result } from '../domain/index.js';
import type { Store } from '../store/store.js';
import { changeAction, getActionDetail, type ActionDetailView } from './action-log.js';
import { EXEC_GROUP_ID } from './directory.js';
import type { RequestContext } from './request-context.js';

/**
 * Who is reading a card, as far as closing actions and deciding new dates goes, so that a
 * sentence about "the chair" is worded for the person who reads it: the chair (sent the weekly
 * digest: a current chair of the Exec), someone else who manages the log (vice-chair,
 * secretariat), or anyone else (an owner).
 */
export type CardViewer = 'chair' | 'manager' | 'owner';

export function viewerAmong(memberships: readonly Membership[], memberId: string, today: LocalDate): CardViewer {
  const own = memberships.filter((ms) => ms.memberId === memberId);
  if (own.some((ms) => ms.groupId === EXEC_GROUP_ID && ms.role === 'chair' && isCurrentMembership(ms, today))) return 'chair';
  return managesActionLog(actorFor(memberId, own, EXEC_GROUP_ID, today)) ? 'manager' : 'owner';
}

/** The viewer, from the request's context (the directory it already holds). */
export function viewerIn(context: RequestContext): CardViewer {
  return viewerAmong(context.directory.memberships, context.memberId, context.today);
}


/**
 * The one rule for where personal content may be shown: action text, named owners, notes,
 * report text, the digest. Only a personal chat is seen by the person concerned alone; a group
 * chat or a channel is seen by everyone in it, and a conversation of unknown kind is treated as
 * shared. Every way a request arrives (a typed command, a card button's Action.Execute or
 * Action.Submit, a card refresh) asks this before answering with personal content.
 */
export function mayShowPersonalContent(scope: InstallScope | null): boolean {
  return scope === 'personal';
}

export type ActionCardCommand =
  | { readonly kind: 'mark-done'; readonly actionId: string; readonly version: string }
  | { readonly kind: 'add-update'; readonly actionId: string; readonly version: string; readonly note: string }
  | { readonly kind: 'request-date'; readonly actionId: string; readonly version: string; readonly proposedDate: LocalDate; readonly reason: string }
  | { readonly kind: 'decide-date'; readonly actionId: string; readonly version: string; readonly approve: boolean }
  | { readonly kind: 'close'; readonly actionId: string; readonly version: string };

function toChange(command: ActionCardCommand): ActionChange {
  switch (command.kind) {
    case 'mark-done':
      return { kind: 'set-status', status: 'proposed-complete' };
    case 'add-update':
      return { kind: 'add-note', note: command.note };
    case 'request-date':
      return { kind: 'request-date-change', proposedDate: command.proposedDate, reason: command.reason };
    case 'decide-date':
      return { kind: 'decide-date-change', approve: command.approve };
    case 'close':
      return { kind: 'set-status', status: 'closed' };
  }
}

/**
 * A button pressed on a card. `changeId` names the press (it comes from the Teams activity
 * id), so when Teams delivers the same press twice the second finds its own history line
 * and changes nothing. Who may do what is the domain's rule, applied by changeAction.
 */
export async function applyActionCardCommand(store: Store, context: RequestContext, command: ActionCardCommand, changeId: string): Promise<Result<ActionDetailView>> {
  if (!changeId) return fail('REQUEST.INVALID', 'The card press has no id.');
  return changeAction(store, context, { actionId: command.actionId, expectedVersion: command.version, changeId, change: toChange(command) });
}

export { getActionDetail };
