import type { Config } from '../config.js';

/** The settings the bot's wiring needs, taken from the one validated configuration. */
export type BotSettings = Pick<Config, 'EXEC_CHANNEL_ID' | 'SWEEP_INTERVAL_MINUTES' | 'REPORT_NOTICES' | 'INVOKE_DEADLINE_MS'>;

export function botSettingsFrom(config: Config): BotSettings {
  return { EXEC_CHANNEL_ID: config.EXEC_CHANNEL_ID, SWEEP_INTERVAL_MINUTES: config.SWEEP_INTERVAL_MINUTES, REPORT_NOTICES: config.REPORT_NOTICES, INVOKE_DEADLINE_MS: config.INVOKE_DEADLINE_MS };
}
