import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deactivating a user now revokes their API keys in the same transaction, so a key stays dead
 * when its creator is reactivated (issue 14). Keys of users deactivated before that rule were
 * only refused while the creator stayed inactive: revoke them now, so a reactivation does not
 * bring them back either.
 */
export class RevokeKeysOfDeactivatedUsers1764100000021 implements MigrationInterface {
  name = 'RevokeKeysOfDeactivatedUsers1764100000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE platform.api_key k SET revoked_at = now(), version = k.version + 1, updated_at = now()
        FROM platform.app_user u
       WHERE u.id = k.created_by AND NOT u.active AND k.revoked_at IS NULL`);
  }

  async down(): Promise<void> {
    // Nothing to undo: which keys were revoked here is not recorded, and a revoked key stays revoked.
  }
}
