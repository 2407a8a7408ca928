import { afterEach, describe, expect, it } from 'vitest';
import { LAYOUT_VERSION, LIST_DESIGNS, MAX_INDEXES_PER_LIST } from '../../infra/sharepoint/list-design.js';
import { provisionSharePoint } from '../../scripts/provision-sharepoint.js';
import { startGraphStandIn, type GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { aMember } from '../support/records.js';
import { openStandInStore, standInGraphClient } from '../support/sharepoint-stand-in-store.js';

describe('npm run provision:sharepoint', () => {
  let standIn: GraphStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  it('keeps every list within SharePoint limits: at most 20 indexes, unique columns indexed', () => {
    for (const design of LIST_DESIGNS) {
      expect(design.columns.filter((c) => c.indexed).length).toBeLessThanOrEqual(MAX_INDEXES_PER_LIST);
      for (const column of design.columns.filter((c) => c.enforceUniqueValues)) expect(column.indexed).toBe(true);
      expect(design.columns.find((c) => c.name === 'RecordId')).toMatchObject({ indexed: true, enforceUniqueValues: true });
    }
  });

  it('creates every list with its columns, indexes and unique id, and records the layout version', async () => {
    standIn = await startGraphStandIn();
    const report = await provisionSharePoint(standInGraphClient(standIn));
    expect(report.problems).toEqual([]);
    expect(report.createdLists).toEqual(LIST_DESIGNS.map((d) => d.displayName));
    for (const design of LIST_DESIGNS) {
      const columns = standIn.columns(design.displayName);
      for (const column of design.columns) {
        expect(columns.find((c) => c.name === column.name)).toMatchObject({ indexed: column.indexed === true, enforceUniqueValues: column.enforceUniqueValues === true });
      }
    }
    expect(standIn.items('SaferExec Layout').map((f) => JSON.parse(String(f['Body'])))).toEqual([{ layoutVersion: LAYOUT_VERSION }]);
  });

  it('is safe to run again: nothing is created twice and the data stays', async () => {
    standIn = await startGraphStandIn();
    await provisionSharePoint(standInGraphClient(standIn));
    const store = await openStandInStore(standIn);
    await store.members.create(aMember());
    const again = await provisionSharePoint(standInGraphClient(standIn));
    expect(again).toMatchObject({ createdLists: [], addedColumns: [], indexedColumns: [], problems: [], previousLayoutVersion: LAYOUT_VERSION });
    expect(standIn.items('SaferExec Layout')).toHaveLength(1);
    expect((await store.members.get('mem-tn'))?.initials).toBe('TN');
  });

  it('upgrades an older layout in place: adds missing columns and turns indexes back on', async () => {
    standIn = await startGraphStandIn();
    await provisionSharePoint(standInGraphClient(standIn));
    const store = await openStandInStore(standIn);
    await store.members.create(aMember());
    standIn.dropColumn('SaferExec Members', 'TeamsUserId');
    const status = standIn.columns('SaferExec Actions').find((c) => c.name === 'Status')!;
    status.indexed = false;
    const report = await provisionSharePoint(standInGraphClient(standIn));
    expect(report.problems).toEqual([]);
    expect(report.addedColumns).toEqual(['SaferExec Members.TeamsUserId']);
    expect(report.indexedColumns).toEqual(['SaferExec Actions.Status']);
    expect(standIn.columns('SaferExec Actions').find((c) => c.name === 'Status')?.indexed).toBe(true);
    expect((await store.members.get('mem-tn'))?.name).toBe('Tracey Naismith');
  });

  it('refuses to touch a site provisioned by a newer Safer Exec', async () => {
    standIn = await startGraphStandIn();
    const graph = standInGraphClient(standIn);
    await provisionSharePoint(graph);
    const layout = standIn.items('SaferExec Layout');
    expect(layout).toHaveLength(1);
    const response = await graph.send({ method: 'GET', path: graph.sitePath("lists/SaferExec%20Layout/items?expand=fields(select=RecordId,Body)"), idempotent: true });
    const item = (response.body as { value: { id: string; eTag: string }[] }).value[0]!;
    await graph.send({ method: 'PATCH', path: graph.sitePath(`lists/SaferExec%20Layout/items/${item.id}/fields`), body: { Body: JSON.stringify({ layoutVersion: LAYOUT_VERSION + 1 }) }, headers: { 'If-Match': item.eTag }, idempotent: true });
    await expect(provisionSharePoint(graph)).rejects.toThrow(/newer/);
    await expect(openStandInStore(standIn)).rejects.toThrow(/newer/);
  });
});
