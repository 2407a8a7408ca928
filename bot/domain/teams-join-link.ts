/**
 * What a person pastes as a Teams meeting's join link, checked before it is sent to Graph, so a
 * wrong paste is explained in words instead of coming back as "Teams has no meeting with this
 * join link". Plain TypeScript: the tab checks with it before sending, and the server checks every
 * joinWebUrl with it again (an API caller gets the same words), sending Graph the link it returns.
 */

export type JoinLinkCheck = { readonly ok: true; readonly joinWebUrl: string } | { readonly ok: false; readonly problem: string };

/** The longest join link sent to Graph, after Safe Links are taken off. */
export const MAX_JOIN_LINK_CHARS = 2000;

/**
 * Where Teams meetings are joined: the commercial cloud (teams.microsoft.com, and
 * teams.cloud.microsoft, the domain Microsoft is moving Teams to) and the US government clouds.
 * Teams free (teams.live.com) is left out on purpose: its meetings are not the organisation's,
 * and Graph has no attendance reports of them for this app.
 */
const TEAMS_HOSTS = ['teams.microsoft.com', 'teams.cloud.microsoft', 'teams.microsoft.us', 'gov.teams.microsoft.us', 'dod.teams.microsoft.us'];

/** "/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=…" (the classic link) or "/meet/<number>?p=<passcode>" (the short one). */
const JOIN_PATH = /^\/(l\/meetup-join\/.+|meet\/[^/]+\/?)$/i;

const HOW_TO_COPY = 'In Outlook or the Teams calendar, open the meeting and copy the link behind \u201cJoin the meeting now\u201d.';

/**
 * Outlook's Safe Links wrap every link in an email ("https://eur01.safelinks.protection.outlook.com/?url=…"):
 * a link copied from the invitation is often that, with the join link inside it.
 */
function unwrapSafeLink(url: URL): string | null {
  if (!url.hostname.toLowerCase().endsWith('.safelinks.protection.outlook.com')) return null;
  return url.searchParams.get('url');
}

export function checkTeamsJoinLink(pasted: string): JoinLinkCheck {
  const text = pasted.trim().replace(/^<(.*)>$/s, '$1').trim();
  if (!text) return { ok: false, problem: `Paste the meeting\u2019s Teams join link. ${HOW_TO_COPY}` };
  if (/\s/.test(text)) return { ok: false, problem: `Paste the join link on its own, without the words around it. ${HOW_TO_COPY}` };
  // Sent as pasted (or as Safe Links had it), not re-serialised: Graph finds the meeting by the exact string.
  let raw = text;
  let url: URL;
  try {
    url = new URL(raw);
    const inner = unwrapSafeLink(url);
    if (inner) {
      raw = inner.trim();
      url = new URL(raw);
    }
  } catch {
    return { ok: false, problem: `This is not a link. A Teams join link starts \u201chttps://teams.microsoft.com/\u201d. ${HOW_TO_COPY}` };
  }
  const host = url.hostname.toLowerCase();
  if (!TEAMS_HOSTS.includes(host)) {
    if (host === 'teams.live.com') return { ok: false, problem: 'This is a link to a meeting in Teams free, not in your organisation\u2019s Teams: Safer Exec can only fetch the attendance of your organisation\u2019s meetings. Download the report and upload it instead.' };
    return { ok: false, problem: `This is a link to ${host}, not to a Teams meeting. ${HOW_TO_COPY}` };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'The join link must start \u201chttps://\u201d: copy it again from the meeting.' };
  if (!JOIN_PATH.test(url.pathname)) return { ok: false, problem: `This is a link to Teams, but not a meeting\u2019s join link. ${HOW_TO_COPY}` };
  const joinWebUrl = raw;
  if (joinWebUrl.length > MAX_JOIN_LINK_CHARS) return { ok: false, problem: `This link is ${joinWebUrl.length.toLocaleString('en-GB')} characters long, more than a Teams join link ever is (${MAX_JOIN_LINK_CHARS.toLocaleString('en-GB')}): copy it again from the meeting.` };
  return { ok: true, joinWebUrl };
}
