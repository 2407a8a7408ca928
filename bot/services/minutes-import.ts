import { createHash } from 'node:crypto';
import {
  fail,
  formatLongDate,
  isCurrentMembership,
  managesActionLog,
  mayReadPartnershipRecords,
  meetingStatus,
  MINUTES_STYLE_LABELS,
  normaliseInitials,
  ok,
  parseMinutes,
  type Due,
  type Group,
  type ImportDoubt,
  type LocalDate,
  type Meeting,
  type Member,
  type Membership,
  type MinutesStyle,
  type Owner,
  type Result,
} from '../domain/index.js';
import type { Store } from '../store/store.js';
import { createAction, newActionId, type ActionDetailView } from './action-log.js';
import type { RequestContext } from './request-context.js';

/** What resolving needs: the people, groups and memberships of the day. */
export interface ImportDirectory {
  readonly members: readonly Member[];
  readonly groups: readonly Group[];
  readonly memberships: readonly Membership[];
}

export interface OwnerChoice {
  readonly owner: Owner;
  /** "TN" for a person, the group's name for a group: how the tab shows it. */
  readonly label: string;
  readonly name: string;
}

export interface ProposedAction {
  readonly key: string;
  readonly minuteRef: string;
  readonly text: string;
  /** The owners as the minutes wrote them. */
  readonly ownerTokens: readonly string[];
  /** The owners resolved to people or groups on the board today; a token in doubt is left out. */
  readonly owners: readonly OwnerChoice[];
  readonly due: Due;
  /** "the next meeting" or "30 September 2020". */
  readonly dueLabel: string;
  readonly dueText: string | null;
  readonly doubts: readonly ImportDoubt[];
}

export interface ImportPreview {
  /** Names this paste for this meeting: confirming with it twice creates the actions once. */
  readonly importId: string;
  readonly meeting: { readonly id: string; readonly date: LocalDate; readonly dateLabel: string };
  readonly style: MinutesStyle;
  readonly styleLabel: string;
  readonly proposals: readonly ProposedAction[];
  /** "15 actions found; 4 need checking." */
  readonly summary: string;
}

const memberChoice = (m: Member): OwnerChoice => ({ owner: { kind: 'member', memberId: m.id }, label: m.initials, name: m.name });
const groupChoice = (g: Group): OwnerChoice => ({ owner: { kind: 'group', groupId: g.id }, label: g.name, name: g.name });

const simplified = (name: string) =>
  name
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .replace(/^the\s+/, '')
    .replace(/\s+(?:theme\s+)?(?:group|sub-group)$/, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * One owner as the minutes wrote it, against the people and groups of the day. Initials match a
 * person's initials or the other initials the minutes use for them (GM for MG); a name matches a
 * person's full name or a group's name. Anything not certain comes back as a doubt instead.
 */
export function resolveOwnerToken(token: string, directory: ImportDirectory, groupId: string, today: LocalDate): { choice: OwnerChoice | null; doubt: ImportDoubt | null } {
  const current = (m: Member) => mayReadPartnershipRecords(m.id, directory.memberships, today);
  const byRole = /^(?:the\s+)?(chair|vice-chair|secretariat|business support)$/i.exec(token.trim());
  if (byRole) {
    const role = byRole[1]!.toLowerCase() === 'business support' ? 'secretariat' : byRole[1]!.toLowerCase();
    const holders = directory.memberships.filter((ms) => ms.groupId === groupId && ms.role === role && isCurrentMembership(ms, today));
    const people = holders.map((ms) => directory.members.find((m) => m.id === ms.memberId)).filter((m): m is Member => Boolean(m));
    if (people.length === 1) return { choice: memberChoice(people[0]!), doubt: null };
    return {
      choice: null,
      doubt: people.length === 0
        ? { kind: 'unknown-owner', message: `The minutes name "${token}", and the group has no current ${role === 'secretariat' ? 'secretariat' : role}: choose who owns this.` }
        : { kind: 'ambiguous-owner', message: `"${token}" could be ${people.map((p) => `${p.name} (${p.initials})`).join(' or ')}: choose one.` },
    };
  }
  if (/^[A-Za-z]{1,4}$/.test(token) && token === token.toUpperCase()) {
    const initials = normaliseInitials(token);
    const matches = directory.members.filter((m) => m.initials === initials || m.otherInitials.includes(initials));
    const now = matches.filter(current);
    if (now.length === 1) return { choice: memberChoice(now[0]!), doubt: null };
    if (now.length > 1) {
      return { choice: null, doubt: { kind: 'ambiguous-owner', message: `${initials} could be ${now.map((p) => `${p.name} (${p.initials})`).join(' or ')}: choose one.` } };
    }
    if (matches.length > 0) {
      const former = matches[0]!;
      return { choice: null, doubt: { kind: 'former-member', message: `${initials} is ${former.name}, who is not a current member: choose someone on the board today, or a group.` } };
    }
    return { choice: null, doubt: { kind: 'unknown-owner', message: `No one on the board has the initials ${initials}: choose who is meant, or add them to the People view first (their other initials too, as the minutes write them).` } };
  }
  const wanted = simplified(token);
  const groups = directory.groups.filter((g) => simplified(g.name) === wanted);
  if (groups.length === 1) return { choice: groupChoice(groups[0]!), doubt: null };
  const people = directory.members.filter((m) => simplified(m.name) === wanted);
  const currentPeople = people.filter(current);
  if (currentPeople.length === 1 && groups.length === 0) return { choice: memberChoice(currentPeople[0]!), doubt: null };
  if (currentPeople.length + groups.length > 1) {
    const names = [...currentPeople.map((p) => `${p.name} (${p.initials})`), ...groups.map((g) => `the group ${g.name}`)];
    return { choice: null, doubt: { kind: 'ambiguous-owner', message: `"${token}" could be ${names.join(' or ')}: choose one.` } };
  }
  if (people.length > 0) {
    return { choice: null, doubt: { kind: 'former-member', message: `${people[0]!.name} is not a current member: choose someone on the board today, or a group.` } };
  }
  const firstNames = directory.members.filter(current).filter((m) => simplified(m.name).split(' ')[0] === wanted);
  const hint = firstNames.length > 0 ? ` (perhaps ${firstNames.map((p) => `${p.name} (${p.initials})`).join(' or ')})` : '';
  return { choice: null, doubt: { kind: 'unknown-owner', message: `No person or group called "${token}" is on the board${hint}: choose who is meant.` } };
}

export function dueLabel(due: Due): string {
  return due.kind === 'date' ? formatLongDate(due.date) : 'the next meeting';
}

/** The minutes' proposals with every owner resolved against the board of the day. Pure. */
export function proposeFromText(text: string, meeting: Pick<Meeting, 'date' | 'groupId'>, directory: ImportDirectory, today: LocalDate): { style: MinutesStyle; proposals: ProposedAction[] } {
  const parsed = parseMinutes(text, meeting.date);
  const proposals = parsed.actions.map((action): ProposedAction => {
    const owners: OwnerChoice[] = [];
    const doubts: ImportDoubt[] = [];
    for (const token of action.ownerTokens) {
      const { choice, doubt } = resolveOwnerToken(token, directory, meeting.groupId, today);
      if (choice && !owners.some((o) => JSON.stringify(o.owner) === JSON.stringify(choice.owner))) owners.push(choice);
      if (doubt) doubts.push(doubt);
    }
    return { key: action.key, minuteRef: action.minuteRef, text: action.text, ownerTokens: action.ownerTokens, owners, due: action.due, dueLabel: dueLabel(action.due), dueText: action.dueText, doubts: [...doubts, ...action.doubts] };
  });
  return { style: parsed.style, proposals };
}

/** The same paste for the same meeting gets the same import id. */
export function importIdFor(meetingId: string, text: string): string {
  return `imp-${createHash('sha256').update(`${meetingId}\n${text.replace(/\r\n?/g, '\n').trim()}`).digest('hex').slice(0, 20)}`;
}

function keeperAndMeeting(context: RequestContext, meetingId: string) {
  const { directory, actor } = context;
  if (!managesActionLog(actor)) return { error: fail<never>('ACTION.FORBIDDEN', 'Only the chair or the secretariat can import actions from minutes.') };
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return { error: fail<never>('MEETING.NOT_FOUND', 'There is no meeting with this id: choose the meeting the minutes are of.') };
  if (meetingStatus(meeting) === 'cancelled') return { error: fail<never>('MEETING.NOT_OPEN', 'That meeting was cancelled: no actions were agreed at it.') };
  return { directory, meeting };
}

/** Reads pasted minutes and proposes their actions. Saves nothing. Chair and secretariat only. */
export function proposeImport(context: RequestContext, meetingId: string, text: string): Result<ImportPreview> {
  const found = keeperAndMeeting(context, meetingId);
  if ('error' in found) return found.error!;
  const { directory, meeting } = found;
  const { style, proposals } = proposeFromText(text, meeting, directory, context.today);
  const doubtful = proposals.filter((p) => p.doubts.length > 0).length;
  const found1 = proposals.length === 1 ? '1 action found' : `${proposals.length} actions found`;
  return ok({
    importId: importIdFor(meeting.id, text),
    meeting: { id: meeting.id, date: meeting.date, dateLabel: formatLongDate(meeting.date) },
    style,
    styleLabel: MINUTES_STYLE_LABELS[style],
    proposals,
    summary: proposals.length === 0
      ? 'No actions were found in this text. Check it is the minutes, pasted as text.'
      : `${found1}; ${doubtful === 0 ? 'none need checking' : doubtful === 1 ? '1 needs checking' : `${doubtful} need checking`}.`,
  });
}

export interface ConfirmedAction {
  readonly key: string;
  readonly minuteRef: string;
  readonly text: string;
  readonly owners: readonly Owner[];
  readonly due: Due;
  readonly themeId?: string | null;
}

export interface ImportResult {
  readonly created: number;
  /** Already created by an earlier confirm of this import: left as they are. */
  readonly alreadyImported: number;
  readonly actions: readonly ActionDetailView[];
  readonly message: string;
}

/**
 * Creates the confirmed actions, once. Each action's id comes from the meeting, the import and the
 * proposal's key, so a second confirm (a double click, a retry after a crash half way) finds the
 * ones already made and makes only those still missing. Every action is checked before the first
 * is created: a list with one bad action changes nothing.
 */
export async function confirmImport(store: Store, context: RequestContext, meetingId: string, importId: string, items: readonly ConfirmedAction[]): Promise<Result<ImportResult>> {
  const found = keeperAndMeeting(context, meetingId);
  if ('error' in found) return found.error!;
  const { directory, meeting } = found;
  const today = context.today;
  const keys = new Set<string>();
  for (const [i, item] of items.entries()) {
    const where = `Action ${i + 1}${item.minuteRef ? ` (minute ${item.minuteRef})` : ''}`;
    if (keys.has(item.key)) return fail('ACTION.INVALID_CHANGE', `${where} is listed twice: send each proposal once.`);
    keys.add(item.key);
    if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(item.minuteRef.trim().replace(/\.$/, ''))) return fail('ACTION.INVALID_CHANGE', `${where} has no minute number: give the minute it was agreed under (8 or 8.3).`);
    if (!item.text.trim()) return fail('ACTION.INVALID_CHANGE', `${where} has no text: write what was agreed.`);
    if (item.due.kind === 'date' && item.due.date < meeting.date) return fail('ACTION.INVALID_CHANGE', `${where} is due before the meeting (${formatLongDate(meeting.date)}): choose a later date or the next meeting.`);
    if (item.themeId && !directory.themes.some((t) => t.id === item.themeId)) return fail('THEME.NOT_FOUND', `${where} names a theme that does not exist.`);
    for (const owner of item.owners) {
      if (owner.kind === 'group' && !directory.groups.some((g) => g.id === owner.groupId)) return fail('ACTION.INVALID_CHANGE', `${where} names an owner group that does not exist.`);
      if (owner.kind === 'member') {
        const member = directory.members.find((m) => m.id === owner.memberId);
        if (!member) return fail('ACTION.INVALID_CHANGE', `${where} names an owner who is not on the board.`);
        if (!mayReadPartnershipRecords(member.id, directory.memberships, today)) return fail('ACTION.INVALID_CHANGE', `${where}: ${member.name} (${member.initials}) is not a current member; choose someone on the board today, or a group.`);
      }
    }
  }
  let created = 0;
  let already = 0;
  const actions: ActionDetailView[] = [];
  for (const item of items) {
    const suffix = createHash('sha256').update(`${meeting.id}\n${importId}\n${item.key}`).digest('hex').slice(0, 12);
    const actionId = newActionId(meeting.date, item.minuteRef, suffix);
    const existed = await store.actions.get(actionId);
    const result = await createAction(store, context, {
      actionId,
      changeId: `import-${importId}-${suffix}`,
      meetingId: meeting.id,
      minuteRef: item.minuteRef,
      text: item.text,
      owners: item.owners,
      due: item.due,
      themeId: item.themeId ?? null,
    });
    if (!result.ok) return result;
    if (existed) already++;
    else created++;
    actions.push(result.value);
  }
  const said = (n: number) => (n === 1 ? '1 action' : `${n} actions`);
  return ok({
    created,
    alreadyImported: already,
    actions,
    message: created === 0 && already > 0
      ? `Nothing new: these ${said(already)} were already imported.`
      : `${said(created)} added to the log for the meeting of ${formatLongDate(meeting.date)}${already ? `; ${said(already)} already imported` : ''}.`,
  });
}
