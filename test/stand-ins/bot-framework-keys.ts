/**
 * A local stand-in for the Bot Framework's token-signing key publication, in the shape of
 * https://login.botframework.com/v1/.well-known/openidconfiguration and the `jwks_uri` it names:
 * RSA keys as JWKs with `kid`, `n`, `e` and the Bot Framework's `endorsements` (the channels
 * a key may sign for). Tests sign Bot Connector tokens with `sign()` and point the app's
 * validator at `openIdMetadataUrl`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: Record<string, unknown>;
}

export interface BotFrameworkKeys {
  readonly openIdMetadataUrl: string;
  /** The key the stand-in publishes, endorsed for msteams. */
  readonly teamsKey: SigningKey;
  /** A published key endorsed only for another channel. */
  readonly webchatOnlyKey: SigningKey;
  /** A key nobody publishes. */
  readonly unknownKey: SigningKey;
  /** Signs a token with RS256 and the given key (the published Teams key unless told). */
  sign(claims: JWTPayload, options?: { key?: SigningKey; kid?: string }): Promise<string>;
  /** Makes the key endpoints answer 503, as an outage at login.botframework.com would. */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA' } };
}

export async function startBotFrameworkKeys(): Promise<BotFrameworkKeys> {
  const [teamsKey, webchatOnlyKey, unknownKey] = await Promise.all([signingKey('teams-key-1'), signingKey('webchat-key-1'), signingKey('unpublished-key')]);
  let available = true;
  let base = '';
  // restify (loaded in the same process) replaces ServerResponse.writeHead with one that
  // does not return the response, so no chaining here.
  const reply = (res: import('node:http').ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    if (!available) {
      reply(res, 503);
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/.well-known/openidconfiguration') {
      reply(res, 200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: 'https://invalid.botframework.com',
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/.well-known/keys') {
      reply(res, 200, {
          keys: [
            { ...teamsKey.publicJwk, endorsements: ['msteams', 'skype', 'webchat'] },
            { ...webchatOnlyKey.publicJwk, endorsements: ['webchat'] },
          ],
        });
      return;
    }
    reply(res, 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    teamsKey,
    webchatOnlyKey,
    unknownKey,
    sign(claims, options = {}) {
      const key = options.key ?? teamsKey;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid }).sign(key.privateKey);
    },
    setAvailable(value) {
      available = value;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
