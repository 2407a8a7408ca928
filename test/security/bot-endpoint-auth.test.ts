import { createHmac, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_FRAMEWORK_ISSUER, startBotFrameworkKeys, type BotFrameworkKeys } from '../stand-ins/bot-framework-keys.js';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import { execute, personal, teamsUser } from '../stand-ins/bot-connector-activities.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * The bot endpoint with credentials configured: every token the Bot Connector would not have
 * issued is refused with a plain 401 before the bot or the store sees the activity. The
 * validator is botbuilder's own, pointed at a local key set this test signs with.
 */
const BOT_ID = '00000000-0000-4000-8000-0000000000b0';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const ACTION_ID = 'act-exec-3-08';

let keys: BotFrameworkKeys;
let app: TestApp;

const now = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({ iss: BOT_FRAMEWORK_ISSUER, aud: BOT_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 3600, iat: now() - 60 });

/** A card action by the owner that would change the action if it got through. */
async function cardAction() {
  return execute(personal(SERVICE_URL, teamsUser('TN')), teamsUser('TN'), ACTION_VERBS.addUpdate, { actionId: ACTION_ID, version: await actionVersion(), note: 'Terms of reference drafted' });
}

async function post(activity: unknown, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  return { status: response.status, text };
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

async function actionVersion(): Promise<string> {
  const action = await app.store.actions.get(ACTION_ID);
  if (!action) throw new Error('demo action missing');
  return action.version;
}

beforeAll(async () => {
  keys = await startBotFrameworkKeys();
  app = await startTestApp({
    env: { BOT_ID, BOT_PASSWORD: 'not-a-real-secret', BOT_TENANT_ID: '00000000-0000-4000-8000-000000000000', BOT_TYPE: 'SingleTenant' },
    host: '127.0.0.1',
    botTokenAuthority: { openIdMetadataUrl: keys.openIdMetadataUrl, tokenIssuer: BOT_FRAMEWORK_ISSUER },
  });
});

afterAll(async () => {
  await app?.close();
  await keys?.close();
});

describe('the bot endpoint with credentials', () => {
  it('lets a correctly signed Bot Connector token through to the bot', async () => {
    const before = await actionVersion();
    const res = await post(await cardAction(), `Bearer ${await keys.sign(goodClaims())}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).type).toBe('application/vnd.microsoft.card.adaptive');
    expect(await actionVersion()).not.toBe(before);
  });

  const refusals: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['an empty bearer', async () => 'Bearer '],
    ['a token that is not a JWT', async () => 'Bearer not.a.jwt'],
    ['a Basic credential', async () => `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['a token signed by an unknown key', async () => `Bearer ${await keys.sign(goodClaims(), { key: keys.unknownKey })}`],
    ['an unknown key claiming a published key id', async () => `Bearer ${await keys.sign(goodClaims(), { key: keys.unknownKey, kid: keys.teamsKey.kid })}`],
    ['alg: none', async () => `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: keys.teamsKey.kid })}.${b64url(goodClaims())}.`],
    [
      'HS256 keyed with the published public key (algorithm confusion)',
      async () => {
        const pem = createPublicKey({ key: keys.teamsKey.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
        const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: keys.teamsKey.kid })}.${b64url(goodClaims())}`;
        return `Bearer ${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
      },
    ],
    ['a wrong issuer', async () => `Bearer ${await keys.sign({ ...goodClaims(), iss: 'https://api.botframework.example' })}`],
    ['a wrong audience (another bot)', async () => `Bearer ${await keys.sign({ ...goodClaims(), aud: '00000000-0000-4000-8000-0000000000ff' })}`],
    ['no audience', async () => `Bearer ${await keys.sign({ ...goodClaims(), aud: undefined })}`],
    ['an expired token (beyond the 5-minute skew)', async () => `Bearer ${await keys.sign({ ...goodClaims(), iat: now() - 7200, nbf: now() - 7200, exp: now() - 600 })}`],
    ['a token not yet valid', async () => `Bearer ${await keys.sign({ ...goodClaims(), nbf: now() + 3600 })}`],
    ['a serviceurl claim that differs from the activity', async () => `Bearer ${await keys.sign({ ...goodClaims(), serviceurl: 'https://attacker.example/' })}`],
    ['no serviceurl claim', async () => `Bearer ${await keys.sign({ ...goodClaims(), serviceurl: undefined })}`],
    ['a key endorsed for another channel only', async () => `Bearer ${await keys.sign(goodClaims(), { key: keys.webchatOnlyKey })}`],
    ['a valid signature over a tampered payload', async () => {
      const [head, , signature] = (await keys.sign(goodClaims())).split('.');
      return `Bearer ${head}.${b64url({ ...goodClaims(), aud: 'tampered' })}.${signature}`;
    }],
  ];

  it.each(refusals)('refuses %s with a plain 401, and the bot never runs', async (_case, authorization) => {
    const before = await actionVersion();
    const res = await post(await cardAction(), await authorization());
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'AUTH.UNAUTHORIZED', message: expect.any(String) } });
    expect(await actionVersion()).toBe(before);
  });

  it('checks the caller before it reads the body: a malformed activity without a token is a 401, not a 400', async () => {
    expect((await post({ nonsense: true })).status).toBe(401);
    expect((await post({ nonsense: true }, `Bearer ${await keys.sign(goodClaims())}`)).status).toBe(400);
  });

  it('answers 503 (which the connector retries), not 401 or 500, when the signing keys cannot be fetched', async () => {
    // A fresh key id forces a fetch past the validator's cache (it refreshes at most hourly for unknown ids,
    // so this uses a second app whose validator has never fetched).
    keys.setAvailable(false);
    const second = await startTestApp({
      env: { BOT_ID, BOT_PASSWORD: 'not-a-real-secret', BOT_TENANT_ID: '00000000-0000-4000-8000-000000000000' },
      host: '127.0.0.1',
      botTokenAuthority: { openIdMetadataUrl: `${keys.openIdMetadataUrl}?fresh=1`, tokenIssuer: BOT_FRAMEWORK_ISSUER },
    });
    try {
      const response = await fetch(`${second.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await keys.sign(goodClaims())}` },
        body: JSON.stringify(await cardAction()),
      });
      expect(response.status).toBe(503);
    } finally {
      keys.setAvailable(true);
      await second.close();
    }
  });

  it('writes no token to the log', async () => {
    const token = await keys.sign({ ...goodClaims(), aud: 'someone-else' });
    await post(await cardAction(), `Bearer ${token}`);
    const lines = app.logs.map((l) => l.line).join('\n');
    expect(app.logs.some((l) => l.event === 'bot.auth_refused')).toBe(true);
    expect(lines).not.toContain(token.split('.')[1]);
    expect(lines).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});

describe('start-up', () => {
  it('refuses to start in production without bot credentials, naming what is missing', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/BOT_ID/);
    expect(result.stdout).not.toMatch(/running at/);
  });
});
