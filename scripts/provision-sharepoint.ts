/**
 * `npm run provision:sharepoint`: creates Safer Exec's lists, columns and indexes on the site, or
 * brings an older layout up to date in place (adds missing lists and columns, turns on missing
 * indexes and unique constraints), then records the layout version. Safe to run again: it only
 * ever adds. It never deletes a list, a column or an item, and never changes a column's type.
 *
 * Needs the app's Sites.Selected grant on the site at `manage` (or `fullcontrol`) while it runs;
 * the server itself needs only `write`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { LAYOUT_VERSION, LIST_DESIGNS, MAX_INDEXES_PER_LIST, toColumnDefinition, type ListDesign } from '../infra/sharepoint/list-design.js';
import { parseConfig } from '../bot/config.js';
import { credentialConfigFromSettings, createTokenProvider, graphScopeFor } from '../bot/store/sharepoint/credentials.js';
import { createGraphSiteClient, graphError, type GraphSiteClient } from '../bot/store/sharepoint/graph-client.js';
import { eTagOf, SpList, siteListsByName, unexpected } from '../bot/store/sharepoint/sharepoint-lists.js';
import { readLayoutVersion } from '../bot/store/sharepoint/sharepoint-store.js';

export interface ProvisionReport {
  readonly previousLayoutVersion: number | undefined;
  readonly layoutVersion: number;
  readonly createdLists: string[];
  readonly addedColumns: string[];
  readonly indexedColumns: string[];
  /** Things provisioning will not fix on its own (a column of the wrong type): a person decides. */
  readonly problems: string[];
}

interface GraphColumn {
  readonly id: string;
  readonly name: string;
  readonly indexed?: boolean;
  readonly enforceUniqueValues?: boolean;
  readonly text?: { allowMultipleLines?: boolean };
  readonly number?: unknown;
  readonly dateTime?: unknown;
  readonly boolean?: unknown;
}

function kindOf(column: GraphColumn): string | undefined {
  if (column.text) return column.text.allowMultipleLines ? 'note' : 'text';
  if (column.number) return 'number';
  if (column.dateTime) return 'dateTime';
  if (column.boolean) return 'boolean';
  return undefined;
}

async function listColumns(graph: GraphSiteClient, listId: string): Promise<GraphColumn[]> {
  const columns: GraphColumn[] = [];
  let path: string | undefined = graph.sitePath(`lists/${listId}/columns`);
  while (path) {
    const response = await graph.send({ method: 'GET', path, idempotent: true });
    if (response.status !== 200) throw unexpected('the list of columns', response);
    const page = response.body as { value?: GraphColumn[]; '@odata.nextLink'?: string };
    columns.push(...(page.value ?? []));
    path = page['@odata.nextLink'];
  }
  return columns;
}

/** POST /sites/{site-id}/lists with the columns (learn.microsoft.com/graph/api/list-create). */
async function createList(graph: GraphSiteClient, design: ListDesign): Promise<string | undefined> {
  const response = await graph.send({
    method: 'POST',
    path: graph.sitePath('lists'),
    idempotent: false,
    body: { displayName: design.displayName, description: design.description, columns: design.columns.map(toColumnDefinition), list: { template: 'genericList' } },
  });
  if (response.status === 201 || response.status === 200) return (response.body as { id: string }).id;
  // Another run created it meanwhile: the caller looks it up again.
  if (response.status === 409) return undefined;
  throw unexpected(`creating the list ${design.displayName}`, response);
}

/** Adds missing columns and turns on missing indexes / unique constraints on one list. */
async function reconcileColumns(graph: GraphSiteClient, listId: string, design: ListDesign, report: ProvisionReport): Promise<void> {
  const existing = await listColumns(graph, listId);
  for (const column of design.columns) {
    const found = existing.find((c) => c.name === column.name);
    if (!found) {
      // POST /sites/{site-id}/lists/{list-id}/columns (learn.microsoft.com/graph/api/list-post-columns).
      const response = await graph.send({ method: 'POST', path: graph.sitePath(`lists/${listId}/columns`), idempotent: false, body: toColumnDefinition(column) });
      if (response.status === 201 || response.status === 200) report.addedColumns.push(`${design.displayName}.${column.name}`);
      else if (response.status !== 409) throw unexpected(`adding ${design.displayName}.${column.name}`, response);
      continue;
    }
    const kind = kindOf(found);
    if (kind !== undefined && kind !== column.kind) {
      report.problems.push(`${design.displayName}.${column.name} is a ${kind} column; the layout needs ${column.kind}. Provisioning does not change column types.`);
      continue;
    }
    const wantIndex = column.indexed === true && found.indexed !== true;
    const wantUnique = column.enforceUniqueValues === true && found.enforceUniqueValues !== true;
    if (!wantIndex && !wantUnique) continue;
    // PATCH /sites/{site-id}/lists/{list-id}/columns/{column-id} (learn.microsoft.com/graph/api/columndefinition-update).
    const response = await graph.send({
      method: 'PATCH',
      path: graph.sitePath(`lists/${listId}/columns/${found.id}`),
      idempotent: true,
      body: { indexed: true, ...(column.enforceUniqueValues ? { enforceUniqueValues: true } : {}) },
    });
    if (response.status !== 200) {
      const { code } = graphError(response.body);
      report.problems.push(`${design.displayName}.${column.name}: SharePoint refused to index it (HTTP ${response.status}, ${code}).`);
      continue;
    }
    report.indexedColumns.push(`${design.displayName}.${column.name}`);
  }
}

async function recordLayoutVersion(meta: SpList): Promise<void> {
  const fields = { Title: 'layout', RecordId: 'layout', Body: JSON.stringify({ layoutVersion: LAYOUT_VERSION }), WriteToken: randomUUID() };
  const item = await meta.findByRecordId('layout');
  const response = item ? await meta.patchFields(item.id, fields, eTagOf(item) ?? '*') : await meta.createItem(fields);
  if (![200, 201].includes(response.status)) throw unexpected('recording the layout version', response);
}

export async function provisionSharePoint(graph: GraphSiteClient): Promise<ProvisionReport> {
  for (const design of LIST_DESIGNS) {
    const indexes = design.columns.filter((c) => c.indexed).length;
    if (indexes > MAX_INDEXES_PER_LIST) throw new Error(`${design.displayName} asks for ${indexes} indexes; SharePoint allows ${MAX_INDEXES_PER_LIST}.`);
  }
  let byName = await siteListsByName(graph);
  const metaDesign = LIST_DESIGNS.find((d) => d.key === 'meta')!;
  const metaId = byName.get(metaDesign.displayName);
  const previous = metaId ? await readLayoutVersion(new SpList(graph, metaId, metaDesign.displayName)) : undefined;
  if (previous !== undefined && previous > LAYOUT_VERSION) {
    throw new Error(`The site is at layout ${previous}, newer than this Safer Exec knows (${LAYOUT_VERSION}): nothing changed.`);
  }
  const report: ProvisionReport = { previousLayoutVersion: previous, layoutVersion: LAYOUT_VERSION, createdLists: [], addedColumns: [], indexedColumns: [], problems: [] };
  for (const design of LIST_DESIGNS) {
    let listId = byName.get(design.displayName);
    if (!listId) {
      listId = await createList(graph, design);
      if (listId) report.createdLists.push(design.displayName);
      else {
        byName = await siteListsByName(graph);
        listId = byName.get(design.displayName);
        if (!listId) throw new Error(`The list ${design.displayName} could neither be created nor found.`);
      }
    }
    // Also after creating: confirms SharePoint honoured every index and unique flag.
    await reconcileColumns(graph, listId, design, report);
  }
  if (report.problems.length === 0) {
    byName = await siteListsByName(graph);
    await recordLayoutVersion(new SpList(graph, byName.get(metaDesign.displayName)!, metaDesign.displayName));
  }
  return report;
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  if (!config.SHAREPOINT_SITE_ID) throw new Error('Set SHAREPOINT_SITE_ID to the site that holds the lists.');
  const graph = createGraphSiteClient({
    baseUrl: config.GRAPH_BASE_URL,
    siteId: config.SHAREPOINT_SITE_ID,
    getToken: createTokenProvider(credentialConfigFromSettings(config), graphScopeFor(config.GRAPH_BASE_URL)),
  });
  const report = await provisionSharePoint(graph);
  const summary = [
    `Layout ${report.previousLayoutVersion ?? 'none'} -> ${report.problems.length ? 'unchanged' : report.layoutVersion}.`,
    `Lists created: ${report.createdLists.length ? report.createdLists.join(', ') : 'none'}.`,
    `Columns added: ${report.addedColumns.length ? report.addedColumns.join(', ') : 'none'}.`,
    `Columns indexed: ${report.indexedColumns.length ? report.indexedColumns.join(', ') : 'none'}.`,
    ...report.problems.map((p) => `Problem: ${p}`),
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
  if (report.problems.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`Provisioning failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
