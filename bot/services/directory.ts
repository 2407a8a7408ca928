import {
  actorFor,
  mayReadPartnershipRecords,
  type Action,
  isCurrentMembership,
  londonDate,
  type Actor,
  type Group,
  type Meeting,
  type Member,
  type Membership,
  type Organisation,
  type Theme,
} from '../domain/index.js';
import { listAll, type Store, type Versioned } from '../store/store.js';

/**
 * The reference data every screen needs: a few hundred records at most (people, groups,
 * meetings), read together. Actions and reports are not here: they grow, and are paged.
 */
export interface Directory {
  readonly organisations: Versioned<Organisation>[];
  readonly members: Versioned<Member>[];
  readonly groups: Versioned<Group>[];
  readonly memberships: Versioned<Membership>[];
  readonly themes: Versioned<Theme>[];
  readonly meetings: Versioned<Meeting>[];
}

export async function loadDirectory(store: Store): Promise<Directory> {
  const [organisations, members, groups, memberships, themes, meetings] = await Promise.all([
    listAll(store.organisations, {}),
    listAll(store.members, {}),
    listAll(store.groups, {}),
    listAll(store.memberships, {}),
    listAll(store.themes, {}),
    listAll(store.meetings, {}),
  ]);
  return { organisations, members, groups, memberships, themes, meetings };
}

export const EXEC_GROUP_ID = 'grp-exec';

export function actorIn(directory: Directory, memberId: string, now: Date): Actor {
  return actorFor(memberId, directory.memberships, EXEC_GROUP_ID, londonDate(now));
}

/** Members of a group today, for sending a group-owned action's reminder to the group's leads. */
export function currentMembers(directory: Directory, groupId: string, now: Date): Membership[] {
  const today = londonDate(now);
  return directory.memberships.filter((ms) => ms.groupId === groupId && isCurrentMembership(ms, today));
}

/**
 * Who an action's reminders and notices reach: each member owner, and for a group owner the
 * group's current members (or only its chair, where the group asked for that). Empty means the
 * action reaches nobody: the chair's digest lists it as unowned.
 */
export function actionRecipients(action: Pick<Action, 'owners'>, directory: Directory, now: Date): string[] {
  const ids = new Set<string>();
  for (const owner of action.owners) {
    if (owner.kind === 'member') {
      if (mayReadPartnershipRecords(owner.memberId, directory.memberships, londonDate(now))) ids.add(owner.memberId);
      continue;
    }
    const group = directory.groups.find((g) => g.id === owner.groupId);
    const members = currentMembers(directory, owner.groupId, now);
    const chairsOnly = group?.remindVia === 'chair';
    for (const ms of members) if (!chairsOnly || ms.role === 'chair') ids.add(ms.memberId);
  }
  return [...ids].sort();
}
