#!/usr/bin/env node
// Generates both Prisma clients (SQLite and PostgreSQL) into src/generated/, with no download.
// Runs on `npm install` / `npm ci` (postinstall) and by hand: `npm run db:generate`.
//
// WHY: the Prisma 7 CLI fetches a native schema-engine before every command, even `generate`,
// which never runs it. Naming a local executable in PRISMA_SCHEMA_ENGINE_BINARY skips that
// download, so installs work offline as well as on a connected machine. Plain .mjs (not .ts)
// so it runs under whatever Node npm uses for install scripts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const prismaCli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const standIn = fileURLToPath(new URL('./prisma-schema-engine.mjs', import.meta.url));

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || standIn,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

for (const provider of ['sqlite', 'postgres']) {
  const schema = join('prisma', provider, 'schema.prisma');
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${schema} (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}
