import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `NOTIFY crm_identity` on every change of a user (payload: the user id) or a role (payload `*`),
 * however it is made (API, migration, hand-written SQL). Each API process listens and drops its
 * cached actor checks at once (see IdentityChanges / ActorLoader): the per-request check of the
 * caller's user row needs no query while nothing changed.
 */
export class IdentityChangeNotify1764042000000 implements MigrationInterface {
  name = 'IdentityChangeNotify1764042000000';

  async up(q: QueryRunner): Promise<void> {
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER identity_change_truncate ON platform.app_user`);
    await q.query(`DROP TRIGGER identity_change ON platform.role`);
    await q.query(`DROP TRIGGER identity_change ON platform.app_user`);
    await q.query(`DROP FUNCTION platform.notify_identity_change()`);
  }
}
