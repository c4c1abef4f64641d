/** The test PostgreSQL (trust auth on this machine and in CI); TEST_DATABASE_URL overrides it. */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
