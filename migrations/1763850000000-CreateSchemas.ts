import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One Postgres schema per bounded context, plus `platform` for the shared kernel. */
export class CreateSchemas1763850000000 implements MigrationInterface {
  name = 'CreateSchemas1763850000000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of ['platform', 'sales', 'marketing', 'service', 'call_center', 'analytics', 'finance', 'workflow']) {
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE platform.idempotency_keys (
        caller        text        NOT NULL,
        key           text        NOT NULL,
        request_hash  text        NOT NULL,
        state         text        NOT NULL DEFAULT 'in-progress',
        status_code   integer,
        response_body text,
        headers       jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        PRIMARY KEY (caller, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON platform.idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.idempotency_keys`);
  }
}
