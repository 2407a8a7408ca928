/**
 * The SharePoint layout behind `SharePointStore`: one list per record set, plain data so the
 * provisioning script, the store and the tests read the same definition.
 *
 * Every list holds each record's full domain JSON in `Body` (the truth, like the SQLite adapter's
 * `body` column) plus the columns queries filter on. Why the columns look the way they do:
 * - `RecordId` is indexed and unique: SharePoint then refuses a second item with the same id, so a
 *   keyed create is idempotent across servers (the delivery ledger cannot send twice). Unique
 *   columns must be indexed in SharePoint anyway.
 * - Key columns are indexed: the store reads whole lists through delta and filters in memory, but
 *   people browsing a list (and a store that fell back to filtered reads) need them past 5,000
 *   items (the list view threshold). At most 20 indexes per list.
 * - Single-line text holds 255 characters: longer key values are stored hashed (see `indexValue`
 *   in the store), never truncated.
 * - Typed mirror columns (numbers, dates, booleans) are written for people browsing the list in
 *   SharePoint; the store never reads them back, so a time-zone shift on a dateTime column cannot
 *   change a record.
 * - `WriteToken` is a random value written with every create and update, so a write whose response
 *   was lost can be recognised as our own when it is retried (see the store).
 */

/**
 * Bump when lists, columns or indexes change; `npm run provision:sharepoint` upgrades in place.
 * 2: the "SaferExec Action Owners" index list is no longer used (the store answers owner queries
 * from its read model); a layout-1 app, which would trust that index, refuses a layout-2 site.
 * Provisioning leaves the old list in place: delete it by hand once no layout-1 app runs.
 */
export const LAYOUT_VERSION = 2;

/** SharePoint allows at most this many indexed columns per list. */
export const MAX_INDEXES_PER_LIST = 20;

/** Single line of text holds at most 255 characters. */
export const TEXT_COLUMN_MAX = 255;

export type ColumnKind = 'text' | 'note' | 'number' | 'dateTime' | 'boolean';

export interface ColumnDesign {
  /** The API name (the key in an item's `fields`). No spaces, so it is also the internal name. */
  readonly name: string;
  readonly kind: ColumnKind;
  readonly indexed?: boolean;
  readonly enforceUniqueValues?: boolean;
  readonly description: string;
}

export type RecordSetName =
  | 'organisations'
  | 'members'
  | 'groups'
  | 'memberships'
  | 'themes'
  | 'meetings'
  | 'actions'
  | 'reportRounds'
  | 'themeReports'
  | 'installs'
  | 'deliveries';

export type ListKey = RecordSetName | 'meta';

export interface ListDesign {
  readonly key: ListKey;
  /** The list's display name on the site; the store finds its lists by these names. */
  readonly displayName: string;
  readonly description: string;
  readonly columns: readonly ColumnDesign[];
}

const recordId: ColumnDesign = {
  name: 'RecordId',
  kind: 'text',
  indexed: true,
  enforceUniqueValues: true,
  description: 'The record id (hashed when longer than 255 characters). Unique: a second create with this id fails.',
};
const body: ColumnDesign = { name: 'Body', kind: 'note', description: 'The full record as JSON: the store reads only this.' };
const writeToken: ColumnDesign = {
  name: 'WriteToken',
  kind: 'text',
  description: 'Random per write, so a retried write whose response was lost is recognised as our own.',
};
const common = [recordId, body, writeToken] as const;

const key = (name: string, description: string): ColumnDesign => ({ name, kind: 'text', indexed: true, description });
const mirror = (name: string, kind: ColumnKind, description: string): ColumnDesign => ({ name, kind, description });

export const LIST_DESIGNS: readonly ListDesign[] = [
  {
    key: 'meta',
    displayName: 'SaferExec Layout',
    description: 'Safer Exec: which layout version the lists below follow. Managed by npm run provision:sharepoint.',
    columns: [...common],
  },
  { key: 'organisations', displayName: 'SaferExec Organisations', description: 'Safer Exec: partner organisations.', columns: [...common] },
  {
    key: 'members',
    displayName: 'SaferExec Members',
    description: 'Safer Exec: people who sit on the Exec and its groups.',
    columns: [
      ...common,
      key('Initials', 'Initials as the minutes use them, upper case.'),
      key('EntraObjectId', 'Entra ID object id, once known.'),
      key('TeamsUserId', 'Teams user id (29:...), once known.'),
      key('EmailKey', 'Email, lower case, for matching a Teams user.'),
    ],
  },
  { key: 'groups', displayName: 'SaferExec Groups', description: 'Safer Exec: the Exec, boards, theme groups.', columns: [...common] },
  {
    key: 'memberships',
    displayName: 'SaferExec Memberships',
    description: 'Safer Exec: who sits on which group, in which role.',
    columns: [
      ...common,
      key('GroupId', 'The group.'),
      key('MemberId', 'The member.'),
      mirror('DecisionMaker', 'boolean', 'Can commit their organisation (for people browsing the list).'),
    ],
  },
  {
    key: 'themes',
    displayName: 'SaferExec Themes',
    description: 'Safer Exec: the partnership themes and priorities.',
    columns: [...common, mirror('PriorityNumber', 'number', 'Priority number (for people browsing the list).')],
  },
  {
    key: 'meetings',
    displayName: 'SaferExec Meetings',
    description: 'Safer Exec: meetings of the Exec and its groups.',
    columns: [
      ...common,
      key('GroupId', 'The group that meets.'),
      mirror('MeetingDate', 'dateTime', 'Meeting date (for people browsing the list; the store reads the date from Body).'),
    ],
  },
  {
    key: 'actions',
    displayName: 'SaferExec Actions',
    description: 'Safer Exec: the action log, each action with its history.',
    columns: [
      ...common,
      key('MeetingId', 'The meeting that agreed the action.'),
      key('Status', 'open, in-progress, proposed-complete, closed or dropped.'),
      key('ThemeId', 'The theme, if any.'),
      mirror('RolloverCount', 'number', 'Times rolled over (for people browsing the list).'),
      mirror('CreatedAt', 'dateTime', 'When the action was recorded (for people browsing the list).'),
    ],
  },
  {
    key: 'reportRounds',
    displayName: 'SaferExec Report Rounds',
    description: 'Safer Exec: rounds of theme-lead reports, one per meeting.',
    columns: [...common, key('MeetingId', 'The meeting whose papers the reports feed.')],
  },
  {
    key: 'themeReports',
    displayName: 'SaferExec Theme Reports',
    description: 'Safer Exec: theme-lead reports with every submitted version.',
    columns: [...common, key('RoundId', 'The report round.'), key('LeadMemberId', 'The theme lead.')],
  },
  {
    key: 'installs',
    displayName: 'SaferExec Installs',
    description: 'Safer Exec: conversations the bot is installed in.',
    columns: [...common, key('MemberId', 'The member a personal chat reaches.'), key('Scope', 'personal, groupChat or team.')],
  },
  {
    key: 'deliveries',
    displayName: 'SaferExec Deliveries',
    description: 'Safer Exec: the delivery ledger. The unique RecordId makes a second send of one message impossible, even from two servers.',
    columns: [
      ...common,
      key('Status', 'pending, sending, sent, failed, in-doubt or skipped (nothing left to say, nothing posted).'),
      mirror('Attempts', 'number', 'Send attempts (for people browsing the list).'),
      mirror('CreatedAt', 'dateTime', 'When the delivery was queued (for people browsing the list).'),
      mirror('LastAttemptAt', 'dateTime', 'Last attempt (for people browsing the list).'),
    ],
  },
];

export function listDesign(key: ListKey): ListDesign {
  const design = LIST_DESIGNS.find((d) => d.key === key);
  if (!design) throw new Error(`No list design for ${key}.`);
  return design;
}

/**
 * A column as Graph's columnDefinition JSON (learn.microsoft.com/graph/api/resources/columndefinition):
 * the type facets (text, number, dateTime, boolean) are mutually exclusive; a note column is a text
 * column with `allowMultipleLines`.
 */
export function toColumnDefinition(column: ColumnDesign): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: column.name,
    displayName: column.name,
    description: column.description,
    indexed: column.indexed === true,
    enforceUniqueValues: column.enforceUniqueValues === true,
  };
  switch (column.kind) {
    case 'text':
      return { ...base, text: { allowMultipleLines: false, maxLength: TEXT_COLUMN_MAX } };
    case 'note':
      return { ...base, text: { allowMultipleLines: true, appendChangesToExistingText: false, textType: 'plain', linesForEditing: 6 } };
    case 'number':
      return { ...base, number: { decimalPlaces: 'none' } };
    case 'dateTime':
      return { ...base, dateTime: { format: 'dateTime', displayAs: 'standard' } };
    case 'boolean':
      return { ...base, boolean: {} };
  }
}
