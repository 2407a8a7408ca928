import { describe, expect, it } from 'vitest';
import { buildDemoData, DEMO_ILLUSTRATIVE, ILLUSTRATIVE_TITLE, inChristmasWeek } from '../../bot/demo/demo-data.js';
import { addDays, daysBetween, dueDateOf, isBankHoliday, isOverdue, RESPONSIBLE_AUTHORITY_KINDS } from '../../bot/domain/index.js';

const today = '2026-11-23';
const demo = buildDemoData(today, new Date('2026-11-23T10:00:00Z'));

describe('demo data drawn from the minutes', () => {
  it('has the 13 attendees of the July 2020 Exec, by name and initials', () => {
    const exec = demo.meetings.find((m) => m.id === 'mtg-exec-3')!;
    const attendees = exec.attendeeIds.map((id) => demo.members.find((m) => m.id === id)!);
    expect(attendees.map((m) => `${m.name} (${m.initials})`)).toEqual([
      'Tamasine Mathews (TM)', 'Matt Garrett (MG)', 'Hannah Shead (HS)', 'Jean Kelly (JKE)', 'Lyn Gooding (LGO)', 'Tracey Naismith (TN)',
      'Rachel Silcock (RS)', 'Simon Hardwick (SH)', 'Jackie Kings (JK)', 'Tracey Watkinson (TW)', 'Ian Taylor (IT)', 'Chloe Causer (CC)', 'Anna Moss (AM)',
    ]);
  });

  it('gives every member unique initials', () => {
    const initials = demo.members.map((m) => m.initials);
    expect(new Set(initials).size).toBe(initials.length);
  });

  it('names the theme leads of the minutes against their themes', () => {
    const lead = (themeId: string) => demo.themes.find((t) => t.id === themeId)!.leadMemberIds;
    expect(lead('thm-domestic-abuse')).toEqual(['mem-hs']);
    expect(lead('thm-safer-families')).toEqual(['mem-sh']);
    expect(lead('thm-safer-communities')).toEqual(['mem-tn']);
    expect(lead('thm-supporting-people')).toEqual(['mem-tw']);
    expect(lead('thm-mental-health')).toEqual(['mem-rs']);
  });

  it('records every action of the July minutes with its minute and owners', () => {
    const july = demo.actions.filter((a) => a.meetingId === 'mtg-exec-3');
    expect(july.map((a) => a.minuteRef)).toEqual(['1.1', '2', '3', '3', '3', '3', '4', '5', '6', '8.3', '8.3', '9', '9', '10', '10']);
    const byText = (fragment: string) => july.find((a) => a.text.includes(fragment))!;
    expect(byText('street pastors').owners).toEqual([{ kind: 'member', memberId: 'mem-tn' }]);
    expect(byText('Safer Families to look into this data').owners).toEqual([{ kind: 'group', groupId: 'grp-safer-families' }]);
    expect(byText('MG and JK').owners.map((o) => (o.kind === 'member' ? o.memberId : ''))).toEqual(['mem-mg', 'mem-jk']);
    expect(byText('OPiC').owners).toEqual([]);
    // TN's terms of reference are agreed in July 2020, not at an earlier meeting; the PCC discussion names no owner.
    expect(byText('TN will bring terms of reference').meetingId).toBe('mtg-exec-3');
    expect(demo.actions.filter((a) => /terms of reference/i.test(a.text)).map((a) => a.id)).toEqual(['act-exec-3-06']);
    expect(byText('Discussions need to be had with PCC').owners).toEqual([]);
  });

  it('keeps four Exec meetings a year, none in Christmas week or on a bank holiday, whatever the day', () => {
    for (let day = 0; day < 366; day += 3) {
      const date = addDays('2026-01-01', day);
      const exec = buildDemoData(date, new Date(`${date}T10:00:00Z`)).meetings.filter((m) => m.groupId === 'grp-exec');
      for (const meeting of exec) {
        expect(isBankHoliday(meeting.date), `${date}: ${meeting.id} on ${meeting.date}`).toBe(false);
        expect(inChristmasWeek(meeting.date), `${date}: ${meeting.id} on ${meeting.date}`).toBe(false);
      }
      const dates = exec.map((m) => m.date).sort();
      const gaps = dates.slice(1).map((d, i) => daysBetween(dates[i]!, d));
      expect(gaps.every((g) => g >= 63 && g <= 105), `${date}: ${gaps.join(', ')}`).toBe(true);
    }
  });

  it('marks what it invents as illustrative', () => {
    for (const id of ['mtg-exec-1', 'mtg-exec-2', 'act-exec-1-01', 'act-exec-2-02', 'act-exec-2-03']) expect(DEMO_ILLUSTRATIVE[id]).toBeTruthy();
    expect(demo.actions.filter((a) => a.meetingId !== 'mtg-exec-3').every((a) => DEMO_ILLUSTRATIVE[a.id])).toBe(true);
    // The invented meetings say so wherever their attendance is shown (the governance view, the letters).
    expect(demo.meetings.filter((m) => ['mtg-exec-1', 'mtg-exec-2'].includes(m.id)).map((m) => m.title)).toEqual([ILLUSTRATIVE_TITLE, ILLUSTRATIVE_TITLE]);
  });

  it('has the five responsible authorities and the eleven 2014 priorities with their leads', () => {
    expect(new Set(demo.organisations.map((o) => o.authorityKind).filter(Boolean))).toEqual(new Set(RESPONSIBLE_AUTHORITY_KINDS));
    const priorities = demo.themes.filter((t) => t.priorityNumber !== null);
    expect(priorities.map((t) => t.priorityNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(priorities.find((t) => t.priorityNumber === 9)!.leadMemberIds).toEqual(['mem-lr']);
  });

  it('is alive today: last meeting a few weeks ago, next a few weeks ahead, some actions overdue and some due soon', () => {
    const exec = demo.meetings.filter((m) => m.groupId === 'grp-exec');
    const past = exec.filter((m) => m.date <= today).at(-1)!;
    const next = exec.find((m) => m.date > today)!;
    expect(past.id).toBe('mtg-exec-3');
    expect(daysBetween(past.date, today)).toBeGreaterThanOrEqual(28);
    expect(daysBetween(past.date, today)).toBeLessThanOrEqual(56);
    expect(daysBetween(today, next.date)).toBeGreaterThanOrEqual(21);
    expect(daysBetween(today, next.date)).toBeLessThanOrEqual(56);
    const dues = demo.actions.map((a) => ({ a, due: dueDateOf(a, demo.meetings) }));
    expect(dues.filter(({ a, due }) => isOverdue(a, due, today)).length).toBeGreaterThanOrEqual(2);
    expect(dues.filter(({ a, due }) => due !== null && due >= today && daysBetween(today, due) <= 14 && a.status !== 'closed').length).toBeGreaterThanOrEqual(1);
  });
});
