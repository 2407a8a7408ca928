/**
 * Deletes (or reduces) what has been kept past its retention, on the configured store, as of
 * now or a given instant: the same purge the server runs once a day (PURGE_HOUR, SCHEDULER=on).
 *
 *   npm run purge                                   (now)
 *   npm run purge -- --at 2032-11-23T02:00:00Z      (as of that instant)
 *   npm run purge -- --dry-run                      (counts what it would remove; writes nothing)
 *
 * For a cron job or an App Service WebJob when the server's scheduler is off. Safe to run while
 * the server runs, twice, or from two machines: every write is version-checked. Prints one JSON
 * line of counts (never names, ids or text); exits 0 when done, 2 on bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../bot/config.js';
import { openStore } from '../bot/main.js';
import { createJsonLogger } from '../bot/observability/logger.js';
import { purgeExpired, retentionPolicyFrom } from '../bot/services/retention.js';

const USAGE = 'Usage: npm run purge [-- --at <ISO date-time, e.g. 2032-11-23T02:00:00Z>] [--dry-run]';

function parseAt(raw: string | undefined): Date {
  if (raw === undefined) return new Date();
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at.getTime())) throw new Error(`--at needs an ISO date-time such as 2032-11-23T02:00:00Z, not "${raw}"`);
  return at;
}

async function main(): Promise<number> {
  let at: Date;
  let dryRun: boolean;
  let config;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true });
    at = parseAt(values.at);
    dryRun = values['dry-run'] ?? false;
    config = parseConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const logger = createJsonLogger((line) => process.stderr.write(`${line}\n`));
  const store = await openStore(config);
  try {
    const result = await purgeExpired({ store, logger }, retentionPolicyFrom(config), at, { dryRun });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
