import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../bot/config.js';
import { startApp, type RunningApp, type StoreOptions } from '../../bot/main.js';
import type { JWTVerifyGetKey } from 'jose';
import type { BotTokenAuthority } from '../../bot/teams/bot-adapter.js';
import type { Logger, LogLevel, LogFields } from '../../bot/observability/logger.js';
import { fixedClock, type Clock } from '../../bot/services/clock.js';

export interface CapturedLog {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
  readonly line: string;
}

export interface TestApp extends RunningApp {
  readonly logs: CapturedLog[];
  readonly dataDir: string;
  /** Sends a request to the app as a demo member (local mode, loopback). */
  as(initials: string | null, path: string, init?: RequestInit): Promise<{ status: number; body: any }>;
}

/** 2026-11-23 10:00 London: the demo data is built around "today". */
export const DEFAULT_TEST_NOW = new Date('2026-11-23T10:00:00Z');

/**
 * Starts the real server (restify, CloudAdapter, SQLite store, demo seed) on a free
 * loopback port with its own temp data directory: the same code path as `npm start`.
 */
export async function startTestApp(options: { env?: Record<string, string>; clock?: Clock; dataDir?: string; host?: string; store?: StoreOptions; botTokenAuthority?: BotTokenAuthority; tabSsoKeys?: JWTVerifyGetKey } = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'safer-exec-app-'));
  const logs: CapturedLog[] = [];
  const logger: Logger = {
    log(level, event, fields = {}) {
      logs.push({ level, event, fields, line: JSON.stringify({ level, event, ...fields }) });
    },
  };
  const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, SCHEDULER: 'off', NODE_ENV: 'test', ...options.env });
  const app = await startApp(config, { logger, clock: options.clock ?? fixedClock(DEFAULT_TEST_NOW), ...(options.host ? { host: options.host } : {}), ...(options.store ? { store: options.store } : {}), ...(options.botTokenAuthority ? { botTokenAuthority: options.botTokenAuthority } : {}), ...(options.tabSsoKeys ? { tabSsoKeys: options.tabSsoKeys } : {}) });
  return {
    ...app,
    logs,
    dataDir,
    async as(initials, path, init = {}) {
      const headers = new Headers(init.headers);
      if (initials) headers.set('X-Dev-User', initials);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const response = await fetch(`${app.url}${path}`, { ...init, headers });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
