import { fail, isCurrentMembership, londonDate, ok, validatePerson, withAudit, type Group, type Member, type Membership, type Result } from '../domain/index.js';
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
 * everyone else from the tab. Ids are fixed, and the group is written last (the same marker the
 * demo seed checks), so a set-up interrupted half way completes when run again, and running it
 * again after it finished changes nothing.
 */
export async function setUpBoard(store: Store, input: SetupInput, now: Date): Promise<Result<SetupOutcome>> {
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
  const memberId = `mem-${person.value.initials.toLowerCase()}`;
  const membershipId = `ms-exec-${person.value.initials.toLowerCase()}`;
  const ids = { groupId: EXEC_GROUP_ID, memberId, membershipId };

  const group = await store.groups.get(EXEC_GROUP_ID);
  if (group) {
    const [members, memberships] = await Promise.all([listAll(store.members, {}), listAll(store.memberships, { groupId: EXEC_GROUP_ID })]);
    const keepers = memberships.filter((ms) => ms.role === 'secretariat' && isCurrentMembership(ms, today));
    if (group.name === groupName && keepers.some((ms) => ms.memberId === memberId && members.find((m) => m.id === memberId)?.name === person.value.name)) {
      return ok({ outcome: 'already-set-up', ...ids });
    }
    const names = keepers.map((ms) => members.find((m) => m.id === ms.memberId)).filter((m) => m !== undefined).map((m) => `${m.name} (${m.initials})`);
    return fail(
      'SETUP.ALREADY_DONE',
      names.length
        ? `This store is already set up for ${group.name}, with ${names.join(' and ')} as secretariat: they add people from the tab. Nothing was changed.`
        : `This store already holds ${group.name}. Nothing was changed.`,
    );
  }

  const at = now.toISOString();
  const line = (id: string, summary: string) => ({ id: `${id}:setup`, at, byMemberId: null, summary });
  const existingMember = await store.members.get(memberId);
  if (existingMember && existingMember.name !== person.value.name) {
    return fail('SETUP.ALREADY_DONE', `The store already holds ${existingMember.name} (${existingMember.initials}) but no board: it is not empty. Nothing was changed.`);
  }
  await createIfMissing(store.members, withAudit<Member>({ id: memberId, ...person.value, otherInitials: [], teamsUserId: null }, line(memberId, 'Added by set-up')));
  await createIfMissing(
    store.memberships,
    withAudit<Membership>(
      { id: membershipId, groupId: EXEC_GROUP_ID, memberId, role: 'secretariat' as const, decisionMaker: false, deputyForMemberId: null, startDate: today, endDate: null },
      line(membershipId, `Added as Secretariat / business support from ${today} by set-up`),
    ),
  );
  await createIfMissing(store.groups, withAudit<Group>({ id: EXEC_GROUP_ID, name: groupName, kind: 'exec' as const, parentGroupId: null, themeId: null, remindVia: 'members' as const }, line(EXEC_GROUP_ID, 'Set up')));
  return ok({ outcome: 'created', ...ids });
}

async function createIfMissing<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: T): Promise<void> {
  try {
    await set.create(record);
  } catch (error) {
    if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
  }
}
