import { TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { Logger } from '../observability/logger.js';

export const HELP_TEXT = [
  'I help the Safer Plymouth Exec between meetings.',
  '- **my actions**: the actions you own, with buttons to update them',
  '- **report**: your theme-lead report for the next meeting',
  '- **help**: this message',
].join('\n');

/** Routing only: parse the turn, call a service, render. No rules live here. */
export class SaferExecBot extends TeamsActivityHandler {
  constructor(private readonly logger: Logger) {
    super();
    this.onMessage(async (context, next) => {
      await this.replyToCommand(context);
      await next();
    });
  }

  private async replyToCommand(context: TurnContext): Promise<void> {
    const command = TurnContextText.commandOf(context);
    this.logger.log('info', 'bot.message', { command, conversationType: context.activity.conversation?.conversationType ?? 'unknown' });
    await context.sendActivity({ type: 'message', textFormat: 'markdown', text: HELP_TEXT });
  }
}

export const TurnContextText = {
  /** The command word the person typed, without the bot's @mention; only known commands are named in logs. */
  commandOf(context: TurnContext): 'help' | 'my actions' | 'report' | 'other' {
    const text = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim().toLowerCase();
    if (text === 'help' || text === 'my actions' || text === 'report') return text;
    return 'other';
  },
};
