import { createHash } from 'node:crypto';
import { LIST_DESIGNS, TEXT_COLUMN_MAX, type ListKey } from '../../../infra/sharepoint/list-design.js';
import { GraphRequestError, graphError, MAX_BATCH_SIZE, type GraphResponse, type GraphSiteClient } from './graph-client.js';

/** A list item as Graph returns it with `expand=fields(select=...)`. */
export interface SpItem {
  readonly id: string;
  readonly eTag?: string;
  readonly '@odata.etag'?: string;
  readonly createdDateTime?: string;
  readonly fields: {
    readonly RecordId?: string;
    readonly Body?: string;
    readonly WriteToken?: string;
    readonly '@odata.etag'?: string;
  };
}

export type FieldValues = Readonly<Record<string, string | number | boolean | null>>;

/** Graph does not document a maximum `$top` for list items: ask for a modest page and follow nextLink. */
export const ITEMS_PAGE_SIZE = 200;

const SELECT = 'expand=fields(select=RecordId,Body,WriteToken)';

/**
 * Values for indexed single-line text columns: at most 255 characters, so longer ones (a long
 * conversation id) are stored as a hash. Filters hash the same way, and the store re-checks the
 * real value in Body, so a hash can never produce a wrong match.
 */
export function indexValue(value: string): string {
  return value.length <= TEXT_COLUMN_MAX ? value : `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/** An OData string literal: single quotes are escaped by doubling them. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The item's eTag: listItem.eTag, else the OData annotation on the item or its fields. */
export function eTagOf(item: Partial<SpItem> | undefined): string | undefined {
  return item?.eTag ?? item?.['@odata.etag'] ?? item?.fields?.['@odata.etag'];
}

export function unexpected(what: string, response: GraphResponse): GraphRequestError {
  const { code } = graphError(response.body);
  return new GraphRequestError(response.status, code, `Graph answered ${what} with HTTP ${response.status} (${code}).`);
}

/**
 * One SharePoint list seen through Graph: paged, filtered reads on one indexed column; writes that
 * return the raw response so the store decides what each status means. Remembers record id →
 * item id (an item id never changes), and forgets it on a 404.
 */
export class SpList {
  private readonly itemIds = new Map<string, string>();

  constructor(
    readonly graph: GraphSiteClient,
    readonly listId: string,
    readonly displayName: string,
  ) {}

  itemsPath(rest = ''): string {
    return this.graph.sitePath(`lists/${this.listId}/items${rest}`);
  }

  private filteredPath(column: string, value: string, top: number): string {
    const filter = encodeURIComponent(`fields/${column} eq ${odataString(value)}`);
    return this.itemsPath(`?${SELECT}&$filter=${filter}&$top=${top}`);
  }

  /** Every item, or every item whose indexed `column` equals `value`, following @odata.nextLink. */
  async queryItems(filter?: { readonly column: string; readonly value: string }): Promise<SpItem[]> {
    const items: SpItem[] = [];
    let path: string | undefined = filter ? this.filteredPath(filter.column, filter.value, ITEMS_PAGE_SIZE) : this.itemsPath(`?${SELECT}&$top=${ITEMS_PAGE_SIZE}`);
    while (path) {
      const response = await this.graph.send({ method: 'GET', path, idempotent: true });
      if (response.status !== 200) throw unexpected(`a query of ${this.displayName}`, response);
      const page = response.body as { value?: SpItem[]; '@odata.nextLink'?: string };
      for (const item of page.value ?? []) {
        items.push(item);
        if (item.fields.RecordId) this.itemIds.set(item.fields.RecordId, item.id);
      }
      path = page['@odata.nextLink'];
    }
    return items;
  }

  async findByRecordId(recordId: string): Promise<SpItem | undefined> {
    const key = indexValue(recordId);
    const known = this.itemIds.get(key);
    if (known) {
      const response = await this.graph.send({ method: 'GET', path: this.itemsPath(`/${known}?${SELECT}`), idempotent: true });
      if (response.status === 200) return response.body as SpItem;
      if (response.status !== 404) throw unexpected(`a read of ${this.displayName}`, response);
      this.itemIds.delete(key);
    }
    const response = await this.graph.send({ method: 'GET', path: this.filteredPath('RecordId', key, 2), idempotent: true });
    if (response.status !== 200) throw unexpected(`a lookup in ${this.displayName}`, response);
    const item = (response.body as { value?: SpItem[] }).value?.[0];
    if (item) this.itemIds.set(key, item.id);
    return item;
  }

  /** Several records by id, 20 lookups to a batch; missing ones are left out. */
  async findManyByRecordId(recordIds: readonly string[]): Promise<SpItem[]> {
    const found: SpItem[] = [];
    for (let i = 0; i < recordIds.length; i += MAX_BATCH_SIZE) {
      const slice = recordIds.slice(i, i + MAX_BATCH_SIZE);
      const answers = await this.graph.batch(slice.map((id) => ({ method: 'GET', url: this.filteredPath('RecordId', indexValue(id), 2) })));
      for (const answer of answers) {
        if (answer.status !== 200) throw unexpected(`a batched lookup in ${this.displayName}`, answer);
        const item = (answer.body as { value?: SpItem[] }).value?.[0];
        if (item) {
          found.push(item);
          if (item.fields.RecordId) this.itemIds.set(item.fields.RecordId, item.id);
        }
      }
    }
    return found;
  }

  /**
   * Creating is safe to repeat: the unique RecordId column turns a repeat into a refusal, which
   * the store recognises as its own earlier try by the WriteToken.
   */
  async createItem(fields: FieldValues): Promise<GraphResponse> {
    const response = await this.graph.send({ method: 'POST', path: this.itemsPath(), body: { fields }, idempotent: true });
    const item = response.body as SpItem | undefined;
    if ((response.status === 201 || response.status === 200) && item?.fields?.RecordId) this.itemIds.set(item.fields.RecordId, item.id);
    return response;
  }

  /** If-Match makes a repeat fail with 412 instead of applying twice. */
  patchFields(itemId: string, fields: FieldValues, ifMatch: string): Promise<GraphResponse> {
    return this.graph.send({ method: 'PATCH', path: this.itemsPath(`/${itemId}/fields`), body: fields, headers: { 'If-Match': ifMatch }, idempotent: true });
  }

  deleteItem(itemId: string, ifMatch: string): Promise<GraphResponse> {
    return this.graph.send({ method: 'DELETE', path: this.itemsPath(`/${itemId}`), headers: { 'If-Match': ifMatch }, idempotent: true });
  }

  remember(recordId: string, itemId: string): void {
    this.itemIds.set(indexValue(recordId), itemId);
  }

  forget(recordId: string): void {
    this.itemIds.delete(indexValue(recordId));
  }
}

/** The site's lists by display name, following nextLink (a site may hold many lists). */
export async function siteListsByName(graph: GraphSiteClient): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  let path: string | undefined = graph.sitePath('lists?$select=id,displayName');
  while (path) {
    const response = await graph.send({ method: 'GET', path, idempotent: true });
    if (response.status !== 200) throw unexpected('the list of lists', response);
    const page = response.body as { value?: { id: string; displayName: string }[]; '@odata.nextLink'?: string };
    for (const list of page.value ?? []) byName.set(list.displayName, list.id);
    path = page['@odata.nextLink'];
  }
  return byName;
}

/** Finds every list of the layout on the site, or says which are missing. */
export async function resolveLayoutLists(graph: GraphSiteClient): Promise<Map<ListKey, SpList>> {
  const byName = await siteListsByName(graph);
  const missing = LIST_DESIGNS.filter((d) => !byName.has(d.displayName)).map((d) => d.displayName);
  if (missing.length) {
    throw new Error(`The SharePoint site is missing lists (${missing.join(', ')}): run npm run provision:sharepoint.`);
  }
  return new Map(LIST_DESIGNS.map((d) => [d.key, new SpList(graph, byName.get(d.displayName)!, d.displayName)]));
}
