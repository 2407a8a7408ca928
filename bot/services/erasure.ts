import { fail, londonDate, managesMemberships, normaliseInitials, ok, type Audited, type Member, type Result, type ThemeReport } from '../domain/index.js';
import {
  actionAfterErasure,
  anonymisedMember,
  auditAfterErasure,
  erasureAuditLine,
  erasureTarget,
  isDeliveryTo,
  isErased,
  mayErase,
  redactPerson,
  type ErasureTarget,
} from '../domain/retention.js';
import type { Meeting, Theme } from '../domain/index.js';
import { isStoreError, listAll, type RecordSet, type Store, type Versioned } from '../store/store.js';
import { actorIn } from './directory.js';
import { directoryOf, type Editor } from './meetings.js';

/**
 * A person's erasure, when someone who has left asks for it (UK GDPR art. 17). Their record
 * becomes "A former member" with no contact details or sign-in identities; their personal chat
 * and the ledger of messages to them go; their name (and, where it meant them, their initials)
 * leaves every text the board holds. The board's decisions stay readable: actions they owned,
 * history lines and report versions they wrote keep pointing at the now anonymous record.
 *
 * Each record is rewritten with a version-checked write, retried on a conflict. The person's
 * record is written last, so an erasure interrupted half way (a crash, a conflict that would not
 * settle) leaves them findable, and asking again finishes the rest: every step is idempotent.
 */
export interface ErasureRequest {
  readonly memberId: string;
  readonly expectedVersion: string;
  /** Their initials as shown, typed by the chair or secretariat to confirm whom they are erasing. */
  readonly confirmInitials: string;
  /** Notes (and date-change reasons) they wrote: kept without their name (default), or removed. */
  readonly theirNotes: 'keep' | 'remove';
}

export interface ErasureResult {
  readonly memberId: string;
  readonly erasedOn: string;
  /** How many records of each kind changed: the board's records keep their shape, only words changed. */
  readonly changed: {
    readonly actions: number;
    readonly themeReports: number;
    readonly meetings: number;
    readonly auditedRecords: number;
    readonly installsDeleted: number;
    readonly deliveriesDeleted: number;
  };
  readonly message: string;
}

const ATTEMPTS = 5;
const unsettled = () => fail<never>('STORE.CONFLICT', 'Records kept changing while the erasure ran. Nothing is lost: ask again to finish it.');

function stripVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

/** Rewrites every record whose text changes, re-reading and retrying on a conflict. */
async function rewrite<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, records: readonly Versioned<T>[], change: (record: T) => T): Promise<Result<number>> {
  let changed = 0;
  for (const first of records) {
    let current: Versioned<T> | undefined = first;
    for (let attempt = 1; current; attempt++) {
      const base = stripVersion(current) as unknown as T;
      const next = change(base);
      if (JSON.stringify(next) === JSON.stringify(base)) break;
      try {
        await set.update(next, current.version);
        changed++;
        break;
      } catch (error) {
        if (isStoreError(error, 'STORE.NOT_FOUND')) break;
        if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
        if (attempt >= ATTEMPTS) return unsettled();
        current = await set.get(first.id);
      }
    }
  }
  return ok(changed);
}

async function remove<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, records: readonly Versioned<T>[]): Promise<Result<number>> {
  let deleted = 0;
  for (const first of records) {
    let current: Versioned<T> | undefined = first;
    for (let attempt = 1; current; attempt++) {
      try {
        await set.delete(current.id, current.version);
        deleted++;
        break;
      } catch (error) {
        if (isStoreError(error, 'STORE.NOT_FOUND')) break;
        if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
        if (attempt >= ATTEMPTS) return unsettled();
        current = await set.get(first.id);
      }
    }
  }
  return ok(deleted);
}

function meetingAfterErasure(meeting: Meeting, target: ErasureTarget): Meeting {
  const named = (text: string) => redactPerson(text, target, null);
  return auditAfterErasure(
    {
      ...meeting,
      title: named(meeting.title),
      agenda: meeting.agenda.map((item) => ({ ...item, title: named(item.title) })),
      ...(meeting.cancelledReason ? { cancelledReason: named(meeting.cancelledReason) } : {}),
      ...(meeting.substitutes ? { substitutes: meeting.substitutes.map((s) => ({ ...s, name: redactPerson(s.name, target, meeting.date) })) } : {}),
    },
    target,
  );
}

function reportAfterErasure(report: ThemeReport, target: ErasureTarget): ThemeReport {
  return {
    ...report,
    versions: report.versions.map((v) => ({
      ...v,
      content: {
        ...v.content,
        progress: redactPerson(v.content.progress, target, v.submittedAt),
        asks: redactPerson(v.content.asks, target, v.submittedAt),
        risks: redactPerson(v.content.risks, target, v.submittedAt),
        data: redactPerson(v.content.data, target, v.submittedAt),
      },
    })),
  };
}

function themeAfterErasure(theme: Theme, target: ErasureTarget): Theme {
  return auditAfterErasure({ ...theme, leadNote: theme.leadNote === null ? null : redactPerson(theme.leadNote, target, null) }, target);
}

export async function erasePerson(store: Store, editor: Editor, request: ErasureRequest): Promise<Result<ErasureResult>> {
  const directory = await directoryOf(store, editor);
  if (!managesMemberships(actorIn(directory, editor.memberId, editor.now))) {
    return fail('MEMBER.FORBIDDEN', 'Only the chair or the secretariat can erase a person\u2019s details.');
  }
  const member = directory.members.find((m) => m.id === request.memberId);
  if (!member) return fail('MEMBER.NOT_FOUND', 'There is no person with this id.');
  if (isErased(member)) return fail('STORE.CONFLICT', 'This person\u2019s details have already been erased.');
  if (member.version !== request.expectedVersion) return fail('STORE.CONFLICT', 'Someone else changed this person since you opened them. Reload, check it is still the right person, then try again.');
  if (normaliseInitials(request.confirmInitials) !== member.initials) {
    return fail('MEMBER.INVALID', `To confirm, type the initials of the person you are erasing exactly as shown (${member.initials}).`);
  }
  const today = londonDate(editor.now);
  const allowed = mayErase(member, directory.memberships, today, (id) => directory.groups.find((g) => g.id === id)?.name ?? 'a group');
  if (!allowed.ok) return allowed;

  const target = erasureTarget(member, directory.memberships);
  const removeNotes = request.theirNotes === 'remove';

  const actions = await rewrite(store.actions, await listAll(store.actions, {}), (a) => actionAfterErasure(a, member.id, target, removeNotes));
  if (!actions.ok) return actions;
  const reports = await rewrite(store.themeReports, await listAll(store.themeReports, {}), (r) => reportAfterErasure(r, target));
  if (!reports.ok) return reports;
  const meetings = await rewrite(store.meetings, directory.meetings, (m) => meetingAfterErasure(m, target));
  if (!meetings.ok) return meetings;
  let audited = 0;
  const audit = <T extends Audited>(record: T) => auditAfterErasure(record, target);
  for (const step of [
    () => rewrite(store.members, directory.members.filter((m) => m.id !== member.id), audit),
    () => rewrite(store.memberships, directory.memberships, audit),
    () => rewrite(store.organisations, directory.organisations, audit),
    () => rewrite(store.groups, directory.groups, audit),
    () => rewrite(store.themes, directory.themes, (t) => themeAfterErasure(t, target)),
  ]) {
    const done = await step();
    if (!done.ok) return done;
    audited += done.value;
  }

  const installs = (await listAll(store.installs, {})).filter((i) => i.memberId === member.id || (member.teamsUserId !== null && i.teamsUserId === member.teamsUserId));
  const chats = new Set(installs.map((i) => i.id));
  const deliveries = await remove(store.deliveries, (await listAll(store.deliveries, {})).filter((d) => isDeliveryTo(d, member.id, chats)));
  if (!deliveries.ok) return deliveries;
  const removedInstalls = await remove(store.installs, installs);
  if (!removedInstalls.ok) return removedInstalls;

  // Last: the record that names them. A conflict here means someone edited them meanwhile.
  const by = directory.members.find((m) => m.id === editor.memberId);
  const anonymous: Member = anonymisedMember(stripVersion(member) as Member, erasureAuditLine(member.id, editor.memberId, by?.initials ?? 'the secretariat', editor.now));
  try {
    await store.members.update(anonymous, member.version);
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT') || isStoreError(error, 'STORE.NOT_FOUND')) {
      return fail('STORE.CONFLICT', 'Someone else changed this person while the erasure ran. Reload them and erase again to finish.');
    }
    throw error;
  }
  const changed = {
    actions: actions.value,
    themeReports: reports.value,
    meetings: meetings.value,
    auditedRecords: audited,
    installsDeleted: removedInstalls.value,
    deliveriesDeleted: deliveries.value,
  };
  return ok({
    memberId: member.id,
    erasedOn: today,
    changed,
    message: `Erased. They now read as \u201ca former member\u201d: ${changed.actions} action${changed.actions === 1 ? '' : 's'} and ${changed.themeReports} theme report${changed.themeReports === 1 ? '' : 's'} reworded, ${changed.installsDeleted} chat${changed.installsDeleted === 1 ? '' : 's'} with the bot and ${changed.deliveriesDeleted} message record${changed.deliveriesDeleted === 1 ? '' : 's'} deleted.`,
  });
}
