import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GIN indexes for `?customFields=` list filters (jsonb containment). */
export class SalesCustomFieldIndexes1763880000001 implements MigrationInterface {
  name = 'SalesCustomFieldIndexes1763880000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['account', 'contact', 'lead', 'opportunity']) {
      await q.query(`CREATE INDEX ${table}_custom_fields_idx ON sales.${table} USING gin (custom_fields jsonb_path_ops)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['account', 'contact', 'lead', 'opportunity']) await q.query(`DROP INDEX sales.${table}_custom_fields_idx`);
  }
}
