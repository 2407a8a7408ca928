/**
 * What a person pastes as a Teams meeting's join link, checked before it is sent to Graph, so a
 * wrong paste is explained in words instead of coming back as "Teams has no meeting with this
 * join link". Plain TypeScript: the tab uses it as it is.
 */

export type JoinLinkCheck = { readonly ok: true; readonly joinWebUrl: string } | { readonly ok: false; readonly problem: string };
export type OrganiserCheck = { readonly ok: true; readonly organizerId: string | null } | { readonly ok: false; readonly problem: string };

/** The server's limit for joinWebUrl (bot/http/attendance-import-api.ts). */
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

/** An Entra object id (a GUID): accepted, though nobody is asked for one. */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Microsoft sign-in name, in the characters the server accepts for organizerId. */
const SIGN_IN = /^[A-Za-z0-9._-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** The organiser, if not the person asking: their Microsoft sign-in (usually their email address). Empty means "me". */
export function checkOrganiser(typed: string): OrganiserCheck {
  const text = typed.trim();
  if (!text) return { ok: true, organizerId: null };
  if (OBJECT_ID.test(text) || (SIGN_IN.test(text) && text.length <= 100)) return { ok: true, organizerId: text };
  return { ok: false, problem: 'Write the organiser\u2019s Microsoft sign-in, which is usually their work email address (name@organisation.gov.uk), or leave it empty if you organised the meeting.' };
}
