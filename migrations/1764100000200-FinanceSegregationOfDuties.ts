import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segregation of duties in Finance (issue #14):
 * - Every built-in employee role held `finance.advance:*` and `finance.expense-claim:*`, which
 *   included paying advances out (`finance.advance:pay`, finance's job) and recalling other
 *   people's claims and advances (`…:recall-any`). They now hold the employee's actions only;
 *   the `finance` role keeps `finance.*:*`, the admin `*:*`. Only a seeded grant is replaced: a
 *   role whose grant an administrator already changed (no wildcard in it) is left as it is.
 * - `finance.advance.approver_ids`: who took part in an advance's approval, so they cannot pay it.
 */
export const EMPLOYEE_ADVANCE_PERMISSIONS = ['finance.advance:create', 'finance.advance:read', 'finance.advance:submit'];
export const EMPLOYEE_EXPENSE_CLAIM_PERMISSIONS = [
  'finance.expense-claim:create', 'finance.expense-claim:read', 'finance.expense-claim:update', 'finance.expense-claim:submit', 'finance.expense-claim:recall',
];
const GRANTS: [wildcard: string, explicit: string[]][] = [
  ['finance.advance:*', EMPLOYEE_ADVANCE_PERMISSIONS],
  ['finance.expense-claim:*', EMPLOYEE_EXPENSE_CLAIM_PERMISSIONS],
];

export class FinanceSegregationOfDuties1764100000200 implements MigrationInterface {
  name = 'FinanceSegregationOfDuties1764100000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE finance.advance ADD COLUMN approver_ids uuid[] NOT NULL DEFAULT '{}'`);
    for (const [wildcard, explicit] of GRANTS) {
      await q.query(
        `UPDATE platform.role
            SET permissions = array_cat(array_remove(permissions, $1::text), (SELECT coalesce(array_agg(p), '{}') FROM unnest($2::text[]) p WHERE NOT p = ANY(permissions))),
                updated_at = now(), version = version + 1
          WHERE built_in AND key <> 'finance' AND $1::text = ANY(permissions)`,
        [wildcard, explicit],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [wildcard, explicit] of GRANTS) {
      await q.query(
        `UPDATE platform.role
            SET permissions = array_append((SELECT coalesce(array_agg(p), '{}') FROM unnest(permissions) p WHERE NOT p = ANY($2::text[])), $1::text),
                updated_at = now(), version = version + 1
          WHERE built_in AND key <> 'finance' AND NOT $1::text = ANY(permissions) AND $2::text[] <@ permissions`,
        [wildcard, explicit],
      );
    }
    await q.query(`ALTER TABLE finance.advance DROP COLUMN approver_ids`);
  }
}
