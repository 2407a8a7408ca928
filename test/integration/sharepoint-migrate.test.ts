import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { listAll, type Store } from '../../bot/store/store.js';
import { migrateStore, migrationProblems, RECORD_SETS } from '../../scripts/migrate-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { aDelivery, aMeeting, aMember, anAction, aThemeReport } from '../support/records.js';
import { openStandInStore, provisionedStandIn } from '../support/sharepoint-stand-in-store.js';

async function seed(store: Store): Promise<void> {
  await store.organisations.create({ id: 'org-pcc', name: 'Plymouth City Council', authorityKind: null });
  await store.members.create(aMember());
  await store.members.create(aMember({ id: 'mem-am', initials: 'AM', name: 'Anna Moss', email: 'am@example.org' }));
  await store.groups.create({ id: 'grp-exec', name: 'Safer Plymouth Exec', kind: 'exec', parentGroupId: null, themeId: null });
  await store.memberships.create({ id: 'ms-1', groupId: 'grp-exec', memberId: 'mem-tn', role: 'chair', decisionMaker: true, deputyForMemberId: null, startDate: '2020-01-01', endDate: null });
  await store.meetings.create(aMeeting());
  for (let i = 0; i < 12; i++) {
    await store.actions.create(
      anAction({
        id: `act-${String(i).padStart(2, '0')}`,
        owners: [{ kind: 'member', memberId: i % 2 ? 'mem-tn' : 'mem-am' }],
        history: [{ id: `h${i}`, at: '2026-08-01T10:00:00.000Z', byMemberId: 'mem-tn', kind: 'note', note: `Note ${i}`, from: null, to: null }],
      }),
    );
  }
  await store.reportRounds.create({ id: 'rnd-1', meetingId: 'mtg-1', deadline: '2026-07-14' });
  await store.themeReports.create(aThemeReport({ versions: [{ submittedAt: '2026-07-01T09:00:00.000Z', submittedByMemberId: 'mem-hs', content: { progress: 'p', asks: '', risks: 'r', data: 'd', rag: 'green' } }] }));
  await store.deliveries.create(aDelivery());
}

describe('npm run migrate', () => {
  let dir: string | undefined;
  let standIn: GraphStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    standIn = undefined;
    dir = undefined;
  });

  it('copies every record set from SQLite to SharePoint with history, resumes after an interruption, and back again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'safer-exec-migrate-'));
    const sqlite = new SqliteStore({ filename: join(dir, 'source.db') });
    await seed(sqlite);
    standIn = await provisionedStandIn({ maxPageSize: 5 });
    const sharepoint = await openStandInStore(standIn);

    // An interrupted earlier run got part of the way.
    await sharepoint.members.create(aMember());
    for (const action of (await listAll(sqlite.actions, {})).slice(0, 5)) {
      const { version: _v, ...record } = action;
      await sharepoint.actions.create(record);
    }

    const report = await migrateStore(sqlite, sharepoint);
    expect(migrationProblems(report)).toEqual([]);
    expect(report.actions).toMatchObject({ source: 12, copied: 7, skipped: 5, target: 12 });
    expect(report.members).toMatchObject({ source: 2, copied: 1, skipped: 1, target: 2 });
    const moved = await sharepoint.actions.get('act-03');
    expect(moved?.history).toEqual([{ id: 'h3', at: '2026-08-01T10:00:00.000Z', byMemberId: 'mem-tn', kind: 'note', note: 'Note 3', from: null, to: null }]);
    expect((await listAll(sharepoint.actions, { ownerMemberId: 'mem-tn' })).map((a) => a.id)).toEqual(['act-01', 'act-03', 'act-05', 'act-07', 'act-09', 'act-11']);

    const back = new SqliteStore({ filename: join(dir, 'back.db') });
    const returned = await migrateStore(sharepoint, back);
    expect(migrationProblems(returned)).toEqual([]);
    for (const name of RECORD_SETS) expect(returned[name].target, name).toBe(report[name].source);
    const strip = <T extends { version: string }>(records: T[]) => records.map(({ version: _v, ...r }) => r);
    expect(strip(await listAll(back.themeReports, {}))).toEqual(strip(await listAll(sqlite.themeReports, {})));
    await back.close();
    await sqlite.close();
  });

  it('leaves a record that differs in the target alone and reports it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'safer-exec-migrate-'));
    const sqlite = new SqliteStore({ filename: join(dir, 'source.db') });
    await sqlite.members.create(aMember());
    standIn = await provisionedStandIn();
    const sharepoint = await openStandInStore(standIn);
    await sharepoint.members.create(aMember({ jobTitle: 'Changed in SharePoint' }));
    const report = await migrateStore(sqlite, sharepoint);
    expect(report.members.differing).toEqual(['mem-tn']);
    expect(migrationProblems(report)).toEqual(['members: 1 record(s) already in the target with different content (ids: mem-tn)']);
    expect((await sharepoint.members.get('mem-tn'))?.jobTitle).toBe('Changed in SharePoint');
    await sqlite.close();
  });
});
