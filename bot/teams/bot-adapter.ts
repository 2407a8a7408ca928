import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ActivityHandler,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request as BotFrameworkRequest,
  type Response as BotFrameworkResponse,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { BotEndpoint, BotRequest, BotResponse } from './bot-endpoint.js';
import { incomingActivitySchema } from './activity-schema.js';

/**
 * Where the keys that sign the Bot Connector's tokens are published, and who issues them.
 * Production uses botbuilder's defaults (login.botframework.com, api.botframework.com);
 * tests point the same validator at a key set they sign with themselves.
 */
export interface BotTokenAuthority {
  readonly openIdMetadataUrl: string;
  readonly tokenIssuer: string;
}

/** Clients kept per bot app id, service URL and audience: a handful in practice (one per Teams region). */
const CLIENTS_KEPT_MAX = 64;

function keep<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CLIENTS_KEPT_MAX) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** The bot's own app id as botbuilder reads it from a turn's claims (audience, else appid; none when unauthenticated). */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** Hands out one ConnectorClient per service URL and audience, made by botbuilder's own factory the first time. */
class ReusedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly made: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: Map<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? null]);
    const client = keep(this.clients, key, () => this.made.create(serviceUrl, audience));
    // A failed creation (credentials not reachable) is not kept: the next turn tries again.
    client.catch(() => this.clients.get(key) === client && this.clients.delete(key));
    return client;
  }
}

/**
 * botbuilder builds a new ConnectorClient and user-token client, each with its own HTTP pipeline,
 * for every incoming activity and every proactive send; a card press never uses either, and
 * building them was about a tenth of a press's CPU (test/bench/card-action-latency.ts). The clients
 * hold no per-turn state (credentials fetch and cache their own tokens), so one per app id, service
 * URL and audience is kept and reused. Everything else, authentication included, is botbuilder's.
 */
class ClientReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: new ReusedConnectorFactory(result.connectorFactory, appIdOf(result.claimsIdentity), this.connectorClients) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusedConnectorFactory(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity), this.connectorClients);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    const client = keep(this.userTokenClients, key, () => super.createUserTokenClient(claimsIdentity));
    client.catch(() => this.userTokenClients.get(key) === client && this.userTokenClients.delete(key));
    return client;
  }
}

export interface BotAdapter {
  readonly adapter: CloudAdapter;
  readonly authentication: ConfigurationBotFrameworkAuthentication;
  /** False only in local mode (no BOT_ID), where the server listens on loopback only. */
  readonly authenticates: boolean;
}

/**
 * The Bot Framework adapter. With credentials it validates every incoming JWT; with none
 * (local mode, the Agents Playground) botbuilder skips validation, which is why the
 * server then listens on loopback only.
 */
export function createBotAdapter(config: Config, logger: Logger, authority?: BotTokenAuthority): BotAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.BOT_ID ? config.BOT_TYPE : '',
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
    ...(authority
      ? {
          ToBotFromChannelOpenIdMetadataUrl: authority.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: authority.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: authority.tokenIssuer,
        }
      : {}),
  };
  const authentication = new ClientReusingAuthentication(options);
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context, error) => {
    logger.log('error', 'bot.turn_error', { errorName: error?.name ?? 'unknown', activityType: context.activity.type });
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong. Please try again in a moment.').catch(() => undefined);
    }
  };
  return { adapter, authentication, authenticates: !config.localMode };
}

type AuthenticationOutcome = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

/**
 * Checks the caller before anything reads the body. botbuilder would do it too, but it
 * answers a bad signature or a wrong issuer with a 500 carrying jsonwebtoken's message,
 * and its 401 bodies echo claims from the token; here every refusal is a plain 401, and
 * only "the signing keys could not be fetched" is a 503 (the connector retries those).
 */
async function authenticate(bot: BotAdapter, req: BotRequest): Promise<AuthenticationOutcome> {
  if (!bot.authenticates) return { ok: true };
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^Bearer \S+$/.test(header.trim())) return { ok: false, status: 401, reason: 'missing' };
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  // The channel and service URL decide which checks apply (endorsements, the serviceurl claim).
  const activity = {
    channelId: typeof body.channelId === 'string' ? body.channelId : '',
    serviceUrl: typeof body.serviceUrl === 'string' ? body.serviceUrl : '',
  } as Activity;
  try {
    await bot.authentication.authenticateRequest(activity, header.trim());
    return { ok: true };
  } catch (error) {
    const e = error as { name?: unknown; statusCode?: unknown };
    if (e?.statusCode === 500 || e?.name === 'FetchError') return { ok: false, status: 503, reason: 'keys_unavailable' };
    return { ok: false, status: 401, reason: typeof e?.name === 'string' && e.name !== 'Error' ? e.name : 'invalid' };
  }
}

/**
 * What CloudAdapter.process writes to its response (status, then the body if any, then end),
 * kept as the endpoint's answer instead of written to a socket.
 */
function answerRecorder(): { readonly response: BotFrameworkResponse; answer(): BotResponse } {
  let status = 200;
  let body: unknown;
  const response: BotFrameworkResponse = {
    socket: null,
    status(code: number) {
      status = code;
    },
    send(value: unknown) {
      body = value;
    },
    header() {},
    end() {},
  };
  return { response, answer: () => (body === undefined ? { status } : { status, body }) };
}

/** The bot's endpoint: authentication, the activity's schema, then the handler through CloudAdapter. */
export function botEndpoint(bot: BotAdapter, handler: ActivityHandler, logger: Logger): BotEndpoint {
  return async (req) => {
    const auth = await authenticate(bot, req);
    if (!auth.ok) {
      logger.log('warn', 'bot.auth_refused', { status: auth.status, refusal: auth.reason });
      return {
        status: auth.status,
        body: {
          error:
            auth.status === 401
              ? { code: 'AUTH.UNAUTHORIZED', message: 'The request does not carry a valid Bot Framework token.' }
              : { code: 'AUTH.UNAVAILABLE', message: 'The Bot Framework signing keys could not be fetched; try again.' },
        },
      };
    }
    const parsed = incomingActivitySchema.safeParse(req.body);
    if (!parsed.success) {
      return {
        status: 400,
        body: {
          error: {
            code: 'REQUEST.INVALID',
            message: 'The activity is not valid.',
            issues: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`),
          },
        },
      };
    }
    const recorder = answerRecorder();
    const request: BotFrameworkRequest = { method: req.method, headers: req.headers as BotFrameworkRequest['headers'], body: req.body as Record<string, unknown> };
    await bot.adapter.process(request, recorder.response, (context) => handler.run(context));
    return recorder.answer();
  };
}
