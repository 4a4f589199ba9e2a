import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Approvals above this amount (minor units) also need the finance role. */
export const FINANCE_APPROVAL_THRESHOLD_MINOR = 500_000;

const DEFINITIONS = [
  {
    key: 'finance-expense-default',
    subjectType: 'finance.expense-claim',
    name: 'Expense claim: manager, then finance above 5,000.00',
    steps: [
      { name: 'Manager', condition: null, approver: { type: 'manager' }, mode: 'any', timeout: null },
      {
        name: 'Finance',
        condition: { field: 'amountMinor', op: 'gt', value: FINANCE_APPROVAL_THRESHOLD_MINOR },
        approver: { type: 'role', roleKey: 'finance' },
        mode: 'any',
        timeout: null,
      },
    ],
  },
  {
    key: 'finance-advance-default',
    subjectType: 'finance.advance',
    name: 'Advance: manager, then finance',
    steps: [
      { name: 'Manager', condition: null, approver: { type: 'manager' }, mode: 'any', timeout: null },
      { name: 'Finance', condition: null, approver: { type: 'role', roleKey: 'finance' }, mode: 'any', timeout: null },
    ],
  },
];

/**
 * Default approval process definitions for Finance subjects, so expense claims and advances
 * are approved out of the box (Workflow's tables: process_definition + version 1 of its
 * content). Skipped when the workflow schema has no definitions table (Workflow not installed);
 * existing keys are left alone.
 */
export class SeedFinanceApprovalDefinitions1763909000000 implements MigrationInterface {
  name = 'SeedFinanceApprovalDefinitions1763909000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ present }] = await q.query(`SELECT to_regclass('workflow.process_definition') IS NOT NULL AS present`);
    if (!present) return;
    for (const d of DEFINITIONS) {
      const inserted: { id: string }[] = await q.query(
        `INSERT INTO workflow.process_definition (id, key, subject_type, name, active, version)
         VALUES (gen_random_uuid(), $1, $2, $3, true, 1)
         ON CONFLICT (key) DO NOTHING RETURNING id`,
        [d.key, d.subjectType, d.name],
      );
      if (!inserted[0]) continue;
      await q.query(
        `INSERT INTO workflow.process_definition_version (id, definition_id, number, name, entry_criteria, steps)
         VALUES (gen_random_uuid(), $1, 1, $2, NULL, $3)`,
        [inserted[0].id, d.name, JSON.stringify(d.steps)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ present }] = await q.query(`SELECT to_regclass('workflow.process_definition') IS NOT NULL AS present`);
    if (!present) return;
    const keys = DEFINITIONS.map((d) => d.key);
    await q.query(`DELETE FROM workflow.process_definition_version WHERE definition_id IN (SELECT id FROM workflow.process_definition WHERE key = ANY($1))`, [keys]);
    await q.query(`DELETE FROM workflow.process_definition WHERE key = ANY($1)`, [keys]);
  }
}
