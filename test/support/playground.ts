/**
 * Starts the Microsoft 365 Agents Playground (pinned devDependency) for a bot endpoint on this
 * machine, kept on loopback: every server it opens listens on 127.0.0.1 and every outgoing
 * connection to another host is refused (test/support/loopback-only.cjs). Used by
 * `npm run playground` and by end-to-end tests.
 *
 *   const playground = await startPlayground({ botEndpoint, configPath });
 *   // playground.url → http://127.0.0.1:<port>   (GET /_debug/ping answers "pong")
 *   await playground.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of the CommonJS preload that keeps a process on loopback. */
export const LOOPBACK_PRELOAD = join(here, 'loopback-only.cjs');

/** The project's mock tenant, users, chats and team for the Playground. */
export const DEFAULT_PLAYGROUND_CONFIG = resolve(here, '..', '..', '.m365agentsplayground.yml');

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. Must be loopback. */
  readonly botEndpoint: string;
  /** Path of the Playground's YAML (tenant, users, chats, team). */
  readonly configPath: string;
  /** Port to ask for; 0 (default) lets the system pick. A busy port makes the Playground move. */
  readonly port?: number;
  /** Let the Playground open a browser (default false: TEAMSAPPTESTER_BROWSER=none). */
  readonly openBrowser?: boolean;
  /** JSON-lines file for the preload's listen/connect/refused events; default a temp file. */
  readonly networkLogPath?: string;
  /** How long to wait for "Listening on N"; default 30 s. */
  readonly startTimeoutMs?: number;
  /** Echo the Playground's output to this process's stderr (the CLI script does). */
  readonly echoOutput?: boolean;
}

export interface RunningPlayground {
  /** http://127.0.0.1:<port>, the web UI and the Bot Connector stand-in. */
  readonly url: string;
  readonly port: number;
  /** Where the preload logged every listen, allowed connection and refusal. */
  readonly networkLogPath: string;
  /** Everything the Playground printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface NetworkEvent {
  readonly pid: number;
  readonly event: 'listen' | 'connect-allowed' | 'connected' | 'refused';
  readonly host?: string;
  readonly address?: string;
  readonly remoteAddress?: string;
  readonly port?: number | null;
}

export function readNetworkLog(path: string): NetworkEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as NetworkEvent);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost' || a === '::1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** NODE_OPTIONS that loads the loopback preload, keeping any options already set. */
export function loopbackNodeOptions(existing = process.env['NODE_OPTIONS'] ?? ''): string {
  const preload = `--require "${LOOPBACK_PRELOAD}"`;
  return existing.includes(LOOPBACK_PRELOAD) ? existing : `${existing} ${preload}`.trim();
}

function playgroundCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

/** Ends a child process: SIGTERM, then SIGKILL if it has not exited within graceMs. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

async function ping(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_debug/ping`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && (await response.text()).trim() === 'pong';
  } catch {
    return false;
  }
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const endpoint = new URL(options.botEndpoint);
  if (!isLoopbackAddress(endpoint.hostname)) {
    throw new Error(`The Playground must talk to a bot on this machine, not ${endpoint.hostname}`);
  }
  if (!existsSync(options.configPath)) throw new Error(`No Playground config at ${options.configPath}`);

  const workDir = mkdtempSync(join(tmpdir(), 'safer-exec-playground-'));
  const networkLogPath = options.networkLogPath ?? join(workDir, 'network.jsonl');
  const requestedPort = options.port ?? 0;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: resolve(options.configPath),
    M365_AGENTS_PLAYGROUND_LOGFILE: join(workDir, 'playground.log'),
    NODE_OPTIONS: loopbackNodeOptions(),
    LOOPBACK_ONLY_LOG: networkLogPath,
  };
  if (options.openBrowser) delete env['TEAMSAPPTESTER_BROWSER'];
  else env['TEAMSAPPTESTER_BROWSER'] = 'none';

  const args = [playgroundCli(), '-e', endpoint.href, '-c', 'msteams', '-p', String(requestedPort), '--disable-telemetry'];
  const child = spawn(process.execPath, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (options.echoOutput) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let port: number;
  try {
    port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`The Playground did not start within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
      const onData = (): void => {
        const match = /Listening on (\d+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolvePort(Number(match[1]));
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The Playground exited (${signal ?? code}) before listening. Output:\n${output}`));
      });
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await ping(url))) {
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`The Playground said it listens on ${port} but ${url}/_debug/ping does not answer. Output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    networkLogPath,
    output: () => output,
    stop: () => stopChild(child),
  };
}
