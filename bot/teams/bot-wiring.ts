import type { CloudAdapter } from 'botbuilder';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../services/clock.js';
import { createChannelDueCards } from '../services/channel-due.js';
import { refreshRoundSummary } from '../services/round-summary.js';
import { createTeamReach, type TeamReach } from '../services/installs.js';
import { createSweep, SWEEP_READS, type SweepResult } from '../services/sweep.js';
import { startSweepScheduler, type SweepScheduler } from '../services/sweep-scheduler.js';
import type { Store } from '../store/store.js';
import type { BotSettings } from './bot-settings.js';
import { cloudAdapterTransport } from './cloud-transport.js';
import { InvokeDeadline } from './invoke-deadline.js';
import { ProactiveSender, type ProactiveSenderOptions } from './proactive-sender.js';
import { SaferExecBot } from './safer-exec-bot.js';
import { botConnectorTeamRoster } from './team-roster.js';

export interface BotWiring {
  readonly bot: SaferExecBot;
  readonly sender: ProactiveSender;
  readonly sweep: (now: Date) => Promise<SweepResult>;
  /** The board's team: its roster, and 1:1 chats opened with its members. */
  readonly teamReach: TeamReach;
  stop(): void;
}

/**
 * Builds the bot's services around the adapter main.ts made: the one ProactiveSender, the
 * sweep, the bot, and (SCHEDULER=on) the timer. Used by the server and by scripts/sweep.ts,
 * so both send the same way.
 */
export function wireBot(options: {
  readonly config: Config;
  readonly settings: BotSettings;
  readonly adapter: CloudAdapter;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scheduler?: boolean;
  readonly sender?: Partial<Omit<ProactiveSenderOptions, 'logger'>>;
}): BotWiring {
  const { store, clock, logger } = options;
  const botAppId = options.config.BOT_ID ?? '';
  const sender = new ProactiveSender(cloudAdapterTransport(options.adapter, botAppId), { logger, ...options.sender });
  const roster = botConnectorTeamRoster({ adapter: options.adapter, botAppId, store, execChannelId: options.settings.EXEC_CHANNEL_ID, logger });
  const teamReach = createTeamReach({ store, roster, logger });
  // One keeper of the board channel's weekly card, shared by the sweep and the bot, so its updates run in order.
  const channelDue = createChannelDueCards({ store, sender, logger });
  const sweepOnce = createSweep({ store, sender, logger, execChannelId: options.settings.EXEC_CHANNEL_ID, reportNotices: options.settings.REPORT_NOTICES, teamReach, channelDue });
  // Each sweep is one store request (Store.runInRequest): on SharePoint, one delta call per list it
  // reads, and the lists it will read (SWEEP_READS) asked for together, in one batch.
  const sweep = (now: Date) =>
    store.runInRequest
      ? store.runInRequest(() => {
          store.willRead?.(SWEEP_READS);
          return sweepOnce(now);
        })
      : sweepOnce(now);
  const bot = new SaferExecBot({
    store,
    clock,
    logger,
    afterReportSaved: (roundId) => refreshRoundSummary({ store, sender, logger }, roundId, clock.now()),
    afterActionChanged: () => channelDue.refresh(clock.now()),
    sender,
    invokeDeadline: new InvokeDeadline(options.settings.INVOKE_DEADLINE_MS),
  });
  const scheduler: SweepScheduler | null =
    (options.scheduler ?? options.config.SCHEDULER === 'on')
      ? startSweepScheduler({ sweep, clock, logger, intervalMs: options.settings.SWEEP_INTERVAL_MINUTES * 60_000 })
      : null;
  return { bot, sender, sweep, teamReach, stop: () => scheduler?.stop() };
}
