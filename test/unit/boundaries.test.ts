import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries } from '../../scripts/check-domain-boundary.js';

/** A checkout-shaped fixture: files by path, written under a temporary root. */
function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A small house that keeps every rule: the check must pass it, or it could never pass anything. */
const GOOD: Record<string, string> = {
  'bot/domain/actions.ts': "import { ok } from './result.js';\nexport const LABELS = { open: 'Open' };\nexport const rule = ok;\n",
  'bot/domain/result.ts': 'export const ok = true;\n',
  'bot/store/store.ts': "import type { LABELS } from '../domain/actions.js';\nexport interface Store { labels: typeof LABELS }\n",
  'bot/services/action-log.ts': "import { rule } from '../domain/actions.js';\nimport type { Store } from '../store/store.js';\nexport interface ActionView { allowed: boolean }\nexport const view = (s: Store) => ({ allowed: rule, s });\n",
  'bot/cards/action-cards.ts': "import type { ActionView } from '../services/action-log.js';\nexport const card = (v: ActionView) => ({ type: 'AdaptiveCard', v });\n",
  'bot/teams/bot-endpoint.ts': 'export type BotEndpoint = (request: unknown) => Promise<{ status: number }>;\n',
  'bot/teams/bot.ts': "import { card } from '../cards/action-cards.js';\nimport { view } from '../services/action-log.js';\nimport type { BotEndpoint } from './bot-endpoint.js';\nexport const endpoint: BotEndpoint = async () => ({ status: 200 });\nexport const both = [card, view];\n",
  'bot/http/server.ts': "import restify from 'restify';\nimport type { BotEndpoint } from '../teams/bot-endpoint.js';\nimport { view } from '../services/action-log.js';\nexport const serve = (bot: BotEndpoint) => [restify, bot, view];\n",
  'tab/src/api.ts': "import { LABELS } from '../../bot/domain/actions.js';\nimport type { ActionView } from '../../bot/services/action-log.js';\nexport type Row = ActionView;\nexport const labels = LABELS;\n",
  'tab/src/App.tsx': "import { labels, type Row } from './api';\nexport const App = (row: Row) => [labels, row];\n",
};

describe('the boundary check: folder rules and import cycles', () => {
  it('passes a house that keeps every rule', () => {
    expect(checkBoundaries(plant(GOOD))).toEqual({ violations: [], cycles: [] });
  });

  it('fails on a planted bad import in each folder, naming the file and what it imported', () => {
    const root = plant({
      ...GOOD,
      'bot/domain/bad.ts': "import { CloudAdapter } from 'botbuilder';\nimport { readFileSync } from 'node:fs';\nimport type { Store } from '../store/store.js';\nexport const x = [CloudAdapter, readFileSync];\nexport type S = Store;\n",
      'bot/services/sweep.ts': "import { card } from '../cards/action-cards.js';\nexport const sweep = card;\n",
      'bot/cards/digest-cards.ts': "import { view } from '../services/action-log.js';\nexport const digest = view;\n",
      'bot/teams/adapter.ts': "import type { Request } from 'restify';\nimport { serve } from '../http/server.js';\nexport type R = Request;\nexport const s = serve;\n",
      'bot/http/routes.ts': "import { both } from '../teams/bot.js';\nexport const r = both;\n",
      'tab/src/Detail.tsx': "import { view } from '../../bot/services/action-log.js';\nexport const d = view;\n",
    });
    const { violations } = checkBoundaries(root);
    const text = violations.join('\n');
    expect(text).toContain('bot/domain/bad.ts imports a package: botbuilder');
    expect(text).toContain('bot/domain/bad.ts imports a Node built-in: node:fs');
    expect(text).toContain('bot/domain/bad.ts imports bot/store/store.ts');
    expect(text).toContain('bot/services/sweep.ts imports bot/cards/action-cards.ts');
    expect(text).toContain('bot/cards/digest-cards.ts imports a value from bot/services/action-log.ts: bot/cards may import only types from there');
    expect(text).toContain('bot/teams/adapter.ts imports a package: restify');
    expect(text).toContain('bot/teams/adapter.ts imports bot/http/server.ts');
    expect(text).toContain('bot/http/routes.ts imports bot/teams/bot.ts');
    expect(text).toContain('tab/src/Detail.tsx imports a value from bot/services/action-log.ts');
    expect(violations).toHaveLength(9);
  });

  it('fails on a planted cycle and reports its path, type-only imports included', () => {
    const root = plant({
      ...GOOD,
      'bot/services/channel-due.ts': "import type { MessageSender } from './messaging.js';\nexport interface ChannelDueView { weekKey: string }\nexport const keep = (s: MessageSender) => s;\n",
      'bot/services/messaging.ts': "import type { ChannelDueView } from './channel-due.js';\nexport interface MessageSender { send(view: ChannelDueView): void }\n",
      'bot/services/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'bot/services/b.ts': "import { c } from './c.js';\nexport const b = () => c;\n",
      'bot/services/c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
    });
    const { violations, cycles } = checkBoundaries(root);
    expect(violations).toEqual([]);
    expect(cycles).toEqual(
      expect.arrayContaining([
        ['bot/services/a.ts', 'bot/services/b.ts', 'bot/services/c.ts', 'bot/services/a.ts'],
        ['bot/services/channel-due.ts', 'bot/services/messaging.ts', 'bot/services/channel-due.ts'],
      ]),
    );
    expect(cycles).toHaveLength(2);
  });

  it('keeps the folder rules on this repository as it is', () => {
    expect(checkBoundaries(process.cwd()).violations).toEqual([]);
  });
});
