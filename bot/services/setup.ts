import { randomUUID } from 'node:crypto';
import { fail, formatLongDate, isCurrentMembership, londonDate, ok, validatePerson, withAudit, type Group, type Member, type Membership, type Result } from '../domain/index.js';
import { isStoreError, listAll, type RecordSet, type Store } from '../store/store.js';
import { EXEC_GROUP_ID } from './directory.js';

export interface SetupInput {
  readonly groupName: string;
  readonly secretariatName: string;
  readonly secretariatInitials: string;
  readonly secretariatEmail: string | null;
  readonly secretariatAadObjectId: string | null;
}

export interface SetupOutcome {
  readonly outcome: 'created' | 'already-set-up';
  readonly groupId: string;
  readonly memberId: string;
  readonly membershipId: string;
}

/**
 * The first records of an empty store: the board's group and the one person who can then add
 * everyone else from the tab. A set-up interrupted half way completes when run again (its person is
 * found by name and initials), and running it again after it finished changes nothing.
 */
export async function setUpBoard(store: Store, input: SetupInput, now: Date, newId: () => string = randomUUID): Promise<Result<SetupOutcome>> {
  const today = londonDate(now);
  const groupName = input.groupName.trim();
  if (!groupName || groupName.length > 200) return fail('REQUEST.INVALID', 'The board name must be 1 to 200 characters (--group-name "Safer Plymouth Exec").');
  const person = validatePerson(
    { name: input.secretariatName, initials: input.secretariatInitials, jobTitle: 'Business support', organisationId: null, email: input.secretariatEmail, entraObjectId: input.secretariatAadObjectId },
    null,
    [],
    [],
    today,
  );
  if (!person.ok) return person;
  const group = await store.groups.get(EXEC_GROUP_ID);
  const [members, memberships] = await Promise.all([listAll(store.members, {}), listAll(store.memberships, { groupId: EXEC_GROUP_ID })]);
  // A set-up interrupted half way left its person (and perhaps the membership): found by name and initials.
  const same = members.find((m) => m.initials === person.value.initials && m.name === person.value.name);
  const theirs = same ? memberships.find((ms) => ms.memberId === same.id && ms.role === 'secretariat') : undefined;

  if (group) {
    const keepers = memberships.filter((ms) => ms.role === 'secretariat' && isCurrentMembership(ms, today));
    if (group.name === groupName && same && theirs && keepers.some((ms) => ms.id === theirs.id)) {
      return ok({ outcome: 'already-set-up', groupId: EXEC_GROUP_ID, memberId: same.id, membershipId: theirs.id });
    }
    const names = keepers.map((ms) => members.find((m) => m.id === ms.memberId)).filter((m) => m !== undefined).map((m) => `${m.name} (${m.initials})`);
    return fail(
      'SETUP.ALREADY_DONE',
      names.length
        ? `This store is already set up for ${group.name}, with ${names.join(' and ')} as secretariat: they add people from the tab. Nothing was changed.`
        : `This store already holds ${group.name}. Nothing was changed.`,
    );
  }
  const others = members.filter((m) => m.id !== same?.id);
  if (others.length) {
    return fail('SETUP.ALREADY_DONE', `The store already holds people (${others.length}) but no board: it is not empty. Nothing was changed.`);
  }

  // Ids say nothing about the person (erasure keeps a record's id), and the group is written last:
  // its presence is what says "set up", the same marker the demo seed checks.
  const memberId = same?.id ?? `mem-${newId()}`;
  const membershipId = theirs?.id ?? `ms-${newId()}`;
  const at = now.toISOString();
  const line = (id: string, summary: string) => ({ id: `${id}:setup`, at, byMemberId: null, summary });
  if (!same) await createIfMissing(store.members, withAudit<Member>({ id: memberId, ...person.value, otherInitials: [], teamsUserId: null }, line(memberId, 'Added by set-up')));
  if (!theirs) {
    await createIfMissing(
      store.memberships,
      withAudit<Membership>(
        { id: membershipId, groupId: EXEC_GROUP_ID, memberId, role: 'secretariat' as const, decisionMaker: false, deputyForMemberId: null, startDate: today, endDate: null },
        line(membershipId, `Added as Secretariat / business support from ${formatLongDate(today)} by set-up`),
      ),
    );
  }
  await createIfMissing(store.groups, withAudit<Group>({ id: EXEC_GROUP_ID, name: groupName, kind: 'exec' as const, parentGroupId: null, themeId: null, remindVia: 'members' as const }, line(EXEC_GROUP_ID, 'Set up')));
  return ok({ outcome: 'created', groupId: EXEC_GROUP_ID, memberId, membershipId });
}

async function createIfMissing<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: T): Promise<void> {
  try {
    await set.create(record);
  } catch (error) {
    if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
  }
}
