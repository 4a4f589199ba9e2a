import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #14: the possible-duplicate answer of account and contact creation counted the matching
 * records the caller cannot see (`hiddenCandidates`), which told an outsider that an invisible
 * record exists. The count is now a Sales setting, off by default (an existing value is left alone).
 */
export class SalesDuplicateCheckSetting1764100000301 implements MigrationInterface {
  name = 'SalesDuplicateCheckSetting1764100000301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO sales.setting (key, value, description) VALUES
        ('duplicate-check-reveal-hidden-candidates', 'false', 'Whether a possible-duplicate answer counts the matching records the caller cannot see (hiddenCandidates)')
      ON CONFLICT (key) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sales.setting WHERE key = 'duplicate-check-reveal-hidden-candidates'`);
  }
}
