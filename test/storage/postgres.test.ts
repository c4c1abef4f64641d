import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/storage/index.ts';
import { storeSuite } from './store-suite.ts';
import { PG_URL } from './pg-url.ts';

// A schema of its own per run, so parallel runs never collide.
const schema = `mixtape_test_${randomBytes(5).toString('hex')}`;

storeSuite('PostgreSQL', {
  open: () => openStore({ databaseUrl: `${PG_URL}?schema=${schema}` }),
  cleanup: async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  },
});
