import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The method a fresh install starts with, so the first opportunity needs no set-up. */
export const DEFAULT_SALES_METHOD = {
  name: 'Standard',
  description: 'Default selling process created at installation; edit or replace it (POST /api/v1/sales/sales-methods with isDefault).',
  stages: [
    { key: 'qualify', name: 'Qualify', probability: 10, terminal: null },
    { key: 'needs-analysis', name: 'Needs analysis', probability: 25, terminal: null },
    { key: 'proposal', name: 'Proposal', probability: 50, terminal: null },
    { key: 'negotiation', name: 'Negotiation', probability: 75, terminal: null },
    { key: 'won', name: 'Won', probability: 100, terminal: 'won' },
    { key: 'lost', name: 'Lost', probability: 0, terminal: 'lost' },
  ],
} as const;

/**
 * Seeds the default sales method when the install has none (an install that already set one
 * up keeps its own). Idempotent: guarded by the existence of any method.
 */
export class SeedDefaultSalesMethod1764051000002 implements MigrationInterface {
  name = 'SeedDefaultSalesMethod1764051000002';

  async up(q: QueryRunner): Promise<void> {
    const inserted: { id: string }[] = await q.query(
      `INSERT INTO sales.sales_method (id, name, description, strict_order, is_default, version)
       SELECT gen_random_uuid(), $1, $2, false, true, 1
        WHERE NOT EXISTS (SELECT 1 FROM sales.sales_method)
       RETURNING id`,
      [DEFAULT_SALES_METHOD.name, DEFAULT_SALES_METHOD.description],
    );
    if (!inserted[0]) return;
    for (const [i, s] of DEFAULT_SALES_METHOD.stages.entries()) {
      await q.query(
        `INSERT INTO sales.sales_method_stage (sales_method_id, key, name, position, probability, terminal) VALUES ($1, $2, $3, $4, $5, $6)`,
        [inserted[0].id, s.key, s.name, i + 1, s.probability, s.terminal],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sales.sales_method m WHERE m.name = $1 AND NOT EXISTS (SELECT 1 FROM sales.opportunity o WHERE o.sales_method_id = m.id)`, [
      DEFAULT_SALES_METHOD.name,
    ]);
  }
}
