import { describe, expect, it } from 'vitest';
import { checkTeamsJoinLink } from '../../bot/domain/teams-join-link.js';

const CLASSIC = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjE5ZTQ3%40thread.v2/0?context=%7b%22Tid%22%3a%22abc%22%7d';

describe('checking a pasted Teams join link before it is sent', () => {
  it('takes the classic and the short join links as pasted, byte for byte', () => {
    expect(checkTeamsJoinLink(`  ${CLASSIC}\n`)).toEqual({ ok: true, joinWebUrl: CLASSIC });
    expect(checkTeamsJoinLink('https://teams.microsoft.com/meet/3721567890123?p=aBcDeFgH')).toEqual({ ok: true, joinWebUrl: 'https://teams.microsoft.com/meet/3721567890123?p=aBcDeFgH' });
    expect(checkTeamsJoinLink(`<${CLASSIC}>`)).toEqual({ ok: true, joinWebUrl: CLASSIC });
  });

  it('takes the join link out of an Outlook Safe Links wrapper', () => {
    const wrapped = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(CLASSIC)}&data=05%7C02&reserved=0`;
    expect(checkTeamsJoinLink(wrapped)).toEqual({ ok: true, joinWebUrl: CLASSIC });
  });

  it('checks what Safe Links wrapped, not the wrapper: a wrapped Zoom link is still not a Teams meeting', () => {
    const wrapped = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent('https://zoom.us/j/123456')}&data=05%7C02&reserved=0`;
    const checked = checkTeamsJoinLink(wrapped);
    expect(checked.ok ? 'accepted' : checked.problem).toMatch(/^This is a link to zoom\.us, not to a Teams meeting/);
    // A long wrapper around a join link within the limit is fine: the limit is on the link Graph is sent.
    const padded = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(CLASSIC)}&data=${'A'.repeat(2500)}&reserved=0`;
    expect(checkTeamsJoinLink(padded)).toEqual({ ok: true, joinWebUrl: CLASSIC });
  });

  it('says in words what is wrong with anything else', () => {
    const problem = (text: string) => {
      const checked = checkTeamsJoinLink(text);
      return checked.ok ? 'accepted' : checked.problem;
    };
    expect(problem('')).toMatch(/^Paste the meeting’s Teams join link/);
    expect(problem('Join the meeting now ' + CLASSIC)).toMatch(/^Paste the join link on its own/);
    expect(problem('teams.microsoft.com/l/meetup-join/19')).toMatch(/^This is not a link/);
    expect(problem('https://zoom.us/j/123456')).toMatch(/^This is a link to zoom\.us, not to a Teams meeting/);
    expect(problem('https://teams.live.com/meet/9876543210')).toMatch(/Teams free/);
    expect(problem('http://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0')).toMatch(/must start “https:\/\/”/);
    expect(problem('https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/General')).toMatch(/^This is a link to Teams, but not a meeting’s join link/);
    expect(problem(`https://teams.microsoft.com/l/meetup-join/${'x'.repeat(2000)}`)).toMatch(/^This link is 2,042 characters long/);
  });
});
