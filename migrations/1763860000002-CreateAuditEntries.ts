import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: append-only. Two guards:
 * - privileges: UPDATE, DELETE and TRUNCATE are revoked from PUBLIC. On a real deployment the
 *   app connects as a role that does not own the table (see docs), so it can only INSERT/SELECT.
 * - a trigger that raises on UPDATE, DELETE and TRUNCATE. This is what holds on the embedded
 *   default (PGlite has a single superuser that owns everything, so privileges cannot bind
 *   there) and against a misconfigured owner connection. Only a superuser disabling the trigger
 *   on purpose can change history.
 */
export class CreateAuditEntries1763860000002 implements MigrationInterface {
  name = 'CreateAuditEntries1763860000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform.audit_entries (
        id            uuid PRIMARY KEY,
        at            timestamptz(3) NOT NULL,
        actor_type    text,
        actor_id      uuid,
        actor_user_id uuid,
        ip            text,
        request_id    text,
        record_type   text NOT NULL,
        record_id     text NOT NULL,
        action        text NOT NULL,
        changes       jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_entries_at_idx ON platform.audit_entries (at, id)`);
    await q.query(`CREATE INDEX audit_entries_record_idx ON platform.audit_entries (record_type, record_id, at, id)`);
    await q.query(`CREATE INDEX audit_entries_actor_idx ON platform.audit_entries (actor_id, at, id)`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON platform.audit_entries FROM PUBLIC`);
    await q.query(`
      CREATE FUNCTION platform.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'platform.audit_entries is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OR DELETE ON platform.audit_entries
        FOR EACH ROW EXECUTE FUNCTION platform.audit_entries_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON platform.audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION platform.audit_entries_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.audit_entries`);
    await q.query(`DROP FUNCTION platform.audit_entries_append_only()`);
  }
}
