/**
 * GET /api/tab/me tells the tab whether to offer "Fetch from Teams" in the attendance dialog:
 * only to the chair and the secretariat (who may import attendance), and only when the server
 * runs with ATTENDANCE_FROM_GRAPH=true. A member never sees it; nobody sees it with the flag off.
 * With it comes the list of members who can be chosen as the meeting's organiser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { startGraphAttendanceStandIn, type GraphAttendanceStandIn } from '../stand-ins/graph-attendance.js';

const canFetch = async (app: TestApp, initials: string) => {
  const me = await app.as(initials, '/api/tab/me');
  expect(me.status).toBe(200);
  return me.body.canFetchAttendanceFromTeams;
};

describe('GET /api/tab/me: may the tab offer "Fetch from Teams"?', () => {
  let graph: GraphAttendanceStandIn;
  let graphOn: TestApp;
  let graphOff: TestApp;
  beforeAll(async () => {
    graph = await startGraphAttendanceStandIn();
    [graphOn, graphOff] = await Promise.all([
      startTestApp({
        env: { ATTENDANCE_FROM_GRAPH: 'true', GRAPH_BASE_URL: graph.baseUrl },
        store: { graph: { fetch: graph.fetch, customHosts: [graph.host], retry: recordingRetry(3), tokenProvider: async () => graph.token } },
      }),
      startTestApp(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([graphOn?.close(), graphOff?.close()]);
    await graph?.close();
  });

  it('says yes to the secretariat and the chair when the server fetches attendance through Graph', async () => {
    expect(await canFetch(graphOn, 'AM')).toBe(true);
    expect(await canFetch(graphOn, 'MG')).toBe(true);
  });

  it('says no to a member who cannot import attendance, even with the Graph path on', async () => {
    for (const member of ['TN', 'CC']) expect(await canFetch(graphOn, member)).toBe(false);
    // The route agrees: the button would have been refused.
    const refused = await graphOn.as('TN', '/api/tab/meetings/mtg-exec-3/attendance-import/teams', { method: 'POST', body: JSON.stringify({ joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0' }) });
    expect(refused.status).toBe(403);
  });

  it('says no to everyone when the server runs upload-only (the default)', async () => {
    for (const member of ['AM', 'MG', 'TN']) expect(await canFetch(graphOff, member)).toBe(false);
    for (const member of ['AM', 'MG']) expect((await graphOff.as(member, '/api/tab/me')).body.teamsOrganiserMemberIds).toEqual([]);
  });

  it('lists who can be chosen as the organiser: current members Teams has linked, and only for those who may fetch', async () => {
    const organisers = async (initials: string): Promise<string[]> => (await graphOn.as(initials, '/api/tab/me')).body.teamsOrganiserMemberIds;
    const before = await organisers('AM');
    expect(before).toEqual(expect.arrayContaining(['mem-am', 'mem-mg', 'mem-cc']));
    // Philippa Davey left the board in 2016 and never used Safer Exec in Teams.
    expect(before).not.toContain('mem-pd');
    expect(await organisers('MG')).toEqual(before);
    expect(await organisers('TN')).toEqual([]);

    // A current member Teams has not linked is not offered: Graph could not be asked for her meetings.
    const cc = (await graphOn.store.members.get('mem-cc'))!;
    const { version, ...record } = cc;
    await graphOn.store.members.update({ ...record, entraObjectId: null }, version);
    const after = await organisers('AM');
    expect(after).not.toContain('mem-cc');
    expect(after).toEqual(before.filter((id) => id !== 'mem-cc'));
  });
});
