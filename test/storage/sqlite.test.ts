import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/storage/index.ts';
import { storeSuite } from './store-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixtape-store-'));
const databaseUrl = `file:${join(dir, 'test.db')}`;

storeSuite('SQLite', {
  open: () => openStore({ databaseUrl }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
