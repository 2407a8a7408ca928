import {
  addDays,
  isBankHoliday,
  weekdayOf,
  type Action,
  type ActionUpdate,
  type Group,
  type LocalDate,
  type Meeting,
  type Member,
  type Membership,
  type Organisation,
  type ReportRound,
  type Theme,
  type ThemeReport,
  type ThemeReportContent,
} from '../domain/index.js';

/**
 * Demo data drawn from the partnership's own public papers in shared/seeds:
 * - 004: the Safer Plymouth Exec of 28 July 2020 (13 attendees, theme-lead reports, every action);
 * - 001: the board's 2014 priorities and their leads;
 * - 002: the board meeting of 24 September 2015 (attendance and apologies, with job titles).
 *
 * The 2020 Exec calendar is shifted so the demo is alive today: the July meeting becomes the
 * last meeting, six weeks ago; the next is about five weeks ahead; some actions are due soon
 * or overdue. Organisations and roles of the 2020 attendees are not in the minutes: the ones
 * here are illustrative, chosen so the governance view shows what the minutes complain of
 * (responsible authorities that do not come).
 *
 * The July 2020 actions are exactly what the minutes importer reads from 004 (minute, wording as
 * minuted, owners only where the minutes name them: test/unit/minutes-import.test.ts compares
 * them). Everything the demo adds beyond the seeds is listed in DEMO_ILLUSTRATIVE, with why.
 */
export interface DemoData {
  readonly organisations: Organisation[];
  readonly members: Member[];
  readonly groups: Group[];
  readonly memberships: Membership[];
  readonly themes: Theme[];
  readonly meetings: Meeting[];
  readonly actions: Action[];
  readonly reportRounds: ReportRound[];
  readonly themeReports: ThemeReport[];
}

export const EXEC_GROUP_ID = 'grp-exec';

/**
 * Records (or parts of records) the demo invents to show the app working, not found in the seeds:
 * the README's "Demo data" lists them, and a view that must not present them as fact can ask here.
 */
/** The title of a demo meeting the seeds do not record, wherever a person reads it. */
export const ILLUSTRATIVE_TITLE = 'Safer Plymouth Exec (illustrative: not in the minutes)';

export const DEMO_ILLUSTRATIVE: Readonly<Record<string, string>> = {
  'mtg-exec-1': 'An earlier Exec meeting: its date and its attendance and apologies are invented.',
  'mtg-exec-2': 'The Exec meeting before July 2020: its date and its attendance and apologies are invented.',
  'mtg-exec-4': 'The next Exec meeting: its date and agenda are invented.',
  'mtg-exec-5': 'The public meeting: its date is invented (the minutes decide one public meeting a year).',
  'act-exec-1-01': 'A carried action drawn from minute 6 of July 2020 (AM still chasing the Home Office); the minutes record it as news, not as an action.',
  'act-exec-2-01': 'The previous meeting\u2019s action on the courts\u2019 backlog (minute 1.2 of July 2020 reports its update); its wording is ours.',
  'act-exec-2-02': 'An invented carried action, so a theme lead has an older action to update.',
  'act-exec-2-03': 'An invented carried action, so the domestic abuse lead has an action of her own (the July 2020 minutes give her none).',
  'act-exec-3-*': 'Due dates, statuses and updates of the July 2020 actions are invented where the minutes give none; minute, wording and owners are as minuted.',
  'rnd-exec-3': 'The July 2020 theme reports are the leads\u2019 words in minute 3; their RAG ratings are invented.',
  'rnd-exec-4': 'The reports for the next meeting are invented.',
  organisations: 'Which organisation each 2020 attendee sits for is invented; the minutes do not say.',
  memberships: 'Roles other than theme lead (chair, secretariat) and who decides for their organisation are invented.',
};

const org = (id: string, name: string, authorityKind: Organisation['authorityKind']): Organisation => ({ id, name, authorityKind });

const ORGANISATIONS: Organisation[] = [
  org('org-police', 'Devon and Cornwall Police', 'police'),
  org('org-council', 'Plymouth City Council', 'local-authority'),
  org('org-fire', 'Devon and Somerset Fire and Rescue Service', 'fire-and-rescue'),
  org('org-nps', 'National Probation Service', 'probation'),
  // CRCs were responsible authorities alongside the NPS from 2014 until probation reunified in 2021.
  org('org-crc', 'Dorset, Devon and Cornwall Community Rehabilitation Company', 'probation'),
  org('org-ccg', 'NHS Devon Clinical Commissioning Group', 'health'),
  org('org-hospital', 'University Hospitals Plymouth NHS Trust', 'health'),
  org('org-opcc', 'Office of the Police and Crime Commissioner', null),
  org('org-da-service', 'Plymouth Domestic Abuse Service', null),
  org('org-university', 'University of Plymouth', null),
  org('org-upsu', 'University of Plymouth Students\u2019 Union', null),
  org('org-nhw', 'Plymouth Neighbourhood Watch', null),
  org('org-zebra', 'Octopus Project (ZEBRA)', null),
];

function person(
  n: number | null,
  initials: string,
  name: string,
  organisationId: string | null,
  jobTitle: string,
  otherInitials: string[] = [],
): Member {
  const id = `mem-${initials.toLowerCase()}`;
  return {
    id,
    name,
    initials,
    otherInitials,
    organisationId,
    jobTitle,
    email: n === null ? null : `${initials.toLowerCase()}@saferplymouth.example`,
    // Fixed ids so the Playground's mock users and the demo SSO picker map to these members.
    entraObjectId: n === null ? null : `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    teamsUserId: null,
  };
}

/** The 13 attendees of 28 July 2020, in the order the minutes list them. */
const EXEC_ATTENDEES: Member[] = [
  person(1, 'TM', 'Tamasine Mathews', 'org-police', 'Exec member'),
  // The attendee list prints "Matt Garrett (GM)"; the actions call him MG.
  person(2, 'MG', 'Matt Garrett', 'org-council', 'Chair, Safer Plymouth Exec', ['GM']),
  person(3, 'HS', 'Hannah Shead', 'org-da-service', 'Theme lead, Domestic Abuse'),
  person(4, 'JKE', 'Jean Kelly', 'org-council', 'Exec member'),
  // Lyn Gooding is LGO in the list and "LG" in the text.
  person(5, 'LGO', 'Lyn Gooding', 'org-hospital', 'Exec member', ['LG']),
  person(6, 'TN', 'Tracey Naismith', 'org-council', 'Theme lead, Safer Communities'),
  person(7, 'RS', 'Rachel Silcock', 'org-ccg', 'Theme lead, Mental Health'),
  person(8, 'SH', 'Simon Hardwick', 'org-police', 'Theme lead, Safer Families'),
  person(9, 'JK', 'Jackie Kings', 'org-council', 'Exec member'),
  person(10, 'TW', 'Tracey Watkinson', 'org-council', 'Theme lead, Supporting People'),
  person(11, 'IT', 'Ian Taylor', 'org-opcc', 'Exec member'),
  person(12, 'CC', 'Chloe Causer', 'org-council', 'Exec member'),
  person(13, 'AM', 'Anna Moss', 'org-council', 'Business support / secretariat, Safer Plymouth'),
];

/** Board members named in the 2014 and 2015 papers, with the titles those papers give. */
const BOARD_MEMBERS: Member[] = [
  person(null, 'AB', 'Andy Boulting', 'org-police', 'Chief Superintendent (Chair, 2015)'),
  person(null, 'PD', 'Cllr Philippa Davey', 'org-council', 'Cabinet Member for Safer and Stronger Communities'),
  person(null, 'SHO', 'Sarah Hopkins', 'org-council', 'Community Safety and Partnerships Manager'),
  person(null, 'KJ', 'Katey Johns', 'org-council', 'Democratic Support Officer'),
  person(null, 'GW', 'Georgia Webb', 'org-nps', 'National Probation Service'),
  person(null, 'NJ', 'Nick Jones', 'org-fire', 'Devon and Somerset Fire and Rescue Service'),
  person(null, 'DS', 'Danny Slay', 'org-fire', 'Devon and Somerset Fire and Rescue Service'),
  person(null, 'HW', 'Heather Welch', null, 'Victim Services Manager, Plymouth'),
  person(null, 'JH', 'Judith Harwood', 'org-council', 'Assistant Director for Learning and Communities'),
  person(null, 'SM', 'Susan Moores', 'org-zebra', 'Octopus Project (ZEBRA)'),
  person(null, 'IA', 'Ian Ansell', 'org-opcc', 'Office of the Police and Crime Commissioner'),
  person(null, 'NJO', 'Nicola Jones', 'org-ccg', 'NEW Devon CCG'),
  person(null, 'CCO', 'Charlotte Coker', 'org-crc', 'Community Rehabilitation Company'),
  person(null, 'PA', 'Pete Aley', 'org-council', 'Head of Neighbourhood and Community Services'),
  person(null, 'MJ', 'Mel Joyner', 'org-university', 'University of Plymouth'),
  person(null, 'CPE', 'Cllr Penberthy', 'org-council', 'Councillor'),
  person(null, 'RSK', 'Rich Skipper', 'org-upsu', 'University of Plymouth Students\u2019 Union'),
  person(null, 'RW', 'Richard Wakeley', 'org-crc', 'Probation / CRC'),
  person(null, 'LR', 'Lorraine Robinson', 'org-nhw', 'Plymouth Neighbourhood Watch'),
  person(null, 'SP', 'Stuart Palmer', null, 'Board member'),
  person(null, 'CG', 'Charlie Green', null, 'Vice-Chair, Safer Plymouth Partnership (2014)'),
];

const m = (initials: string) => `mem-${initials.toLowerCase()}`;

const THEMES: Theme[] = [
  { id: 'thm-domestic-abuse', name: 'Domestic abuse', priorityNumber: null, leadMemberIds: [m('HS')], leadNote: null, activeUntil: null },
  { id: 'thm-safer-families', name: 'Safer families', priorityNumber: null, leadMemberIds: [m('SH')], leadNote: null, activeUntil: null },
  { id: 'thm-safer-communities', name: 'Safer communities', priorityNumber: null, leadMemberIds: [m('TN')], leadNote: null, activeUntil: null },
  { id: 'thm-supporting-people', name: 'Supporting people', priorityNumber: null, leadMemberIds: [m('TW')], leadNote: null, activeUntil: null },
  { id: 'thm-mental-health', name: 'Mental health', priorityNumber: null, leadMemberIds: [m('RS')], leadNote: null, activeUntil: null },
  { id: 'thm-youth-justice', name: 'Youth justice', priorityNumber: null, leadMemberIds: [], leadNote: 'Lead not at the Exec; update promised for September', activeUntil: null },
  { id: 'thm-serious-violence', name: 'Serious violence', priorityNumber: null, leadMemberIds: [], leadNote: 'Lead yet to be identified (minute 8)', activeUntil: null },
];

/** The board's 2014 priorities and leads (001, minute 18); superseded by the 2015/16 strategic assessment. */
const PRIORITIES_2014: Theme[] = (
  [
    [1, 'Reducing the gap in crime between neighbourhoods with the highest crime and the city average', ['CPE'], null],
    [2, 'Tackling domestic violence and abuse and ensuring quality services', ['RSK', 'RW'], null],
    // Row 3 has no lead of its own in the printed table: its lead cell is shared with row 2.
    [3, 'Tackling sexual violence, assault and exploitation', ['RSK', 'RW'], 'Shares the leads of priority 2'],
    [4, 'Reducing violence with injury (excluding domestic violence)', [], 'Lead yet to be identified'],
    [5, 'Tackling hate crime and hidden harm', [], 'A systems leadership away-day topic: all Safer Plymouth partners'],
    [6, 'Reducing serious acquisitive crime', [], 'Lead yet to be identified'],
    [7, 'Reducing offending / reoffending', ['GW'], null],
    [8, 'Reducing anti-social behaviour', [], 'Lead yet to be identified'],
    [9, 'Preventing violent extremism', ['LR'], null],
    [10, 'Tackling emerging crime at the earliest opportunity', ['CPE'], null],
    [11, 'Find new and meaningful ways to engage and interact with communities / identity groups about crime and disorder and community safety', ['SP'], null],
  ] as const
).map(([n, name, leads, note]) => ({
  id: `thm-2014-p${n}`,
  name,
  priorityNumber: n,
  leadMemberIds: leads.map(m),
  leadNote: note,
  activeUntil: '2015-09-24',
}));

const group = (id: string, name: string, kind: Group['kind'], parentGroupId: string | null, themeId: string | null = null): Group => ({
  id,
  name,
  kind,
  parentGroupId,
  themeId,
});

const GROUPS: Group[] = [
  group(EXEC_GROUP_ID, 'Safer Plymouth Exec', 'exec', null),
  group('grp-board', 'Safer Plymouth Partnership Board', 'board', null),
  group('grp-domestic-abuse', 'Domestic Abuse', 'theme-group', EXEC_GROUP_ID, 'thm-domestic-abuse'),
  group('grp-safer-families', 'Safer Families', 'theme-group', EXEC_GROUP_ID, 'thm-safer-families'),
  group('grp-safer-communities', 'Safer Communities', 'theme-group', EXEC_GROUP_ID, 'thm-safer-communities'),
  group('grp-supporting-people', 'Supporting People', 'theme-group', EXEC_GROUP_ID, 'thm-supporting-people'),
  group('grp-mental-health', 'Mental Health', 'theme-group', EXEC_GROUP_ID, 'thm-mental-health'),
  group('grp-youth-justice', 'Youth Justice', 'theme-group', EXEC_GROUP_ID, 'thm-youth-justice'),
  group('grp-theme-leads', 'Theme leads', 'sub-group', EXEC_GROUP_ID),
  group('grp-marac', 'MARAC', 'sub-group', 'grp-domestic-abuse'),
  group('grp-dhr', 'DHR review group', 'sub-group', EXEC_GROUP_ID),
];

/** The Tuesday on or before a date (the 2020 Exec met on a Tuesday). */
function tuesdayOnOrBefore(date: LocalDate): LocalDate {
  let d = date;
  while (weekdayOf(d) !== 2) d = addDays(d, -1);
  return d;
}

/** Christmas week: from the Monday of the week of Christmas Day to New Year's Day, when offices close. */
export function inChristmasWeek(date: LocalDate): boolean {
  const year = Number(date.slice(0, 4));
  const christmas = `${year}-12-25`;
  let monday = christmas;
  while (weekdayOf(monday) !== 1) monday = addDays(monday, -1);
  return (date >= monday && date <= `${year}-12-31`) || date === `${year}-01-01`;
}

/** A meeting that would fall on a bank holiday or in Christmas week moves a week earlier. */
function workingTuesday(date: LocalDate): LocalDate {
  let d = date;
  while (isBankHoliday(d) || inChristmasWeek(d)) d = addDays(d, -7);
  return d;
}

/** "In September", said at a meeting in July: the end of the month that many months after the meeting's. */
function endOfMonthAfter(date: LocalDate, months: number): LocalDate {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months + 1, 0)).toISOString().slice(0, 10);
}

export function buildDemoData(today: LocalDate, now: Date): DemoData {
  const last = workingTuesday(tuesdayOnOrBefore(addDays(today, -42)));
  // Four Exec meetings a year, one of them the public meeting, as the July 2020 governance review decided.
  const calendar = {
    earlier: workingTuesday(addDays(last, -182)),
    previous: workingTuesday(addDays(last, -91)),
    last,
    next: workingTuesday(addDays(last, 77)),
    public: workingTuesday(addDays(last, 168)),
  };
  const at = (date: LocalDate, hour = 16) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const execStart = addDays(calendar.earlier, -28);

  const exec = (id: string, date: LocalDate, kind: Meeting['kind'], extra: Partial<Meeting> = {}): Meeting => ({
    id,
    groupId: EXEC_GROUP_ID,
    date,
    kind,
    title: kind === 'public' ? 'Safer Plymouth (public meeting)' : 'Safer Plymouth Exec',
    attendeeIds: [],
    apologyIds: [],
    agenda: [],
    paperDeadline: addDays(date, -7),
    startTime: '10:00',
    // The meetings already behind us took place: the demo's carried actions show their roll-overs.
    status: date < today ? 'held' : 'scheduled',
    heldAt: date < today ? at(date, 13) : null,
    ...extra,
  });

  const everyone = EXEC_ATTENDEES.map((p) => p.id);
  const meetings: Meeting[] = [
    // Not in the seeds: their titles say so, so the governance view and the letters never present
    // these invented attendances and apologies as the board's record.
    exec('mtg-exec-1', calendar.earlier, 'exec', { title: ILLUSTRATIVE_TITLE, attendeeIds: everyone.filter((id) => ![m('TW'), m('IT')].includes(id)), apologyIds: [m('TW'), m('IT')] }),
    exec('mtg-exec-2', calendar.previous, 'exec', { title: ILLUSTRATIVE_TITLE, attendeeIds: everyone.filter((id) => id !== m('JKE')), apologyIds: [m('JKE')] }),
    exec('mtg-exec-3', calendar.last, 'exec', {
      attendeeIds: everyone,
      agenda: [
        { minute: '1', title: 'Minutes and actions from previous meeting' },
        { minute: '2', title: 'Youth Justice update' },
        { minute: '3', title: 'Theme lead reports' },
        { minute: '4', title: 'Governance review' },
        { minute: '5', title: 'Alcohol related ASB fund' },
        { minute: '6', title: 'DHR review' },
        { minute: '7', title: 'Planning for the new DA Bill' },
        { minute: '8', title: 'Serious Violence Strategy' },
        { minute: '9', title: 'Strategic Crime Assessment' },
        { minute: '10', title: 'Communications strategy' },
        { minute: '11', title: 'Contextual safeguarding update' },
        { minute: '12', title: 'AOB' },
      ],
    }),
    exec('mtg-exec-4', calendar.next, 'exec', {
      agenda: [
        { minute: '1', title: 'Minutes and matters arising' },
        { minute: '2', title: 'Youth Justice update' },
        { minute: '3', title: 'Theme lead reports' },
        { minute: '4', title: 'Serious Violence Strategy: bid readiness' },
      ],
    }),
    exec('mtg-exec-5', calendar.public, 'public'),
    // The board's own meeting of 24 September 2015 (002), with its recorded attendance.
    {
      id: 'mtg-board-2015-09-24',
      groupId: 'grp-board',
      date: '2015-09-24',
      kind: 'public',
      title: 'Safer Plymouth Partnership',
      attendeeIds: ['AB', 'PD', 'SHO', 'KJ', 'GW', 'NJ', 'DS', 'HW', 'JH'].map(m),
      apologyIds: ['SM', 'IA', 'NJO', 'CCO', 'PA', 'MJ'].map(m),
      agenda: [
        { minute: '31', title: 'Strategic Assessment 2015/16 - Strategic Priorities' },
        { minute: '32', title: 'Sexual Predators' },
        { minute: '33', title: 'Quality Hotel' },
        { minute: '34', title: 'Domestic Abuse' },
        { minute: '35', title: 'In Plain Sight - Training and Outreach Practitioner' },
        { minute: '36', title: 'CSE and link to Safeguarding Children\u2019s Board' },
        { minute: '37', title: 'Locality Issue' },
        { minute: '38', title: 'Dates of future meetings' },
      ],
      paperDeadline: null,
      status: 'held',
      heldAt: null,
    },
  ];

  const memberships: Membership[] = [];
  const join = (groupId: string, initials: string, role: Membership['role'], start: LocalDate, extra: Partial<Membership> = {}) =>
    memberships.push({
      id: `ms-${groupId.replace(/^grp-/, '')}-${initials.toLowerCase()}`,
      groupId,
      memberId: m(initials),
      role,
      decisionMaker: false,
      deputyForMemberId: null,
      startDate: start,
      endDate: null,
      ...extra,
    });
  const execRoles: Record<string, Membership['role']> = { MG: 'chair', AM: 'secretariat', HS: 'theme-lead', TN: 'theme-lead', RS: 'theme-lead', SH: 'theme-lead', TW: 'theme-lead' };
  const decisionMakers = new Set(['MG', 'TM', 'SH', 'RS', 'JK']);
  for (const p of EXEC_ATTENDEES) {
    join(EXEC_GROUP_ID, p.initials, execRoles[p.initials] ?? 'member', execStart, { decisionMaker: decisionMakers.has(p.initials) });
  }
  for (const [groupId, lead] of [
    ['grp-domestic-abuse', 'HS'],
    ['grp-safer-families', 'SH'],
    ['grp-safer-communities', 'TN'],
    ['grp-supporting-people', 'TW'],
    ['grp-mental-health', 'RS'],
  ] as const) {
    join(groupId, lead, 'theme-lead', execStart, { decisionMaker: true });
    join('grp-theme-leads', lead, 'member', execStart);
  }
  join('grp-theme-leads', 'AM', 'secretariat', execStart);
  join('grp-domestic-abuse', 'LGO', 'member', execStart);
  join('grp-domestic-abuse', 'AM', 'member', execStart);
  join('grp-safer-families', 'TW', 'member', execStart);
  join('grp-safer-families', 'JKE', 'member', execStart);
  join('grp-safer-communities', 'CC', 'member', execStart);
  join('grp-marac', 'HS', 'member', execStart);
  join('grp-marac', 'SH', 'member', execStart);
  join('grp-dhr', 'AM', 'chair', execStart);
  join('grp-dhr', 'RS', 'member', execStart);
  // Board membership as recorded in 2014-2015; the board merged into the Exec after the 2020 governance review.
  const boardEnd = '2016-07-21';
  join('grp-board', 'AB', 'chair', '2015-07-23', { decisionMaker: true, endDate: boardEnd });
  join('grp-board', 'CG', 'vice-chair', '2014-07-17', { endDate: '2015-07-23' });
  join('grp-board', 'KJ', 'secretariat', '2014-07-17', { endDate: boardEnd });
  for (const initials of ['PD', 'SHO', 'GW', 'NJ', 'HW', 'JH', 'SM', 'IA', 'NJO', 'CCO', 'PA', 'MJ', 'CPE', 'RSK', 'RW', 'LR', 'SP']) {
    join('grp-board', initials, 'member', '2014-07-17', { endDate: boardEnd, decisionMaker: ['PD', 'GW', 'JH', 'PA'].includes(initials) });
  }
  // Danny Slay came alongside Nick Jones for the fire service.
  join('grp-board', 'DS', 'member', '2015-09-24', { endDate: boardEnd, deputyForMemberId: m('NJ') });

  const actions = buildActions(calendar, at, now);
  const { rounds, reports } = buildReports(meetings, at);

  return {
    organisations: ORGANISATIONS,
    members: [...EXEC_ATTENDEES, ...BOARD_MEMBERS],
    groups: GROUPS,
    memberships,
    themes: [...THEMES, ...PRIORITIES_2014],
    meetings,
    actions,
    reportRounds: rounds,
    themeReports: reports,
  };
}

type Calendar = { earlier: LocalDate; previous: LocalDate; last: LocalDate; next: LocalDate; public: LocalDate };

function buildActions(c: Calendar, at: (d: LocalDate, h?: number) => string, _now: Date): Action[] {
  const actions: Action[] = [];
  const line = (id: string, time: string, by: string | null, kind: ActionUpdate['kind'], fields: Partial<ActionUpdate> = {}): ActionUpdate => ({
    id,
    at: time,
    byMemberId: by,
    kind,
    note: null,
    from: null,
    to: null,
    ...fields,
  });
  const add = (
    meetingId: string,
    minuteRef: string,
    seq: number,
    text: string,
    owners: Action['owners'],
    due: Action['due'],
    extra: Partial<Action> = {},
  ) => {
    const meetingDate = meetingId === 'mtg-exec-1' ? c.earlier : meetingId === 'mtg-exec-2' ? c.previous : c.last;
    const id = `act-${meetingId.replace(/^mtg-/, '')}-${String(seq).padStart(2, '0')}`;
    const created = at(meetingDate);
    actions.push({
      id,
      meetingId,
      minuteRef,
      text,
      themeId: null,
      owners,
      due,
      status: 'open',
      rolloverCount: 0,
      createdAt: created,
      dateChangeRequest: null,
      ...extra,
      history: [line(`${id}-h0`, created, null, 'created'), ...(extra.history ?? [])],
    });
  };
  const member = (initials: string) => ({ kind: 'member' as const, memberId: m(initials) });
  const grp = (groupId: string) => ({ kind: 'group' as const, groupId });
  const next = { kind: 'next-meeting' as const };
  const by = (date: LocalDate) => ({ kind: 'date' as const, date });

  // Carried from earlier meetings: the matters arising that keep coming back.
  add('mtg-exec-1', '6', 1, 'AM to chase the Home Office for its response on the 2013 domestic homicide review and keep the family informed.', [member('AM')], next, {
    themeId: 'thm-domestic-abuse',
    rolloverCount: 2,
    status: 'in-progress',
    history: [
      line('act-exec-1-01-h1', at(c.previous, 15), null, 'rolled-over', { from: 'next-meeting', to: 'mtg-exec-2' }),
      line('act-exec-1-01-h2', at(c.last, 14), m('AM'), 'note', { note: 'Still no reply from the Home Office despite chasing. Caught up with the family and told them of the action plan.' }),
      line('act-exec-1-01-h3', at(c.last, 15), null, 'rolled-over', { from: 'next-meeting', to: 'mtg-exec-3' }),
    ],
  });
  add('mtg-exec-2', '1.2', 1, 'Youth Justice to update on the courts reopening and the backlog of young people awaiting a hearing.', [grp('grp-youth-justice')], next, {
    themeId: 'thm-youth-justice',
    status: 'closed',
    history: [
      line('act-exec-2-01-h1', at(c.last, 13), m('MG'), 'note', { note: 'Update given: 30 young people were awaiting a hearing; hearings held and a number adjourned; backlog expected to become manageable.' }),
      line('act-exec-2-01-h2', at(c.last, 13), m('MG'), 'status', { from: 'open', to: 'closed' }),
    ],
  });
  // Illustrative (DEMO_ILLUSTRATIVE): the minutes of the meetings before July 2020 are not in the seeds.
  add('mtg-exec-2', '3', 2, 'TN to bring the Safer Communities theme group\u2019s ASB figures since lockdown to the Exec.', [member('TN')], next, {
    themeId: 'thm-safer-communities',
    rolloverCount: 1,
    history: [
      line('act-exec-2-02-h1', at(c.last, 14), m('TN'), 'note', { note: 'ASB is up since lockdown eased; the figures are not ready yet.' }),
      line('act-exec-2-02-h2', at(c.last, 15), null, 'rolled-over', { from: 'next-meeting', to: 'mtg-exec-3' }),
    ],
  });
  add('mtg-exec-2', '3', 3, 'HS to bring the MARAC attendance figures to the Exec.', [member('HS')], next, {
    themeId: 'thm-domestic-abuse',
    rolloverCount: 1,
    history: [line('act-exec-2-03-h1', at(c.last, 15), null, 'rolled-over', { from: 'next-meeting', to: 'mtg-exec-3' })],
  });

  // Every action in the minutes of the July 2020 Exec (004), in minute order, as the minutes importer
  // reads them: the minute, the words as minuted, and owners only where the minutes name them.
  // Due dates, statuses and updates are illustrative where the minutes give none.
  add('mtg-exec-3', '1.1', 1, 'Safer Families to look into this data and try to gain a better understanding of the data.', [grp('grp-safer-families')], next, { themeId: 'thm-safer-families' });
  add('mtg-exec-3', '2', 2, 'Youth Justice Update to be provided in September.', [], by(endOfMonthAfter(c.last, 2)), { themeId: 'thm-youth-justice' });
  add('mtg-exec-3', '3', 3, 'Discussions need to be had with PCC around how this will look, resourcing and support', [], next, { themeId: 'thm-domestic-abuse' });
  add('mtg-exec-3', '3', 4, 'TW \u2013 Barnardos have been doing work around hidden harm during Covid-19. They have a great initiative and lots of support surrounding children returning to education out there for families. TW to share this information with the group.', [member('TW')], by(addDays(c.last, 35)), { themeId: 'thm-safer-families' });
  add('mtg-exec-3', '3', 5, 'MG and JK to have a discussion around this, there is minimum funding for this.', [member('MG'), member('JK')], by(addDays(c.last, 28)));
  add('mtg-exec-3', '3', 6, 'TN will bring terms of reference to the next meeting.', [member('TN')], next, { themeId: 'thm-safer-communities' });
  add('mtg-exec-3', '4', 7, 'Official letter should be drafted and sent by the chair to responsible authorities that do not respond to request for engaging with this group', [member('MG')], next);
  add('mtg-exec-3', '5', 8, 'TN to enquire about what safeguarding training the street pastors have had.', [member('TN')], by(addDays(c.last, 42)), { themeId: 'thm-safer-communities' });
  add('mtg-exec-3', '6', 9, 'AM will regularly update on this progression.', [member('AM')], next, { themeId: 'thm-domestic-abuse' });
  add('mtg-exec-3', '8.3', 10, 'TN to share a list of people whom she feels should be involved in developing a proposal.', [member('TN')], by(addDays(c.last, 14)), {
    themeId: 'thm-serious-violence',
    status: 'in-progress',
    history: [line('act-exec-3-10-h1', at(addDays(c.last, 10), 10), m('TN'), 'note', { note: 'List drafted; waiting on the OPCC\u2019s steer before circulating.' })],
  });
  add('mtg-exec-3', '8.3', 11, 'TM to have a conversation with the OPCC and Chiefs Office to find out what requirement for the \'bid\' or \'proposal\' may look like?', [member('TM')], by(addDays(c.last, 49)), { themeId: 'thm-serious-violence' });
  add('mtg-exec-3', '9', 12, 'AM \u2013 To write up and feedback on what the ask is for a potential analysis on the data.', [member('AM')], by(addDays(c.last, 42)));
  add('mtg-exec-3', '9', 13, 'OPiC Data to be released and shared with the theme groups.', [], next);
  add('mtg-exec-3', '10', 14, 'Theme leads to get together and look at the scope of this.', [grp('grp-theme-leads')], next);
  add('mtg-exec-3', '10', 15, 'AM to put on theme leads meeting agenda.', [member('AM')], by(addDays(c.last, 21)), {
    status: 'proposed-complete',
    history: [line('act-exec-3-15-h1', at(addDays(c.last, 8), 9), m('AM'), 'status', { from: 'open', to: 'proposed-complete', note: 'On the agenda for the next theme leads meeting.' })],
  });
  return actions;
}

function buildReports(meetings: Meeting[], at: (d: LocalDate, h?: number) => string): { rounds: ReportRound[]; reports: ThemeReport[] } {
  const lastMeeting = meetings.find((x) => x.id === 'mtg-exec-3')!;
  const nextMeeting = meetings.find((x) => x.id === 'mtg-exec-4')!;
  const lastRound: ReportRound = { id: 'rnd-exec-3', meetingId: lastMeeting.id, deadline: lastMeeting.paperDeadline! };
  const nextRound: ReportRound = { id: 'rnd-exec-4', meetingId: nextMeeting.id, deadline: nextMeeting.paperDeadline! };
  const submitted = (date: LocalDate, lead: string, content: ThemeReportContent) => ({
    content,
    submittedAt: at(date, 10),
    submittedByMemberId: m(lead),
  });
  const before = addDays(lastRound.deadline, -3);
  // What each lead reported at the July 2020 Exec (004, minute 3), as their report for that round.
  const julyReports: Record<string, [string, ThemeReportContent]> = {
    'thm-domestic-abuse': ['HS', {
      progress: 'Domestic abuse is more frequent and fast moving. Engagement has gone well in virtual meetings. Women-only housing has now opened, long needed in the city.',
      asks: 'Half of the funding for accommodation: happy to part fund it. Resources for the DV forum to lead delivery of the DA Bill. Regular attendance from Children\u2019s Social Care.',
      risks: 'Whether the right people sit around the MARAC table. Delays in the criminal justice system are holding up DV and sexual violence cases, with an impact on victims.',
      data: 'Since Covid-19 domestic abuse is more recognised in our communities; build on this momentum.',
      rag: 'amber',
    }],
    'thm-supporting-people': ['TW', {
      progress: 'Discussion around gaining a better oversight of a strategic approach across the city.',
      asks: '',
      risks: 'We need clear data and intelligence that we can use.',
      data: 'Children\u2019s commissioning data is a rich set of data we can use.',
      rag: 'amber',
    }],
    'thm-mental-health': ['RS', {
      progress: 'A lot of work on mental health inequalities and on creating a better pathway for mental health support.',
      asks: '',
      risks: 'MARAC referrals up 50% since Covid-19; more support is needed around mental health.',
      data: '',
      rag: 'green',
    }],
    'thm-safer-families': ['SH', {
      progress: 'The group is well established, with a wide and diverse group of people around the table.',
      asks: '',
      risks: 'Covid-19 and reduced resources (furlough). The impact on families of schools returning in September.',
      data: 'MASH referral data for Op and Compass looks different from the rest: being looked into.',
      rag: 'amber',
    }],
    'thm-safer-communities': ['TN', {
      progress: 'Met in July: well attended, positive and inclusive. Public Protection could not attend but engage by email.',
      asks: '',
      risks: 'An increase in ASB post Covid.',
      data: 'ASB up since lockdown eased.',
      rag: 'amber',
    }],
  };
  const reports: ThemeReport[] = [];
  for (const [themeId, [lead, content]] of Object.entries(julyReports)) {
    reports.push({ id: `${lastRound.id}:${themeId}`, roundId: lastRound.id, themeId, leadMemberId: m(lead), versions: [submitted(before, lead, content)] });
  }
  // The round for the next meeting is under way: two leads have reported so far.
  const leads: Record<string, string> = {
    'thm-domestic-abuse': 'HS',
    'thm-safer-families': 'SH',
    'thm-safer-communities': 'TN',
    'thm-supporting-people': 'TW',
    'thm-mental-health': 'RS',
  };
  for (const [themeId, lead] of Object.entries(leads)) {
    reports.push({ id: `${nextRound.id}:${themeId}`, roundId: nextRound.id, themeId, leadMemberId: m(lead), versions: [] });
  }
  // Five weeks after the last meeting: well before the next deadline, wherever the calendar puts it.
  const early = addDays(lastMeeting.date, 35);
  const da = reports.find((r) => r.id === `${nextRound.id}:thm-domestic-abuse`)!;
  reports[reports.indexOf(da)] = {
    ...da,
    versions: [submitted(early, 'HS', {
      progress: 'IDVA post in the regional trauma centre agreed for a further six months. DV forum scoping DA Bill delivery.',
      asks: 'A decision on match funding for the hospital IDVA post.',
      risks: 'MARAC attendance is patchy; court delays continue to affect victims.',
      data: 'Referrals steady; MARAC cases up on last year.',
      rag: 'amber',
    })],
  };
  const sp = reports.find((r) => r.id === `${nextRound.id}:thm-supporting-people`)!;
  reports[reports.indexOf(sp)] = {
    ...sp,
    versions: [submitted(early, 'TW', {
      progress: 'Barnardo\u2019s hidden harm resources circulated to the group.',
      asks: '',
      risks: 'Still short of shared data and intelligence.',
      data: '',
      rag: 'green',
    })],
  };
  return { rounds: [lastRound, nextRound], reports };
}
