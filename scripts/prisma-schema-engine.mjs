#!/usr/bin/env node
// Stand-in for Prisma's native schema-engine, named in PRISMA_SCHEMA_ENGINE_BINARY by
// scripts/prisma-generate.mjs so that `prisma generate` does not download the real one
// (generate only checks that the file exists). Migrations do not go through the Prisma CLI:
// openStore() applies the committed prisma/<provider>/migrations at startup
// (src/storage/migrate.ts). On a connected machine, unset this variable to use the real engine.
process.stderr.write(
  'This is an offline stand-in for the Prisma schema engine: it only lets `prisma generate` run.\n' +
    'For `prisma migrate`, run the CLI without PRISMA_SCHEMA_ENGINE_BINARY on a connected machine;\n' +
    'the bot applies the committed migrations itself when it starts.\n',
);
process.exit(1);
