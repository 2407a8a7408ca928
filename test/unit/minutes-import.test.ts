import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDemoData } from '../../bot/demo/demo-data.js';
import { parseMinutes, readDue, type Group, type Member, type Membership } from '../../bot/domain/index.js';
import { proposeFromText, resolveOwnerToken, type ImportDirectory, type ProposedAction } from '../../bot/services/minutes-import.js';

/** The public minutes of 28 July 2020, as in shared/seeds (copied so the test runs wherever the repository does). */
const SEED_004 = readFileSync(new URL('../fixtures/minutes/004_dd60bac41bfd3b0d.txt', import.meta.url), 'utf8');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/minutes/${name}`, import.meta.url), 'utf8');

const JULY_2020 = '2020-07-28';
const demo = buildDemoData('2026-11-23', new Date('2026-11-23T10:00:00Z'));
const EXEC = { date: JULY_2020, groupId: 'grp-exec' };

/** Every action in the minutes of the Safer Plymouth Exec of 28 July 2020, as a reader of them lists it. */
const ACTIONS_004: readonly { ref: string; owners: string[]; text: string }[] = [
  { ref: '1.1', owners: ['Safer Families'], text: 'Safer Families to look into this data and try to gain a better understanding of the data.' },
  { ref: '2', owners: [], text: 'Youth Justice Update to be provided in September.' },
  { ref: '3', owners: [], text: 'Discussions need to be had with PCC around how this will look, resourcing and support' },
  { ref: '3', owners: ['TW'], text: 'TW \u2013 Barnardos have been doing work around hidden harm during Covid-19. They have a great initiative and lots of support surrounding children returning to education out there for families. TW to share this information with the group.' },
  { ref: '3', owners: ['MG', 'JK'], text: 'MG and JK to have a discussion around this, there is minimum funding for this.' },
  { ref: '3', owners: ['TN'], text: 'TN will bring terms of reference to the next meeting.' },
  { ref: '4', owners: ['the chair'], text: 'Official letter should be drafted and sent by the chair to responsible authorities that do not respond to request for engaging with this group' },
  { ref: '5', owners: ['TN'], text: 'TN to enquire about what safeguarding training the street pastors have had.' },
  { ref: '6', owners: ['AM'], text: 'AM will regularly update on this progression.' },
  { ref: '8.3', owners: ['TN'], text: 'TN to share a list of people whom she feels should be involved in developing a proposal.' },
  { ref: '8.3', owners: ['TM'], text: "TM to have a conversation with the OPCC and Chiefs Office to find out what requirement for the 'bid' or 'proposal' may look like?" },
  { ref: '9', owners: ['AM'], text: 'AM \u2013 To write up and feedback on what the ask is for a potential analysis on the data.' },
  { ref: '9', owners: [], text: 'OPiC Data to be released and shared with the theme groups.' },
  { ref: '10', owners: ['Theme leads'], text: 'Theme leads to get together and look at the scope of this.' },
  { ref: '10', owners: ['AM'], text: 'AM to put on theme leads meeting agenda.' },
];

describe('reading the two-column minutes of the July 2020 Exec (seed 004)', () => {
  const parsed = parseMinutes(SEED_004, JULY_2020);

  it('finds every action with its minute, its words and the owners the minutes name, in order', () => {
    expect(parsed.style).toBe('two-column');
    expect(parsed.actions.map((a) => ({ ref: a.minuteRef, owners: [...a.ownerTokens], text: a.text }))).toEqual(ACTIONS_004);
  });

  it('reads "in September" as the end of September 2020 and "to the next meeting" as the next meeting', () => {
    const youthJustice = parsed.actions.find((a) => a.minuteRef === '2')!;
    expect(youthJustice.due).toEqual({ kind: 'date', date: '2020-09-30' });
    expect(youthJustice.dueText).toBe('in September');
    const terms = parsed.actions.find((a) => a.text.startsWith('TN will bring'))!;
    expect(terms).toMatchObject({ due: { kind: 'next-meeting' }, dueText: 'the next meeting' });
  });

  it('flags the actions the minutes give no owner, saying whose part of the discussion they sit in', () => {
    const unowned = parsed.actions.filter((a) => a.ownerTokens.length === 0);
    expect(unowned.map((a) => a.minuteRef)).toEqual(['2', '3', '9']);
    expect(unowned.every((a) => a.doubts.some((d) => d.kind === 'no-owner'))).toBe(true);
    expect(unowned[1]!.doubts[0]!.message).toContain('HS\u2019s part of the discussion');
  });

  it('resolves GM/MG, the chair and the groups against the demo board, and the same paste gives the same keys', () => {
    const { proposals } = proposeFromText(SEED_004, EXEC, demo, '2026-11-23');
    const labels = proposals.map((p) => p.owners.map((o) => o.label));
    expect(labels).toEqual([['Safer Families'], [], [], ['TW'], ['MG', 'JK'], ['TN'], ['MG'], ['TN'], ['AM'], ['TN'], ['TM'], ['AM'], [], ['Theme leads'], ['AM']]);
    expect(proposals.filter((p) => p.owners.length > 0).every((p) => p.doubts.length === 0)).toBe(true);
    expect(proposeFromText(SEED_004, EXEC, demo, '2026-11-23').proposals.map((p) => p.key)).toEqual(proposals.map((p) => p.key));
  });
});

describe('the demo data is true to the minutes', () => {
  it('holds exactly the July 2020 actions the importer reads from 004: minutes, words and owners', () => {
    const { proposals } = proposeFromText(SEED_004, EXEC, demo, '2026-11-23');
    const july = demo.actions.filter((a) => a.meetingId === 'mtg-exec-3');
    expect(july.map((a) => ({ ref: a.minuteRef, text: a.text, owners: a.owners }))).toEqual(
      proposals.map((p) => ({ ref: p.minuteRef, text: p.text, owners: p.owners.map((o) => o.owner) })),
    );
  });
});

/** What a person reading the minutes would write down as each action's owners: null where nobody on the board matches. */
const EXPECTED_OWNERS: readonly (readonly string[] | null)[] = [
  ['TN'], ['MG', 'JK'], ['HS'], ['LGO', 'AM'], ['Safer Families'], ['TM'], ['TN'], ['TW'], ['AM'], ['RS'], ['Theme leads'],
  ['CC'], ['JKE'], null, ['MG'], ['AM'], ['SH'], ['Safer Communities'], ['IT'], ['SH', 'RS'], ['JK'], ['MG'],
];

function score(proposals: readonly ProposedAction[]) {
  let right = 0;
  const wrongUnflagged: string[] = [];
  proposals.forEach((p, i) => {
    const expected = EXPECTED_OWNERS[i];
    const got = p.owners.map((o) => o.label);
    if (expected && JSON.stringify(got) === JSON.stringify(expected)) right++;
    else if (!p.doubts.some((d) => ['no-owner', 'unknown-owner', 'ambiguous-owner', 'former-member'].includes(d.kind))) wrongUnflagged.push(`${p.key}: ${got.join('+')}`);
  });
  return { right, share: right / EXPECTED_OWNERS.length, wrongUnflagged };
}

describe('minutes in the other styles councils use (written for these tests, 22 actions each)', () => {
  const meeting = { date: '2026-10-13', groupId: 'grp-exec' };

  it('numbered paragraphs with Action: / ACTION - lines: at least 95% right owners, the rest flagged', () => {
    const { style, proposals } = proposeFromText(fixture('action-lines.txt'), meeting, demo, '2026-11-23');
    expect(style).toBe('action-lines');
    expect(proposals).toHaveLength(22);
    const { share, wrongUnflagged } = score(proposals);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(wrongUnflagged).toEqual([]);
    expect(proposals.map((p) => p.minuteRef)).toEqual(['2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '4.1', '4.2', '5', '5', '5', '6.1', '6.1', '6.1', '7.1', '7.1', '8.1', '8.1', '9.1', '9.1', '9.1', '9.1']);
    const due = (i: number) => proposals[i]!.dueLabel;
    expect([due(0), due(1), due(3), due(5), due(9), due(16), due(20)]).toEqual(['30 October 2026', 'the next meeting', '31 January 2027', '6 November 2026', '20 November 2026', '31 December 2026', '15 December 2026']);
    // "the analyst support agreed in July" says when it was agreed, not when it is due.
    expect(proposals[8]!.due).toEqual({ kind: 'next-meeting' });
    expect(proposals[13]!.doubts[0]!.message).toBe('No one on the board has the initials PB: choose who is meant, or add them to the People view first (their other initials too, as the minutes write them).');
  });

  it('an action table pasted from Word (Ref / Action / Owner / Due, tab-separated): at least 95% right, the rest flagged', () => {
    const { style, proposals } = proposeFromText(fixture('action-table.txt'), meeting, demo, '2026-11-23');
    expect(style).toBe('action-table');
    expect(proposals).toHaveLength(22);
    const { share, wrongUnflagged } = score(proposals);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(wrongUnflagged).toEqual([]);
    expect(proposals[0]).toMatchObject({ minuteRef: '2.2', text: 'Circulate the final Safer Communities terms of reference', dueLabel: '30 October 2026' });
    expect(proposals[4]!.dueLabel).toBe('31 December 2026');
    expect(proposals[14]!.doubts.map((d) => d.message)).toEqual(['The due date "ASAP" is not a date: it is set to the next meeting; choose a date if one was meant.']);
  });

  it('the same table with pipes, as pasted from a Markdown or plain-text editor', () => {
    const text = '| Ref | Action | Owner | Due |\n|-----|--------|-------|-----|\n| 1.1 | Share the needs assessment | HS | 30/11/2026 |\n| 1.2 | Chase the CCG sign-off | AM, RS | next meeting |\n';
    const { style, proposals } = proposeFromText(text, meeting, demo, '2026-11-23');
    expect(style).toBe('action-table');
    expect(proposals.map((p) => [p.minuteRef, p.text, p.owners.map((o) => o.label), p.dueLabel])).toEqual([
      ['1.1', 'Share the needs assessment', ['HS'], '30 November 2026'],
      ['1.2', 'Chase the CCG sign-off', ['AM', 'RS'], 'the next meeting'],
    ]);
  });
});

describe('doubts, in plain words', () => {
  const member = (id: string, initials: string, name: string, otherInitials: string[] = []): Member => ({ id, name, initials, otherInitials, organisationId: null, jobTitle: '', email: null, entraObjectId: null, teamsUserId: null });
  const seat = (memberId: string, endDate: string | null = null, role: Membership['role'] = 'member'): Membership => ({ id: `ms-${memberId}`, groupId: 'grp-exec', memberId, role, decisionMaker: false, deputyForMemberId: null, startDate: '2020-01-01', endDate });
  const groups: Group[] = [{ id: 'grp-exec', name: 'Safer Plymouth Exec', kind: 'exec', parentGroupId: null, themeId: null }];
  const board: ImportDirectory = {
    members: [member('m-lg', 'LG', 'Lee Grant'), member('m-lgo', 'LGO', 'Lyn Gooding', ['LG']), member('m-ab', 'AB', 'Andy Boulting'), member('m-sh', 'SH', 'Sam Hill')],
    memberships: [seat('m-lg'), seat('m-lgo'), seat('m-ab', '2016-07-21'), seat('m-sh', null, 'chair')],
    groups,
  };
  const resolve = (token: string) => resolveOwnerToken(token, board, 'grp-exec', '2026-11-23');

  it('initials that could be two people, a former member, and initials that match nobody are doubts, not guesses', () => {
    expect(resolve('LG')).toEqual({ choice: null, doubt: { kind: 'ambiguous-owner', message: 'LG could be Lee Grant (LG) or Lyn Gooding (LGO): choose one.' } });
    expect(resolve('AB')).toEqual({ choice: null, doubt: { kind: 'former-member', message: 'AB is Andy Boulting, who is not a current member: choose someone on the board today, or a group.' } });
    expect(resolve('XY').doubt?.kind).toBe('unknown-owner');
    expect(resolve('Lyn')).toMatchObject({ choice: null, doubt: { kind: 'unknown-owner', message: 'No person or group called "Lyn" is on the board (perhaps Lyn Gooding (LGO)): choose who is meant.' } });
    expect(resolve('the chair').choice?.label).toBe('SH');
    expect(resolve('Lyn Gooding').choice?.label).toBe('LGO');
  });

  it('"next meeting" and a date in the same action is a doubt; a date before the meeting is a doubt', () => {
    const both = readDue('TN to report back at the next meeting or by 30 September', '2020-07-28');
    expect(both.due).toEqual({ kind: 'date', date: '2020-09-30' });
    expect(both.doubts.map((d) => d.message)).toEqual(['The minutes say both "the next meeting" and "30 September": the date, 30 September 2020, is used; choose the next meeting if that was meant.']);
    expect(readDue('by 1 June 2020', '2020-07-28').doubts[0]!.message).toBe('"1 June 2020" is before the meeting (28 July 2020): choose the date the action is due.');
  });

  it('a hostile paste (long owner lists, walls of separators) is read in well under a second, not backtracked for minutes', () => {
    const hostile = ['AB, '.repeat(20_000), 'The leads, '.repeat(20_000), 'Abc Def and the chair and '.repeat(8_000), 'Actions:\n' + '- AB, '.repeat(30_000), '\t'.repeat(50_000), '**'.repeat(50_000)];
    for (const text of hostile) {
      const started = performance.now();
      parseMinutes(text, JULY_2020);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(1_000);
    }
  });

  it('an empty paste or one with no actions proposes nothing', () => {
    expect(parseMinutes('', JULY_2020).actions).toEqual([]);
    expect(parseMinutes('1. Welcome\nThe chair welcomed members.\n', JULY_2020).actions).toEqual([]);
  });
});
