import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ActivityHandler,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { BotEndpoint } from '../http/server.js';
import { incomingActivitySchema } from './activity-schema.js';

/**
 * The Bot Framework adapter. With credentials it validates every incoming JWT; with none
 * (local mode, the Agents Playground) botbuilder skips validation, which is why the
 * server then listens on loopback only.
 */
export function createBotAdapter(config: Config, logger: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.BOT_ID ? config.BOT_TYPE : '',
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context, error) => {
    logger.log('error', 'bot.turn_error', { errorName: error?.name ?? 'unknown', activityType: context.activity.type });
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong. Please try again in a moment.').catch(() => undefined);
    }
  };
  return adapter;
}

export function botEndpoint(adapter: CloudAdapter, bot: ActivityHandler): BotEndpoint {
  return {
    async process(req: Request, res: Response) {
      const parsed = incomingActivitySchema.safeParse(req.body);
      if (!parsed.success) {
        res.send(400, {
          error: {
            code: 'REQUEST.INVALID',
            message: 'The activity is not valid.',
            issues: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`),
          },
        });
        return;
      }
      await adapter.process(req, res, (context) => bot.run(context));
    },
  };
}
