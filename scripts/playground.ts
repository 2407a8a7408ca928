/**
 * One command for the Microsoft 365 Agents Playground:
 *
 *   npm run playground                 (add -- --browser to let it open a browser)
 *
 * Starts the app server (`tsx bot/main.ts`) with no bot credentials, so it runs in local mode
 * on 127.0.0.1, waits for /healthz, then starts the Playground against /api/messages with the
 * mock Exec from .m365agentsplayground.yml. Both run with the loopback-only preload, so nothing
 * they open is reachable from outside and nothing they try reaches off this machine.
 * Ctrl-C stops both.
 *
 * Options: --port N (Playground, default PLAYGROUND_PORT from env/.env.playground or 56150),
 *          --bot-port N (server, default BOT_PORT or 3978), --browser, --scheduler (leave the
 *          reminder scheduler on; it is off by default here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT, parseEnvFile } from './package-app.js';
import {
  DEFAULT_PLAYGROUND_CONFIG,
  loopbackNodeOptions,
  startPlayground,
  stopChild,
  type RunningPlayground,
} from '../test/support/playground.js';

interface Options {
  readonly playgroundPort: number;
  readonly botPort: number;
  readonly openBrowser: boolean;
  readonly scheduler: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const envFile = join(PROJECT_ROOT, 'env', '.env.playground');
  const env = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    const raw = i >= 0 ? argv[i + 1] : undefined;
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} needs a port number, not "${raw}"`);
    return n;
  };
  return {
    playgroundPort: number('--port', Number(env['PLAYGROUND_PORT'] ?? 56150)),
    botPort: number('--bot-port', Number(env['BOT_PORT'] ?? 3978)),
    openBrowser: argv.includes('--browser'),
    scheduler: argv.includes('--scheduler'),
  };
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`The app server exited (${server.signalCode ?? server.exitCode}) before it was healthy`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function startServer(options: Options): ChildProcess {
  const entry = join(PROJECT_ROOT, 'bot', 'main.ts');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist yet: there is no app server to start`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.botPort),
    NODE_ENV: 'development',
    SCHEDULER: options.scheduler ? 'on' : 'off',
    NODE_OPTIONS: loopbackNodeOptions(),
  };
  // Local mode: the Playground sends no JWT, so the server must run without credentials.
  for (const name of ['BOT_ID', 'BOT_PASSWORD', 'BOT_TENANT_ID', 'BOT_TYPE', 'LOOPBACK_ONLY_LOG']) delete env[name];
  const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  return spawn(tsx, ['bot/main.ts'], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
}

/** Whether something already listens on the port: then our server could not, and a health check would find the other one. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.botPort !== 0 && !(await portIsFree(options.botPort))) {
    console.error(
      `Port ${options.botPort} is already in use (another Safer Exec, or npm start?): the app server cannot start there.\n` +
        `Stop that process, or choose another port: npm run playground -- --bot-port ${options.botPort + 1}`,
    );
    process.exit(3);
  }
  const server = startServer(options);
  let playground: RunningPlayground | undefined;
  let stopping = false;

  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.all([playground?.stop(), stopChild(server)]);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  server.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The app server stopped (${signal ?? code}); stopping the Playground.`);
    void shutdown(1);
  });

  const botBase = `http://127.0.0.1:${options.botPort}`;
  try {
    await waitForHealth(`${botBase}/healthz`, server, 90_000);
    playground = await startPlayground({
      botEndpoint: `${botBase}/api/messages`,
      configPath: DEFAULT_PLAYGROUND_CONFIG,
      port: options.playgroundPort,
      openBrowser: options.openBrowser,
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
    return;
  }
  if (playground.port !== options.playgroundPort && options.playgroundPort !== 0) {
    console.warn(`Port ${options.playgroundPort} was busy: the Playground moved to ${playground.port}.`);
  }
  console.log(`\nSafer Exec app server:  ${botBase}  (local mode, no bot credentials)`);
  console.log(`Agents Playground:      ${playground.url}`);
  console.log('Press Ctrl-C to stop both.\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
