import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let busy: Server;
let port: number;
const dataDir = mkdtempSync(join(tmpdir(), 'safer-exec-busy-'));

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function exitOf(args: string[], env: Record<string, string>) {
  try {
    await run(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, NODE_OPTIONS: '--no-deprecation', ...env }, timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('a port that is already taken', { timeout: 90_000 }, () => {
  it('npm start names the port and how to choose another, without a stack trace', async () => {
    const result = await exitOf(['bot/main.ts'], { PORT: String(port), DATA_DIR: dataDir, SCHEDULER: 'off', SEED_DEMO: 'false' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Port ${port} is already in use`);
    expect(result.stderr).toContain(`PORT=${port + 1} npm start`);
    expect(result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('npm run playground says so before printing any banner', async () => {
    const result = await exitOf(['scripts/playground.ts', '--bot-port', String(port)], {});
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Port ${port} is already in use`);
    expect(result.stderr).toContain(`--bot-port ${port + 1}`);
    expect(result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });
});
