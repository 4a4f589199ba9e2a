import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the `NOTIFY crm_identity` triggers of IdentityChangeNotify1764042000000. They fed a
 * per-request cache of the caller's user row, which was taken out: a notification arrives a
 * moment after its commit, so a change made behind the API (SQL) could still be missed by the
 * very next request, and the identity rules require it at once. The caller's row is read on
 * every request instead (a prepared statement), so nothing listens any more.
 */
export class DropIdentityChangeNotify1764080000001 implements MigrationInterface {
  name = 'DropIdentityChangeNotify1764080000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER identity_change_truncate ON platform.app_user`);
    await q.query(`DROP TRIGGER identity_change ON platform.role`);
    await q.query(`DROP TRIGGER identity_change ON platform.app_user`);
    await q.query(`DROP FUNCTION platform.notify_identity_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION platform.notify_identity_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'app_user' AND TG_LEVEL = 'ROW' THEN
          PERFORM pg_notify('crm_identity', COALESCE(NEW.id, OLD.id)::text);
        ELSE
          PERFORM pg_notify('crm_identity', '*');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER identity_change AFTER INSERT OR UPDATE OR DELETE ON platform.app_user
                     FOR EACH ROW EXECUTE FUNCTION platform.notify_identity_change()`);
    await q.query(`CREATE TRIGGER identity_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON platform.role
                     FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change()`);
    await q.query(`CREATE TRIGGER identity_change_truncate AFTER TRUNCATE ON platform.app_user
                     FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change()`);
  }
}
