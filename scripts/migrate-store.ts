/**
 * `npm run migrate -- --from sqlite --to sharepoint` (or `--from sharepoint --to sqlite`): copies
 * every record set, each record whole (an action with its history, a report with every version),
 * from one store to the other.
 *
 * Resumable: a record already in the target with the same content is skipped, so after an
 * interruption the same command carries on. A record in the target with different content is
 * left alone and reported: a person decides which is right. At the end the counts are compared.
 * Prints counts only, never record contents.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig, type Config } from '../bot/config.js';
import { credentialConfigFromSettings, createTokenProvider, graphScopeFor } from '../bot/store/sharepoint/credentials.js';
import { createSharePointStore } from '../bot/store/sharepoint/sharepoint-store.js';
import { SqliteStore } from '../bot/store/sqlite/sqlite-store.js';
import { isStoreError, MAX_PAGE_SIZE, type RecordSet, type Store } from '../bot/store/store.js';

export const RECORD_SETS = [
  'organisations',
  'members',
  'groups',
  'memberships',
  'themes',
  'meetings',
  'actions',
  'reportRounds',
  'themeReports',
  'installs',
  'deliveries',
] as const satisfies readonly (keyof Omit<Store, 'close'>)[];

export type RecordSetName = (typeof RECORD_SETS)[number];

export interface SetReport {
  readonly source: number;
  copied: number;
  /** Already in the target with the same content (an earlier, interrupted run). */
  skipped: number;
  /** In the target with different content: not overwritten. */
  readonly differing: string[];
  target: number;
}

export type MigrationReport = Record<RecordSetName, SetReport>;

/** JSON with keys sorted, so two stores' copies of one record compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function withoutVersion<T extends { readonly version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

async function countAll(set: RecordSet<{ readonly id: string }, Record<string, never>>): Promise<number> {
  let count = 0;
  let continuation: string | undefined;
  do {
    const page = await set.list({}, { limit: MAX_PAGE_SIZE, ...(continuation ? { continuation } : {}) });
    count += page.items.length;
    continuation = page.continuation;
  } while (continuation);
  return count;
}

async function copySet(source: RecordSet<{ readonly id: string }, Record<string, never>>, target: RecordSet<{ readonly id: string }, Record<string, never>>, concurrency: number): Promise<SetReport> {
  const report: SetReport = { source: 0, copied: 0, skipped: 0, differing: [], target: 0 };
  let continuation: string | undefined;
  do {
    const page = await source.list({}, { limit: MAX_PAGE_SIZE, ...(continuation ? { continuation } : {}) });
    (report as { source: number }).source += page.items.length;
    const queue = page.items.map(withoutVersion);
    const worker = async () => {
      for (let record = queue.shift(); record; record = queue.shift()) {
        try {
          await target.create(record);
          report.copied++;
        } catch (error) {
          if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
          const existing = await target.get(record.id);
          if (existing && canonical(withoutVersion(existing)) === canonical(record)) report.skipped++;
          else report.differing.push(record.id);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    continuation = page.continuation;
  } while (continuation);
  report.target = await countAll(target);
  return report;
}

/** Copies every record set; the report says, per set, what was copied, skipped and left alone. */
export async function migrateStore(source: Store, target: Store, options: { concurrency?: number } = {}): Promise<MigrationReport> {
  const report = {} as MigrationReport;
  for (const name of RECORD_SETS) {
    report[name] = await copySet(
      source[name] as unknown as RecordSet<{ readonly id: string }, Record<string, never>>,
      target[name] as unknown as RecordSet<{ readonly id: string }, Record<string, never>>,
      options.concurrency ?? 4,
    );
  }
  return report;
}

/** Sets whose target count differs from the source, or that hold differing records. */
export function migrationProblems(report: MigrationReport): string[] {
  return RECORD_SETS.flatMap((name) => {
    const set = report[name];
    return [
      ...(set.target !== set.source ? [`${name}: source has ${set.source}, target has ${set.target}`] : []),
      ...(set.differing.length ? [`${name}: ${set.differing.length} record(s) already in the target with different content (ids: ${set.differing.join(', ')})`] : []),
    ];
  });
}

type StoreKind = 'sqlite' | 'sharepoint';

async function openStore(kind: StoreKind, config: Config, sqliteFile: string | undefined): Promise<Store> {
  if (kind === 'sqlite') {
    const dataDir = resolve(config.DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStore({ filename: sqliteFile ?? join(dataDir, 'safer-exec.db') });
  }
  if (!config.SHAREPOINT_SITE_ID) throw new Error('Set SHAREPOINT_SITE_ID to migrate to or from SharePoint.');
  return createSharePointStore({
    graphBaseUrl: config.GRAPH_BASE_URL,
    siteId: config.SHAREPOINT_SITE_ID,
    tokenProvider: createTokenProvider(credentialConfigFromSettings(config), graphScopeFor(config.GRAPH_BASE_URL)),
  });
}

function parseArgs(argv: readonly string[]): { from: StoreKind; to: StoreKind; sqliteFile?: string } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = value('--from');
  const to = value('--to');
  const kinds = ['sqlite', 'sharepoint'];
  if (!from || !to || !kinds.includes(from) || !kinds.includes(to) || from === to) {
    throw new Error('Usage: npm run migrate -- --from sqlite|sharepoint --to sharepoint|sqlite [--sqlite-file path]');
  }
  const sqliteFile = value('--sqlite-file');
  return { from: from as StoreKind, to: to as StoreKind, ...(sqliteFile ? { sqliteFile } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = parseConfig(process.env);
  const source = await openStore(args.from, config, args.sqliteFile);
  const target = await openStore(args.to, config, args.sqliteFile);
  try {
    const report = await migrateStore(source, target);
    for (const name of RECORD_SETS) {
      const set = report[name];
      process.stdout.write(`${name}: ${set.source} in source, ${set.copied} copied, ${set.skipped} already there, ${set.differing.length} differing, ${set.target} in target\n`);
    }
    const problems = migrationProblems(report);
    for (const problem of problems) process.stdout.write(`Problem: ${problem}\n`);
    process.stdout.write(problems.length ? 'Migration finished with problems.\n' : 'Migration complete: counts match.\n');
    if (problems.length) process.exitCode = 1;
  } finally {
    await source.close();
    await target.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
