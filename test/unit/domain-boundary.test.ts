import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findViolations } from '../../scripts/check-domain-boundary.js';

describe('the domain boundary check', () => {
  it('passes on bot/domain as it is', () => {
    expect(findViolations(join(process.cwd(), 'bot', 'domain'))).toEqual([]);
  });

  it('catches framework, Node built-in and out-of-domain imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boundary-'));
    try {
      writeFileSync(join(dir, 'bad.ts'), ["import { CloudAdapter } from 'botbuilder';", "import { readFileSync } from 'fs';", "import Database from 'better-sqlite3';", "export * from '../store/store.js';", "const r = await import('restify');", "import { ok } from './result.js';"].join('\n'));
      const found = findViolations(dir).join('\n');
      for (const name of ['botbuilder', 'fs', 'better-sqlite3', '../store/store.js', 'restify']) expect(found).toContain(name);
      expect(found).not.toContain('./result.js');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
