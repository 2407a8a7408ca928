import type { Action, Member, Meeting, Delivery, ThemeReport } from '../../bot/domain/index.js';

/** Small factories for test records: every field explicit, overridable per test. */
export function aMember(overrides: Partial<Member> = {}): Member {
  return {
    id: 'mem-tn',
    name: 'Tracey Naismith',
    initials: 'TN',
    otherInitials: [],
    organisationId: null,
    jobTitle: 'Theme lead, Safer Communities',
    email: 'tn@example.org',
    entraObjectId: null,
    teamsUserId: null,
    ...overrides,
  };
}

export function aMeeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'mtg-1',
    groupId: 'grp-exec',
    date: '2026-07-28',
    kind: 'exec',
    title: 'Safer Plymouth Exec',
    attendeeIds: [],
    apologyIds: [],
    agenda: [],
    paperDeadline: null,
    ...overrides,
  };
}

export function anAction(overrides: Partial<Action> = {}): Action {
  return {
    id: 'act-1',
    meetingId: 'mtg-1',
    minuteRef: '3',
    text: 'TN will bring terms of reference to the next meeting.',
    themeId: null,
    owners: [{ kind: 'member', memberId: 'mem-tn' }],
    due: { kind: 'next-meeting' },
    status: 'open',
    rolloverCount: 0,
    createdAt: '2026-07-28T15:00:00.000Z',
    dateChangeRequest: null,
    history: [],
    ...overrides,
  };
}

export function aThemeReport(overrides: Partial<ThemeReport> = {}): ThemeReport {
  return { id: 'rnd-1:thm-da', roundId: 'rnd-1', themeId: 'thm-da', leadMemberId: 'mem-hs', versions: [], ...overrides };
}

export function aDelivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: 'reminder:act-1:2026-10-01:before',
    kind: 'action-reminder',
    subjectId: 'act-1',
    conversationId: null,
    status: 'pending',
    attempts: 0,
    createdAt: '2026-09-28T09:00:00.000Z',
    lastAttemptAt: null,
    activityId: null,
    failureCode: null,
    ...overrides,
  };
}
