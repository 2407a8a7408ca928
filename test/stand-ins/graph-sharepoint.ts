import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { createCaTrustingFetch } from '../support/ca-trusting-fetch.js';
import type { FetchLike } from '../../bot/store/sharepoint/graph-client.js';
import { mulberry32 as seeded } from '../support/seeded-random.js';

/**
 * A local stand-in for the part of Microsoft Graph's SharePoint API that Safer Exec uses, served
 * over HTTPS on 127.0.0.1 with a self-signed certificate (the Graph client only sends the token to
 * https:// hosts it knows, and only follows https:// nextLinks). It speaks the documented wire
 * format; each behaviour cites the page it comes from. Where Microsoft documents nothing, the
 * comment says so and the behaviour follows what tenants report.
 *
 * State is in memory. Requests are handled one at a time by the event loop, so an If-Match check
 * and the write it guards are atomic, as they are in SharePoint.
 */

export type FaultKind = '429' | '503' | '504-after-write' | 'reset-after-write';

export interface FaultPlan {
  /** Share of eligible requests that fail, 0..1. */
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  /** Same seed, same faults: tests are repeatable. */
  readonly seed?: number;
  /** Operations eligible for faults (see `Operation`); default all item operations and $batch. */
  readonly operations?: readonly Operation[];
}

export interface GraphStandInOptions {
  readonly token?: string;
  readonly siteId?: string;
  /** SharePoint's list view threshold is 5,000 items; tests use a small number. */
  readonly listViewThreshold?: number;
  /** Largest page the stand-in returns (Graph's own maximum is undocumented). */
  readonly maxPageSize?: number;
  readonly retryAfterSeconds?: number;
  readonly faults?: FaultPlan;
  /**
   * The status a create or update that breaks a unique column is answered with. Microsoft does
   * not document it for Graph: tenants report 409 nameAlreadyExists (the default); 400 is the
   * other answer seen, and the store must read back before calling either a duplicate.
   */
  readonly duplicateStatus?: 409 | 400;
  /** Answer listItem delta with 403, as a site granted through `Sites.Selected` might. */
  readonly refuseDelta?: boolean;
}

export type Operation =
  | 'lists.list'
  | 'lists.get'
  | 'lists.create'
  | 'columns.list'
  | 'columns.create'
  | 'columns.update'
  | 'items.list'
  | 'items.get'
  | 'items.create'
  | 'items.update'
  | 'items.delete'
  | 'items.delta'
  | 'batch'
  | 'unknown';

export interface RecordedRequest {
  readonly method: string;
  readonly operation: Operation;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string | undefined;
  /** The column a `$filter` on items named, if any. */
  readonly filterColumn?: string;
  readonly viaBatch: boolean;
  readonly fault?: FaultKind;
}

export interface StandInColumn {
  readonly id: string;
  readonly name: string;
  displayName: string;
  description: string;
  indexed: boolean;
  enforceUniqueValues: boolean;
  readonly kind: 'text' | 'note' | 'number' | 'dateTime' | 'boolean';
  readonly readOnly: boolean;
}

interface StandInItem {
  readonly id: string;
  readonly guid: string;
  version: number;
  /** The list's change sequence at this item's last change: what delta tokens count in. */
  seq: number;
  readonly created: string;
  modified: string;
  fields: Record<string, unknown>;
}

interface StandInList {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  description: string;
  readonly created: string;
  readonly columns: StandInColumn[];
  readonly items: Map<string, StandInItem>;
  nextItemId: number;
  /** Change sequence: bumped by every create, update and delete of an item. */
  seq: number;
  /** Deleted items, for delta: `{id, deleted: {state: 'deleted'}}` after their delete. */
  readonly tombstones: { readonly id: string; readonly seq: number }[];
  /** Delta tokens carry the generation they were issued in; a newer one makes them expire (410). */
  deltaGeneration: number;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface GraphStandIn {
  /** https://127.0.0.1:<port>/v1.0 */
  readonly baseUrl: string;
  readonly host: string;
  readonly siteId: string;
  readonly token: string;
  /** The certificate the server presents, PEM: trust it to talk to the stand-in. */
  readonly ca: string;
  /** A fetch that trusts `ca`, for the Graph client's transport. */
  readonly fetch: FetchLike;
  /** Every request answered: each HTTP request (a $batch as one, operation 'batch'), and each part of a batch (viaBatch). */
  readonly requests: RecordedRequest[];
  /** HTTP requests answered so far: a $batch counts once, whatever it holds. */
  httpRequestCount(): number;
  /** Requests answered inside batches so far (each part once): what SharePoint's throttling counts besides the HTTP requests. */
  batchedRequestCount(): number;
  count(operation: Operation, options?: { viaBatch?: boolean }): number;
  counts(): Record<string, number>;
  setFaults(plan: FaultPlan | undefined): void;
  /** Fail the next `times` requests of `operation` with `kind`, before any random fault. */
  failNext(operation: Operation, kind: FaultKind, times?: number): void;
  setListViewThreshold(threshold: number): void;
  /** Adds this long to every answer (Graph's own latency is 50–250 ms from a nearby region); 0 by default. */
  setLatency(ms: number): void;
  /** Makes every delta token issued so far for the list expire: their next use is answered 410 Gone. */
  expireDeltaTokens(displayName: string): void;
  /** Inspection for tests: the items of a list by display name (fields only). */
  items(displayName: string): Record<string, unknown>[];
  columns(displayName: string): readonly StandInColumn[];
  /** Changes a list behind the store's back, e.g. to simulate an older layout. */
  dropColumn(displayName: string, columnName: string): void;
  /**
   * Bench seeding: puts items straight into a list, as if each had been created through Graph,
   * without a request per item (50,000 HTTPS creates take minutes). Fields are validated and
   * unique columns enforced as a create would; nothing is recorded in `requests`. Tests that
   * check the store's own writes must create through Graph instead.
   */
  seedItems(displayName: string, items: readonly Record<string, unknown>[]): void;
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; key: string }> | undefined;

/** One certificate per test process for 127.0.0.1 (EC keys: quick to generate). */
function standInCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}


/** Graph's error body: `{"error": {"code", "message", "innerError"}}` (learn.microsoft.com/graph/errors). */
function error(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } },
  };
}

const ITEM_OPERATIONS: readonly Operation[] = ['items.list', 'items.get', 'items.create', 'items.update', 'items.delete', 'items.delta', 'batch'];
const WRITES: ReadonlySet<Operation> = new Set(['items.create', 'items.update', 'items.delete', 'batch', 'lists.create', 'columns.create', 'columns.update']);
const READ_ONLY_FIELDS = new Set(['id', 'ID', 'Created', 'Modified', 'Author', 'Editor', 'ContentType', '@odata.etag']);

function columnKind(definition: Record<string, unknown>): StandInColumn['kind'] | undefined {
  const text = definition['text'] as { allowMultipleLines?: boolean } | undefined;
  if (text) return text.allowMultipleLines ? 'note' : 'text';
  if (definition['number']) return 'number';
  if (definition['dateTime']) return 'dateTime';
  if (definition['boolean']) return 'boolean';
  return undefined;
}

function columnJson(column: StandInColumn): Record<string, unknown> {
  const facet =
    column.kind === 'note'
      ? { text: { allowMultipleLines: true, appendChangesToExistingText: false, linesForEditing: 6, maxLength: 63999, textType: 'plain' } }
      : column.kind === 'text'
        ? { text: { allowMultipleLines: false, appendChangesToExistingText: false, linesForEditing: 0, maxLength: 255 } }
        : column.kind === 'number'
          ? { number: { decimalPlaces: 'none', displayAs: 'number' } }
          : column.kind === 'dateTime'
            ? { dateTime: { displayAs: 'standard', format: 'dateTime' } }
            : { boolean: {} };
  return {
    id: column.id,
    name: column.name,
    displayName: column.displayName,
    description: column.description,
    columnGroup: 'Custom Columns',
    enforceUniqueValues: column.enforceUniqueValues,
    hidden: false,
    indexed: column.indexed,
    readOnly: column.readOnly,
    required: false,
    ...facet,
  };
}

/** Parses the one filter form the stand-in serves: `fields/<Column> eq '<value>'` ('' escapes a quote). */
function parseFilter(filter: string): { column: string; value: string } | undefined {
  const match = /^\s*fields\/([A-Za-z0-9_]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
  return match ? { column: match[1]!, value: match[2]!.replace(/''/g, "'") } : undefined;
}

function parseExpand(expand: string | null): { expand: boolean; select?: string[] } {
  if (!expand) return { expand: false };
  const match = /^fields(?:\((?:\$?select=([^)]*))?\))?$/.exec(expand.trim());
  if (!match) return { expand: false };
  return match[1] ? { expand: true, select: match[1].split(',').map((s) => s.trim()).filter(Boolean) } : { expand: true };
}

export async function startGraphStandIn(options: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const { cert, key } = await standInCertificate();
  const token = options.token ?? 'stand-in-token';
  const siteId = options.siteId ?? 'saferplymouth.sharepoint.com,6a0f6e5e-7f43-4b1f-9d5c-2b8c0c6f1a11,0d1e3c6a-5b2f-4e8a-9c7d-1f2e3d4c5b6a';
  let threshold = options.listViewThreshold ?? 5000;
  const maxPageSize = options.maxPageSize ?? 200;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const lists = new Map<string, StandInList>();
  const requests: RecordedRequest[] = [];
  let faults = options.faults;
  const duplicateStatus = options.duplicateStatus ?? 409;
  let latencyMs = 0;
  let random = seeded(faults?.seed ?? 1);
  const scripted: { operation: Operation; kind: FaultKind }[] = [];
  let origin = '';

  const findList = (idOrName: string): StandInList | undefined => {
    const decoded = decodeURIComponent(idOrName);
    return lists.get(decoded) ?? [...lists.values()].find((l) => l.displayName === decoded || l.name === decoded);
  };

  const etagOf = (item: StandInItem) => `"${item.guid},${item.version}"`;

  function itemJson(list: StandInList, item: StandInItem, expand: { expand: boolean; select?: string[] }): Record<string, unknown> {
    const etag = etagOf(item);
    const out: Record<string, unknown> = {
      '@odata.etag': etag,
      id: item.id,
      eTag: etag,
      createdDateTime: item.created,
      lastModifiedDateTime: item.modified,
      webUrl: `https://saferplymouth.sharepoint.com/Lists/${list.name}/DispForm.aspx?ID=${item.id}`,
      createdBy: { application: { displayName: 'Safer Exec' } },
      lastModifiedBy: { application: { displayName: 'Safer Exec' } },
      parentReference: { id: list.id, siteId },
      contentType: { id: '0x0100', name: 'Item' },
    };
    if (expand.expand) out['fields'] = fieldsJson(item, expand.select);
    return out;
  }

  /**
   * A fieldValueSet: name-value pairs for the item's columns, with the item's `@odata.etag`
   * (learn.microsoft.com/graph/api/resources/fieldvalueset). With `select`, only those columns.
   */
  function fieldsJson(item: StandInItem, select?: string[]): Record<string, unknown> {
    const fields: Record<string, unknown> = { '@odata.etag': etagOf(item) };
    const names = select ?? ['id', 'ContentType', 'Created', 'Modified', ...Object.keys(item.fields)];
    for (const name of names) {
      if (name === 'id' || name === 'ID') fields[name] = item.id;
      else if (name === 'Created') fields[name] = item.created;
      else if (name === 'Modified') fields[name] = item.modified;
      else if (name === 'ContentType') fields[name] = 'Item';
      else if (item.fields[name] !== undefined && item.fields[name] !== null) fields[name] = item.fields[name];
    }
    return fields;
  }

  /** Checks a fieldValueSet against the list's columns, as SharePoint does before writing. */
  function validateFields(list: StandInList, fields: unknown): Reply | undefined {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return error(400, 'invalidRequest', 'Invalid request: fields must be an object.');
    for (const [name, value] of Object.entries(fields)) {
      if (READ_ONLY_FIELDS.has(name)) return error(400, 'invalidRequest', `Field '${name}' is read-only.`);
      const column = list.columns.find((c) => c.name === name);
      if (!column) return error(400, 'invalidRequest', `Field '${name}' is not recognized`);
      if (value === null) continue;
      const ok =
        column.kind === 'number'
          ? typeof value === 'number'
          : column.kind === 'boolean'
            ? typeof value === 'boolean'
            : column.kind === 'dateTime'
              ? typeof value === 'string' && !Number.isNaN(Date.parse(value))
              : typeof value === 'string' && (column.kind === 'note' || value.length <= 255);
      if (!ok) return error(400, 'invalidRequest', `Invalid value for field '${name}'.`);
    }
    return undefined;
  }

  /**
   * "Enforce unique values": SharePoint refuses a second item with the same value (compared
   * case-insensitively). Graph's answer to it is not documented; tenants report 409 with code
   * nameAlreadyExists and SharePoint's own wording, which is what the stand-in sends.
   */
  function uniqueViolation(list: StandInList, fields: Record<string, unknown>, except?: string): Reply | undefined {
    for (const column of list.columns.filter((c) => c.enforceUniqueValues)) {
      const value = fields[column.name];
      if (value === undefined || value === null) continue;
      for (const other of list.items.values()) {
        if (other.id === except) continue;
        const existing = other.fields[column.name];
        if (existing !== undefined && existing !== null && String(existing).toLowerCase() === String(value).toLowerCase()) {
          return error(duplicateStatus, duplicateStatus === 409 ? 'nameAlreadyExists' : 'invalidRequest', `The list item could not be added or updated because duplicate values were found in the following field(s) in the list: [${column.name}].`);
        }
      }
    }
    return undefined;
  }

  /** If-Match: a stale eTag gives 412 and changes nothing (learn.microsoft.com/graph/api/listitem-update, listitem-delete). */
  function preconditionFailed(item: StandInItem, ifMatch: string | undefined): Reply | undefined {
    if (ifMatch === undefined || ifMatch === '*' || ifMatch === etagOf(item)) return undefined;
    return error(412, 'resourceModified', 'The resource has changed since the caller last read it; usually an eTag mismatch');
  }

  function addColumn(list: StandInList, definition: Record<string, unknown>): Reply {
    const name = typeof definition['name'] === 'string' ? definition['name'] : '';
    const kind = columnKind(definition);
    if (!name || !kind) return error(400, 'invalidRequest', 'A column needs a name and one type facet (text, number, dateTime, boolean).');
    if (list.columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) return error(409, 'nameAlreadyExists', `A duplicate field name "${name}" was found.`);
    const indexed = definition['indexed'] === true;
    const unique = definition['enforceUniqueValues'] === true;
    if (unique && !indexed) return error(400, 'invalidRequest', 'You must index this column before enforcing unique values.');
    if (indexed && list.columns.filter((c) => c.indexed).length >= 20) return error(400, 'invalidRequest', 'A list can have at most 20 indexed columns.');
    const column: StandInColumn = {
      id: randomUUID(),
      name,
      displayName: typeof definition['displayName'] === 'string' ? definition['displayName'] : name,
      description: typeof definition['description'] === 'string' ? definition['description'] : '',
      indexed,
      enforceUniqueValues: unique,
      kind,
      readOnly: false,
    };
    list.columns.push(column);
    return { status: 201, body: columnJson(column) };
  }

  function listJson(list: StandInList): Record<string, unknown> {
    return {
      id: list.id,
      name: list.name,
      displayName: list.displayName,
      description: list.description,
      createdDateTime: list.created,
      lastModifiedDateTime: list.created,
      webUrl: `https://saferplymouth.sharepoint.com/Lists/${list.name}`,
      list: { contentTypesEnabled: false, hidden: false, template: 'genericList' },
    };
  }

  function operationOf(method: string, segments: string[]): Operation {
    if (segments[0] === '$batch') return 'batch';
    if (segments[0] !== 'sites' || segments.length < 3 || segments[2] !== 'lists') return 'unknown';
    if (segments.length === 3) return method === 'POST' ? 'lists.create' : 'lists.list';
    if (segments.length === 4) return 'lists.get';
    if (segments[4] === 'columns') return segments.length === 5 ? (method === 'POST' ? 'columns.create' : 'columns.list') : 'columns.update';
    if (segments[4] === 'items') {
      if (segments.length === 5) return method === 'POST' ? 'items.create' : 'items.list';
      if (segments.length === 6 && segments[5] === 'delta' && method === 'GET') return 'items.delta';
      if (method === 'DELETE') return 'items.delete';
      if (method === 'PATCH') return 'items.update';
      return 'items.get';
    }
    return 'unknown';
  }

  /** Routes one request (top level or inside a batch) to its handler. */
  function dispatch(method: string, rawUrl: string, headers: Record<string, string | undefined>, body: unknown): { reply: Reply; operation: Operation; filterColumn?: string } {
    const url = new URL(rawUrl, 'https://stand-in');
    const path = url.pathname.replace(/^\/v1\.0(?=\/)/, '');
    const segments = path.split('/').filter(Boolean);
    const operation = operationOf(method, segments);
    const q = url.searchParams;
    if (operation === 'unknown') return { reply: error(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`), operation };
    if (segments[1] !== siteId && decodeURIComponent(segments[1] ?? '') !== siteId) return { reply: error(404, 'itemNotFound', 'Requested site could not be found'), operation };

    // Lists: learn.microsoft.com/graph/api/list-create, list-list, list-get.
    if (operation === 'lists.list') {
      let all = [...lists.values()];
      const filter = q.get('$filter');
      if (filter) {
        const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter.trim());
        if (!m) return { reply: error(400, 'invalidRequest', 'Unsupported filter on lists.'), operation };
        all = all.filter((l) => l.displayName === m[1]!.replace(/''/g, "'"));
      }
      return { reply: { status: 200, body: { '@odata.context': `${origin}/v1.0/$metadata#sites('${siteId}')/lists`, value: all.map(listJson) } }, operation };
    }
    if (operation === 'lists.create') {
      const b = (body ?? {}) as { displayName?: unknown; description?: unknown; columns?: unknown; list?: { template?: unknown } };
      if (typeof b.displayName !== 'string' || !b.displayName) return { reply: error(400, 'invalidRequest', 'displayName is required.'), operation };
      if ([...lists.values()].some((l) => l.displayName.toLowerCase() === (b.displayName as string).toLowerCase())) {
        return { reply: error(409, 'nameAlreadyExists', 'A list, survey, discussion board, or document library with the specified title already exists in this Web site.'), operation };
      }
      // "If the list facet or template is unspecified, the list defaults to the genericList
      // template, which includes a Title column" (learn.microsoft.com/graph/api/list-create).
      const list: StandInList = {
        id: randomUUID(),
        name: b.displayName.replace(/[^A-Za-z0-9]/g, ''),
        displayName: b.displayName,
        description: typeof b.description === 'string' ? b.description : '',
        created: new Date().toISOString(),
        columns: [{ id: randomUUID(), name: 'Title', displayName: 'Title', description: '', indexed: false, enforceUniqueValues: false, kind: 'text', readOnly: false }],
        items: new Map(),
        nextItemId: 1,
        seq: 0,
        tombstones: [],
        deltaGeneration: 1,
      };
      for (const definition of Array.isArray(b.columns) ? (b.columns as Record<string, unknown>[]) : []) {
        const added = addColumn(list, definition);
        if (added.status !== 201) return { reply: added, operation };
      }
      lists.set(list.id, list);
      return { reply: { status: 201, body: listJson(list) }, operation };
    }
    const list = findList(segments[3]!);
    if (!list) return { reply: error(404, 'itemNotFound', 'The list could not be found.'), operation };
    if (operation === 'lists.get') return { reply: { status: 200, body: listJson(list) }, operation };

    // Columns: learn.microsoft.com/graph/api/list-list-columns, list-post-columns, columndefinition-update.
    if (operation === 'columns.list') return { reply: { status: 200, body: { value: list.columns.map(columnJson) } }, operation };
    if (operation === 'columns.create') return { reply: addColumn(list, (body ?? {}) as Record<string, unknown>), operation };
    if (operation === 'columns.update') {
      const column = list.columns.find((c) => c.id === segments[5] || c.name === segments[5]);
      if (!column) return { reply: error(404, 'itemNotFound', 'The column could not be found.'), operation };
      const b = (body ?? {}) as Record<string, unknown>;
      const indexed = typeof b['indexed'] === 'boolean' ? b['indexed'] : column.indexed;
      const unique = typeof b['enforceUniqueValues'] === 'boolean' ? b['enforceUniqueValues'] : column.enforceUniqueValues;
      if (unique && !indexed) return { reply: error(400, 'invalidRequest', 'You must index this column before enforcing unique values.'), operation };
      if (indexed && !column.indexed && list.columns.filter((c) => c.indexed).length >= 20) return { reply: error(400, 'invalidRequest', 'A list can have at most 20 indexed columns.'), operation };
      column.indexed = indexed;
      column.enforceUniqueValues = unique;
      if (typeof b['description'] === 'string') column.description = b['description'];
      if (typeof b['displayName'] === 'string') column.displayName = b['displayName'];
      return { reply: { status: 200, body: columnJson(column) }, operation };
    }

    if (operation === 'items.delta') return { reply: delta(list, path, q), operation };

    // Items: learn.microsoft.com/graph/api/listitem-list, listitem-get, listitem-create, listitem-update, listitem-delete.
    if (operation === 'items.list') {
      const expand = parseExpand(q.get('expand') ?? q.get('$expand'));
      const filterText = q.get('$filter');
      let candidates = [...list.items.values()];
      let filterColumn: string | undefined;
      if (filterText) {
        const filter = parseFilter(filterText);
        if (!filter) return { reply: error(400, 'invalidRequest', 'The stand-in serves only `fields/<Column> eq \'<value>\'` filters.'), operation };
        filterColumn = filter.column;
        const column = list.columns.find((c) => c.name === filter.column);
        if (!column) return { reply: error(400, 'invalidRequest', `Field '${filter.column}' is not recognized`), operation, filterColumn };
        if (!column.indexed) {
          // Graph refuses filters on unindexed columns unless the caller opts in with a Prefer
          // header; over the list view threshold (5,000 items) such a query fails anyway
          // (learn.microsoft.com/graph/api/listitem-list: "filtering on indexed fields";
          // learn.microsoft.com/troubleshoot/sharepoint/lists-and-libraries/items-exceeds-list-view-threshold).
          const optedIn = (headers['prefer'] ?? '').includes('HonorNonIndexedQueriesWarningMayFailRandomly');
          if (!optedIn) {
            return {
              reply: error(400, 'invalidRequest', `Field '${filter.column}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`),
              operation,
              filterColumn,
            };
          }
          if (list.items.size > threshold) {
            return { reply: error(400, 'invalidRequest', 'The attempted operation is prohibited because it exceeds the list view threshold.'), operation, filterColumn };
          }
        }
        // SharePoint compares text case-insensitively.
        candidates = candidates.filter((item) => String(item.fields[filter.column] ?? '').toLowerCase() === filter.value.toLowerCase());
      }
      candidates.sort((a, b) => Number(a.id) - Number(b.id));
      const skipToken = q.get('$skiptoken');
      if (skipToken) {
        const decoded = Buffer.from(skipToken, 'base64').toString('utf8');
        const m = /^Paged=TRUE&p_ID=(\d+)$/.exec(decoded);
        if (!m) return { reply: error(400, 'invalidRequest', 'Invalid skip token.'), operation, filterColumn };
        candidates = candidates.filter((item) => Number(item.id) > Number(m[1]));
      }
      const top = Math.min(Math.max(1, Number(q.get('$top') ?? maxPageSize) || maxPageSize), maxPageSize);
      const pageItems = candidates.slice(0, top);
      const responseBody: Record<string, unknown> = { value: pageItems.map((item) => itemJson(list, item, expand)) };
      // Paging: "the response includes an @odata.nextLink ... follow it until absent"
      // (learn.microsoft.com/graph/paging). Absolute https URL, same query plus a skip token.
      if (candidates.length > top) {
        const next = new URLSearchParams(url.search);
        next.delete('$skiptoken');
        const rest = [...next.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const tokenValue = Buffer.from(`Paged=TRUE&p_ID=${pageItems[pageItems.length - 1]!.id}`).toString('base64');
        responseBody['@odata.nextLink'] = `${origin}/v1.0${path}?${rest}&$skiptoken=${encodeURIComponent(tokenValue)}`;
      }
      return { reply: { status: 200, body: responseBody }, operation, ...(filterColumn ? { filterColumn } : {}) };
    }
    if (operation === 'items.create') {
      const fields = (body as { fields?: unknown } | undefined)?.fields ?? {};
      const invalid = validateFields(list, fields);
      if (invalid) return { reply: invalid, operation };
      const clash = uniqueViolation(list, fields as Record<string, unknown>);
      if (clash) return { reply: clash, operation };
      const now = new Date().toISOString();
      const item: StandInItem = { id: String(list.nextItemId++), guid: randomUUID(), version: 1, seq: ++list.seq, created: now, modified: now, fields: { ...(fields as Record<string, unknown>) } };
      list.items.set(item.id, item);
      return { reply: { status: 201, body: itemJson(list, item, { expand: true }) }, operation };
    }
    const item = list.items.get(segments[5]!);
    if (!item) return { reply: error(404, 'itemNotFound', 'The resource could not be found.'), operation };
    if (operation === 'items.get') return { reply: { status: 200, body: itemJson(list, item, parseExpand(q.get('expand') ?? q.get('$expand'))) }, operation };
    if (operation === 'items.delete') {
      const stale = preconditionFailed(item, headers['if-match']);
      if (stale) return { reply: stale, operation };
      list.items.delete(item.id);
      list.tombstones.push({ id: item.id, seq: ++list.seq });
      return { reply: { status: 204 }, operation };
    }
    // items.update: PATCH .../items/{id}/fields with a fieldValueSet, or .../items/{id} with {fields}.
    const toFields = segments[6] === 'fields';
    const fields = toFields ? body : (body as { fields?: unknown } | undefined)?.fields ?? {};
    const stale = preconditionFailed(item, headers['if-match']);
    if (stale) return { reply: stale, operation };
    const invalid = validateFields(list, fields);
    if (invalid) return { reply: invalid, operation };
    const clash = uniqueViolation(list, fields as Record<string, unknown>, item.id);
    if (clash) return { reply: clash, operation };
    item.fields = { ...item.fields, ...(fields as Record<string, unknown>) };
    item.version += 1;
    item.seq = ++list.seq;
    item.modified = new Date().toISOString();
    return { reply: { status: 200, body: toFields ? fieldsJson(item) : itemJson(list, item, { expand: true }) }, operation };
  }

  /**
   * listItem delta (learn.microsoft.com/graph/api/listitem-delta): without a token, every item
   * (a full enumeration); with `token=latest`, nothing and a deltaLink from now; with a token
   * from a deltaLink, the items changed since, and deleted ones as `{id, deleted: {state}}`. Pages
   * of at most $top end in an `@odata.nextLink`, the last one in an `@odata.deltaLink`. A token
   * the list no longer honours (see expireDeltaTokens) is answered 410 Gone with a `Location`
   * that starts a fresh enumeration. Tokens are opaque to the client: here, base64url JSON of
   * (list, generation, since, up to, after).
   */
  function delta(list: StandInList, path: string, q: URLSearchParams): Reply {
    if (options.refuseDelta) return error(403, 'accessDenied', 'Either scp or roles claim need to be present in the token.');
    interface DeltaToken { l: string; g: number; s: number; u?: number; a?: number }
    const link = (token: DeltaToken) => {
      const params = new URLSearchParams(q);
      params.delete('token');
      const rest = [...params.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      return `${origin}/v1.0${path}?${rest ? `${rest}&` : ''}token=${Buffer.from(JSON.stringify(token)).toString('base64url')}`;
    };
    const raw = q.get('token');
    if (raw === 'latest') return { status: 200, body: { value: [], '@odata.deltaLink': link({ l: list.id, g: list.deltaGeneration, s: list.seq }) } };
    let token: DeltaToken = { l: list.id, g: list.deltaGeneration, s: 0 };
    if (raw !== null) {
      try {
        token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaToken;
      } catch {
        return error(400, 'invalidRequest', 'Invalid delta token.');
      }
      if (token.l !== list.id || typeof token.s !== 'number') return error(400, 'invalidRequest', 'Invalid delta token.');
      if (token.s > 0 && token.g !== list.deltaGeneration) {
        return error(410, 'resyncChangesApplyDifferences', 'The delta token has expired: resynchronise.', { Location: link({ l: list.id, g: list.deltaGeneration, s: 0, u: list.seq, a: 0 }) });
      }
    }
    const since = token.s;
    const upTo = token.u ?? list.seq;
    const after = token.a ?? since;
    const changed: { seq: number; json: Record<string, unknown> }[] = [];
    const expand = parseExpand(q.get('expand') ?? q.get('$expand'));
    for (const item of list.items.values()) if (item.seq > after && item.seq <= upTo) changed.push({ seq: item.seq, json: itemJson(list, item, expand) });
    // A full enumeration lists what exists; deletions are news only to someone who has a token.
    if (since > 0) {
      for (const gone of list.tombstones) {
        if (gone.seq > after && gone.seq <= upTo) changed.push({ seq: gone.seq, json: { id: gone.id, parentReference: { siteId }, deleted: { state: 'deleted' } } });
      }
    }
    changed.sort((a, b) => a.seq - b.seq);
    const top = Math.min(Math.max(1, Number(q.get('$top') ?? maxPageSize) || maxPageSize), maxPageSize);
    const page = changed.slice(0, top);
    const body: Record<string, unknown> = { value: page.map((c) => c.json) };
    if (changed.length > top) body['@odata.nextLink'] = link({ l: list.id, g: list.deltaGeneration, s: since, u: upTo, a: page[page.length - 1]!.seq });
    else body['@odata.deltaLink'] = link({ l: list.id, g: list.deltaGeneration, s: upTo });
    return { status: 200, body };
  }

  function drawFault(operation: Operation, allowed: readonly FaultKind[]): FaultKind | undefined {
    const index = scripted.findIndex((s) => s.operation === operation && allowed.includes(s.kind));
    if (index >= 0) return scripted.splice(index, 1)[0]!.kind;
    if (!faults || faults.rate <= 0) return undefined;
    if (!(faults.operations ?? ITEM_OPERATIONS).includes(operation)) return undefined;
    const kinds = faults.kinds.filter((k) => allowed.includes(k));
    if (!kinds.length || random() >= faults.rate) return undefined;
    return kinds[Math.floor(random() * kinds.length)]!;
  }

  /**
   * Throttling: 429 or 503 with Retry-After, and the request was not carried out
   * (learn.microsoft.com/graph/throttling; learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online).
   */
  function throttled(kind: '429' | '503'): Reply {
    return kind === '429'
      ? error(429, 'activityLimitReached', 'The request has been throttled', { 'Retry-After': retryAfter })
      : error(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', { 'Retry-After': retryAfter });
  }

  /**
   * $batch (learn.microsoft.com/graph/json-batching): at most 20 requests, each with an id, a
   * method and a URL relative to the version root ("/sites/...", no "/v1.0", no host). Each is
   * dispatched through the same handlers as on its own and answered with its own status and
   * headers (a throttled one with its own Retry-After: "requests in a batch are evaluated
   * individually against the applicable throttling limits"); the answers come back in an order of
   * the stand-in's choosing (here the reverse), as Graph allows, so clients must match them by id.
   */
  function runBatch(body: unknown, userAgent: string | undefined): Reply {
    const parts = (body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(parts)) return error(400, 'BadRequest', 'Invalid batch payload format.');
    if (parts.length > 20) return error(400, 'BadRequest', 'Number of batch requests exceeds the limit of 20.');
    const wellFormed = (p: unknown): boolean => {
      const part = p as { id?: unknown; method?: unknown; url?: unknown } | null;
      return typeof part?.id === 'string' && part.id !== '' && typeof part.method === 'string' && typeof part.url === 'string';
    };
    if (!parts.every(wellFormed)) return error(400, 'BadRequest', 'Each batch request needs an id, a method and a url.');
    const ids = new Set(parts.map((p: { id?: unknown }) => String(p.id).toLowerCase()));
    if (ids.size !== parts.length) return error(400, 'BadRequest', 'Batch request ids must be unique.');
    const statusById = new Map<string, number>();
    const responses = parts.map((part: { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }) => {
      // "If an individual request fails, any request that depends on that request fails with status code 424".
      if (part.dependsOn?.some((d) => (statusById.get(d) ?? 200) >= 400)) {
        statusById.set(part.id, 424);
        return { id: part.id, status: 424, body: { error: { code: 'FailedDependency', message: 'A request this one depends on failed.' } } };
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(part.headers ?? {})) headers[k.toLowerCase()] = v;
      // A part's URL is relative to the version root of the batch itself: a host or a version in it is refused.
      if (/^[a-z]+:\/\//i.test(part.url) || /^\/?v1\.0\//.test(part.url) || /^\/?beta\//.test(part.url)) {
        requests.push({ method: part.method, operation: 'unknown', path: part.url.split('?')[0]!, status: 400, userAgent, viaBatch: true });
        statusById.set(part.id, 400);
        return { id: part.id, status: 400, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'BadRequest', message: 'Invalid request URL: a batch request URL is relative to the version root.' } } };
      }
      const url = part.url.startsWith('/') ? part.url : `/${part.url}`;
      const operation = operationOf(part.method, new URL(url, 'https://stand-in').pathname.replace(/^\/v1\.0(?=\/)/, '').split('/').filter(Boolean));
      // "Requests in a batch are evaluated individually against the applicable throttling limits".
      const fault = drawFault(operation, ['429', '503']) as '429' | '503' | undefined;
      const { reply, filterColumn } = fault ? { reply: throttled(fault), filterColumn: undefined } : dispatch(part.method, url, headers, part.body);
      requests.push({ method: part.method, operation, path: url.split('?')[0]!, status: reply.status, userAgent, viaBatch: true, ...(filterColumn ? { filterColumn } : {}), ...(fault ? { fault } : {}) });
      statusById.set(part.id, reply.status);
      return { id: part.id, status: reply.status, headers: { 'Content-Type': 'application/json', ...(reply.headers ?? {}) }, ...(reply.body !== undefined ? { body: reply.body } : {}) };
    });
    return { status: 200, body: { responses: responses.reverse() } };
  }

  function send(res: ServerResponse, reply: Reply): void {
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(payload ? { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' } : {}),
      'request-id': randomUUID(),
      ...(reply.headers ?? {}),
    });
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const userAgent = req.headers['user-agent'];
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const segments = new URL(url, 'https://stand-in').pathname.replace(/^\/v1\.0(?=\/)/, '').split('/').filter(Boolean);
    const operation = operationOf(method, segments);
    const record = (status: number, extra: Partial<RecordedRequest> = {}) =>
      requests.push({ method, operation, path: url.split('?')[0]!, status, userAgent, viaBatch: false, ...extra });

    if (!url.startsWith('/v1.0/')) {
      record(400);
      return send(res, error(400, 'BadRequest', 'Invalid version.'));
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      record(401);
      return send(res, error(401, 'InvalidAuthenticationToken', 'Access token is empty.'));
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      record(400);
      return send(res, error(400, 'BadRequest', 'Unable to read JSON request payload.'));
    }
    const fault = drawFault(operation, WRITES.has(operation) ? ['429', '503', '504-after-write', 'reset-after-write'] : ['429', '503']);
    if (fault === '429' || fault === '503') {
      record(Number(fault), { fault });
      return send(res, throttled(fault));
    }
    const { reply, filterColumn } = operation === 'batch' ? { reply: runBatch(body, userAgent), filterColumn: undefined } : dispatch(method, url, headers, body);
    if (fault === 'reset-after-write') {
      // The write happened; the answer is lost with the connection.
      record(0, { fault });
      req.socket.destroy();
      return;
    }
    if (fault === '504-after-write') {
      record(504, { fault });
      return send(res, error(504, 'gatewayTimeout', 'The gateway timed out.'));
    }
    record(reply.status, filterColumn ? { filterColumn } : {});
    send(res, reply);
  }

  const server: Server = createServer({ cert, key }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, error(500, 'generalException', 'The stand-in failed.'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
  const transport = createCaTrustingFetch(cert);

  const listByName = (displayName: string): StandInList => {
    const list = [...lists.values()].find((l) => l.displayName === displayName);
    if (!list) throw new Error(`No list named ${displayName}.`);
    return list;
  };

  return {
    baseUrl: `${origin}/v1.0`,
    host: '127.0.0.1',
    siteId,
    token,
    ca: cert,
    fetch: transport.fetch,
    requests,
    httpRequestCount: () => requests.filter((r) => !r.viaBatch).length,
    batchedRequestCount: () => requests.filter((r) => r.viaBatch).length,
    count: (operation, opts = {}) => requests.filter((r) => r.operation === operation && (opts.viaBatch === undefined || r.viaBatch === opts.viaBatch)).length,
    counts: () => {
      const out: Record<string, number> = {};
      for (const r of requests) out[r.operation] = (out[r.operation] ?? 0) + 1;
      return out;
    },
    setFaults: (plan) => {
      faults = plan;
      random = seeded(plan?.seed ?? 1);
    },
    failNext: (operation, kind, times = 1) => {
      for (let i = 0; i < times; i++) scripted.push({ operation, kind });
    },
    setListViewThreshold: (value) => {
      threshold = value;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    expireDeltaTokens: (displayName) => {
      listByName(displayName).deltaGeneration += 1;
    },
    items: (displayName) => [...listByName(displayName).items.values()].map((item) => ({ ...item.fields })),
    columns: (displayName) => listByName(displayName).columns,
    seedItems: (displayName, fieldSets) => {
      const list = listByName(displayName);
      const uniqueColumns = list.columns.filter((c) => c.enforceUniqueValues);
      // One pass builds the unique values already present; a create compares item by item.
      const taken = new Map(uniqueColumns.map((c) => [c.name, new Set([...list.items.values()].map((item) => String(item.fields[c.name] ?? '').toLowerCase()))]));
      const now = new Date().toISOString();
      for (const fields of fieldSets) {
        const invalid = validateFields(list, fields);
        if (invalid) throw new Error(`seedItems: ${(invalid.body as { error: { message: string } }).error.message}`);
        for (const column of uniqueColumns) {
          const value = fields[column.name];
          if (value === undefined || value === null) continue;
          const values = taken.get(column.name)!;
          if (values.has(String(value).toLowerCase())) throw new Error(`seedItems: a duplicate ${column.name} in ${displayName}.`);
          values.add(String(value).toLowerCase());
        }
        const item: StandInItem = { id: String(list.nextItemId++), guid: randomUUID(), version: 1, seq: ++list.seq, created: now, modified: now, fields: { ...fields } };
        list.items.set(item.id, item);
      }
    },
    dropColumn: (displayName, columnName) => {
      const list = listByName(displayName);
      const index = list.columns.findIndex((c) => c.name === columnName);
      if (index >= 0) list.columns.splice(index, 1);
    },
    close: async () => {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
