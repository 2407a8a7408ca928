import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';
import type { Request, Response } from 'restify';

/** About the size of the app's refreshed action card, so the two answers weigh the same on the wire. */
const FIXED_CARD = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Action 3.1', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: 'Bring the partnership data and a short paper on next steps to the Exec.', wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Status', value: 'In progress' },
        { title: 'Due', value: '28 Nov 2026' },
        { title: 'Owners', value: 'QAB' },
      ],
    },
    { type: 'TextBlock', text: 'Update saved.', color: 'Good', wrap: true },
  ],
  actions: [{ type: 'Action.Execute', title: 'Mark done', verb: 'action.markDone', data: { actionId: 'act-1', version: '1' } }],
};

class EchoBot extends ActivityHandler {
  protected override async onAdaptiveCardInvoke(_context: TurnContext, _invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: FIXED_CARD };
  }
}

/**
 * The floor to compare the app against: a bare botbuilder bot (CloudAdapter + ActivityHandler) on
 * restify with the same body parser, in local mode with no credentials, answering an
 * `adaptiveCard/action` invoke with a fixed card. No store, no rules: just the framework's cost.
 */
export async function startEchoBot(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' }));
  const bot = new EchoBot();
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 256 * 1024, rejectUnknown: true }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
