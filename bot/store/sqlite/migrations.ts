import type Database from 'better-sqlite3';

/**
 * Numbered, forward-only migrations. Each runs once, in a transaction, and the
 * schema version is recorded with it, so a half-applied upgrade cannot happen.
 */
function recordTable(name: string, columns: string[], indexes: string[]): string {
  const extra = columns.map((c) => `, ${c}`).join('');
  return [
    `CREATE TABLE ${name} (id TEXT PRIMARY KEY, sort_key TEXT NOT NULL, body TEXT NOT NULL, version INTEGER NOT NULL${extra});`,
    `CREATE INDEX ${name}_sort ON ${name} (sort_key, id);`,
    ...indexes.map((col) => `CREATE INDEX ${name}_${col} ON ${name} (${col}, sort_key, id);`),
  ].join('\n');
}

const MIGRATIONS: readonly string[] = [
  [
    recordTable('organisations', [], []),
    recordTable('members', ['initials TEXT', 'entra_object_id TEXT', 'teams_user_id TEXT', 'email TEXT'], ['initials', 'entra_object_id', 'teams_user_id', 'email']),
    recordTable('groups', [], []),
    recordTable('memberships', ['group_id TEXT', 'member_id TEXT'], ['group_id', 'member_id']),
    recordTable('themes', [], []),
    recordTable('meetings', ['group_id TEXT', 'date TEXT'], ['group_id', 'date']),
    recordTable('actions', ['meeting_id TEXT', 'status TEXT', 'theme_id TEXT'], ['meeting_id', 'status', 'theme_id']),
    `CREATE TABLE actions_keys (record_id TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (key, record_id));`,
    recordTable('report_rounds', ['meeting_id TEXT'], ['meeting_id']),
    recordTable('theme_reports', ['round_id TEXT', 'lead_member_id TEXT'], ['round_id', 'lead_member_id']),
    recordTable('installs', ['member_id TEXT', 'scope TEXT'], ['member_id', 'scope']),
    recordTable('deliveries', ['status TEXT'], ['status']),
  ].join('\n'),
  // Every action write first deletes the action's owner keys by record_id, which the primary key
  // (key, record_id) cannot serve: without this index each write scanned the whole table.
  `CREATE INDEX actions_keys_record ON actions_keys (record_id);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let current = row?.version ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(`The data file is from a newer Safer Exec (schema ${current}); this one knows up to ${MIGRATIONS.length}.`);
  }
  while (current < MIGRATIONS.length) {
    const next = current + 1;
    db.transaction(() => {
      db.exec(MIGRATIONS[current]!);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(next);
    })();
    current = next;
  }
}
