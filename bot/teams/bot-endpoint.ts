/**
 * The bot's endpoint without a web server: a request in, `{status, body}` out, as
 * microsoft/teams.ts' HttpRouteHandler. bot/http adapts restify to it (and may import only these
 * types from bot/teams); the Teams side never sees restify.
 */
export interface BotRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (the server parses and limits it before it gets here). */
  readonly body: unknown;
}

export interface BotResponse {
  readonly status: number;
  /** Absent: an empty answer (a message activity is answered 200 with no body). */
  readonly body?: unknown;
}

export type BotEndpoint = (request: BotRequest) => Promise<BotResponse>;
