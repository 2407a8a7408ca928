import { Option, OptionGroup } from '@fluentui/react-components';
import type { GroupView } from './api';
import type { Session } from './session';

/** An owner as a picker option's value: a person (`m:` and their id) or a group (`g:` and its id). */
export type OwnerKey = `m:${string}` | `g:${string}`;

type Person = Session['directory']['members'][number];

/**
 * Who can own an action at a meeting: the current members of the meeting's groups, by initials,
 * and the groups themselves; with the short label a picker shows for a chosen owner.
 */
export function ownerChoices(session: Session, groups: readonly GroupView[]): { people: Person[]; ownerLabel: (key: OwnerKey) => string } {
  const current = new Set(groups.flatMap((g) => g.members.filter((m) => m.current).map((m) => m.memberId)));
  const people = session.directory.members.filter((m) => current.has(m.id)).sort((a, b) => a.initials.localeCompare(b.initials));
  const ownerLabel = (key: OwnerKey) => {
    const id = key.slice(2);
    if (key.startsWith('m:')) return session.directory.members.find((m) => m.id === id)?.initials ?? '?';
    return groups.find((g) => g.id === id)?.name ?? '?';
  };
  return { people, ownerLabel };
}

/** The options of an owner picker: people first, then groups. */
export function OwnerOptions({ people, groups }: { people: readonly Person[]; groups: readonly GroupView[] }) {
  return (
    <>
      <OptionGroup label="People">
        {people.map((m) => (
          <Option key={m.id} value={`m:${m.id}`} text={`${m.initials} – ${m.name}`}>
            {m.initials} – {m.name}
          </Option>
        ))}
      </OptionGroup>
      <OptionGroup label="Groups">
        {groups.map((g) => (
          <Option key={g.id} value={`g:${g.id}`} text={`${g.name} (group)`}>
            {`${g.name} (group)`}
          </Option>
        ))}
      </OptionGroup>
    </>
  );
}
