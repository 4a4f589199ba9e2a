import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales settings become an API resource (`GET/PATCH /api/v1/sales/settings`): one revision row
 * carries the version the ETag/If-Match checks, and two new parameters join the four seeded
 * by CreateSales (existing values are left alone).
 */
export class SalesSettingsApi1764051000000 implements MigrationInterface {
  name = 'SalesSettingsApi1764051000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sales.settings_revision (
        id         boolean        PRIMARY KEY DEFAULT true CHECK (id),
        version    integer        NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO sales.settings_revision (id, version) VALUES (true, 1)`);
    await q.query(`
      INSERT INTO sales.setting (key, value, description) VALUES
        ('lead-import-max-rows', '1000', 'Data rows one lead CSV import may carry'),
        ('customer-360-recent-items', '10', 'Recent activities, calls and campaign touches the customer 360 shows')
      ON CONFLICT (key) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sales.setting WHERE key IN ('lead-import-max-rows', 'customer-360-recent-items')`);
    await q.query(`DROP TABLE sales.settings_revision`);
  }
}
