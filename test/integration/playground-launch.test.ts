/**
 * The Agents Playground starts offline behind the loopback-only preload, with the project's
 * mock Exec, and talks only to this machine. A trivial local HTTP endpoint stands in for the
 * bot: this test is about the launcher, not the bot.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PLAYGROUND_CONFIG,
  isLoopbackAddress,
  readNetworkLog,
  startPlayground,
  type RunningPlayground,
} from '../support/playground.js';

let bot: Server;
let playground: RunningPlayground;

beforeAll(async () => {
  bot = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const { port } = bot.address() as AddressInfo;
  playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${port}/api/messages`,
    configPath: DEFAULT_PLAYGROUND_CONFIG,
  });
}, 60_000);

afterAll(async () => {
  await playground?.stop();
  await new Promise<void>((resolve) => bot?.close(() => resolve()));
});

describe('Agents Playground launcher', () => {
  it('answers /_debug/ping with pong on 127.0.0.1 at the port it reported', async () => {
    expect(playground.url).toBe(`http://127.0.0.1:${playground.port}`);
    const response = await fetch(`${playground.url}/_debug/ping`);
    expect(await response.text()).toBe('pong');
  });

  it('loaded the mock Safer Plymouth Exec from .m365agentsplayground.yml', async () => {
    const response = await fetch(`${playground.url}/_internal/v1/config`);
    expect(response.status).toBe(200);
    const config = JSON.stringify(await response.json());
    expect(config).toContain('Matt Garrett');
    expect(config).toContain('Safer Plymouth Exec');
    expect(config).toContain('00000000-0000-4000-8000-000000000002');
  });

  it('listened only on loopback and reached nothing off this machine', () => {
    const events = readNetworkLog(playground.networkLogPath);
    const listens = events.filter((e) => e.event === 'listen');
    expect(listens.length).toBeGreaterThan(0);
    for (const e of listens) expect(isLoopbackAddress(e.address), `listen on ${e.address}`).toBe(true);
    for (const e of events.filter((e) => e.event === 'connect-allowed')) {
      expect(isLoopbackAddress(e.host), `allowed ${e.host}`).toBe(true);
    }
    for (const e of events.filter((e) => e.event === 'connected')) {
      expect(isLoopbackAddress(e.remoteAddress), `connected to ${e.remoteAddress}`).toBe(true);
    }
  });
});

describe('loopback-only preload', () => {
  it('refuses a connection to a non-loopback address before anything is sent', async () => {
    const { spawnSync } = await import('node:child_process');
    const { LOOPBACK_PRELOAD } = await import('../support/playground.js');
    // 192.0.2.1 is TEST-NET-1 (documentation only); the preload must stop it before a packet.
    const script = `
      const net = require('node:net');
      const s = net.connect(443, '192.0.2.1');
      s.on('connect', () => { console.log('CONNECTED'); process.exit(0); });
      s.on('error', (e) => { console.log(e.code); process.exit(0); });
    `;
    const run = spawnSync(process.execPath, ['--require', LOOPBACK_PRELOAD, '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.stdout.trim()).toBe('ECONNREFUSED');
  });

  it('pins a server asked to listen on all interfaces to 127.0.0.1', async () => {
    const { spawnSync } = await import('node:child_process');
    const { LOOPBACK_PRELOAD } = await import('../support/playground.js');
    const script = `
      const s = require('node:http').createServer();
      s.listen(0, '0.0.0.0', () => { console.log(s.address().address); s.close(); });
    `;
    const run = spawnSync(process.execPath, ['--require', LOOPBACK_PRELOAD, '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.stdout.trim()).toBe('127.0.0.1');
  });
});
