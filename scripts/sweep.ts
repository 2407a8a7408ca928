/**
 * One sweep, now or at a given instant, against the configured store, sending through the
 * bot's own adapter and ProactiveSender (the same code the server's scheduler runs):
 *
 *   npm run sweep                              (now)
 *   npm run sweep -- --at 2026-11-23T10:00:00Z
 *
 * Safe to run while the server runs, and twice: the delivery ledger sends each message once.
 * Prints one JSON line with the counts; exits 1 if a message failed, 2 on bad arguments. A planned
 * message with nothing left to say (the report came in, the action was closed) is `skipped`, not a
 * failure: it does not change the exit code.
 */
import { ConfigError, parseConfig } from '../bot/config.js';
import { openStore } from '../bot/main.js';
import { createJsonLogger } from '../bot/observability/logger.js';
import { fixedClock, systemClock } from '../bot/services/clock.js';
import { createBotAdapter } from '../bot/teams/bot-adapter.js';
import { botSettingsFrom } from '../bot/teams/bot-settings.js';
import { wireBot } from '../bot/teams/bot-wiring.js';

function parseAt(argv: readonly string[]): Date | null {
  const i = argv.indexOf('--at');
  if (i < 0) return null;
  const raw = argv[i + 1];
  const at = raw ? new Date(raw) : new Date(Number.NaN);
  if (!raw || !/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at.getTime())) {
    throw new Error(`--at needs an ISO date-time such as 2026-11-23T10:00:00Z, not "${raw ?? ''}"`);
  }
  return at;
}

async function main(): Promise<number> {
  let at: Date | null;
  let config;
  try {
    at = parseAt(process.argv.slice(2));
    config = parseConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    return 2;
  }
  const logger = createJsonLogger((line) => process.stderr.write(`${line}\n`));
  const clock = at ? fixedClock(at) : systemClock;
  const store = await openStore(config);
  const { adapter } = createBotAdapter(config, logger);
  const bot = wireBot({ config, settings: botSettingsFrom(config), adapter, store, clock, logger, scheduler: false });
  try {
    const result = await bot.sweep(clock.now());
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.failed > 0 ? 1 : 0;
  } finally {
    bot.stop();
    await store.close();
  }
}

process.exitCode = await main();
