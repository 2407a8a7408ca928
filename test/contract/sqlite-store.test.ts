import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';
import { aMember } from '../support/records.js';

let dir: string | undefined;
storeContract('SqliteStore', {
  async open() {
    dir = mkdtempSync(join(tmpdir(), 'safer-exec-store-'));
    return new SqliteStore({ filename: join(dir, 'store.db') });
  },
  async dispose() {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});

describe('SqliteStore file', () => {
  it('creates its schema on first open and keeps data across reopen', async () => {
    const d = mkdtempSync(join(tmpdir(), 'safer-exec-store-'));
    try {
      const first = new SqliteStore({ filename: join(d, 'store.db') });
      await first.members.create(aMember());
      await first.close();
      const second = new SqliteStore({ filename: join(d, 'store.db') });
      expect((await second.members.get('mem-tn'))?.initials).toBe('TN');
      await second.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
