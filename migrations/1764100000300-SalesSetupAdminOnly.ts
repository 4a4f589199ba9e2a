import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #14: administering the shared Sales configuration is an administrator's job. The
 * built-in sales manager and director held `sales.*:*`, which let a team manager change the
 * org-wide Sales settings, make a sales method the default, write lead assignment rules (a
 * priority-0 catch-all sent every branch's ownerless leads and the web form's leads to him) and
 * create the capture forms that route the web form's leads. They now hold the record work they
 * did before — accounts, contacts, leads, opportunities, activities, competitors, creating
 * (non-default) sales methods, ownership transfers — and read the set-up; only a role holding
 * `sales.settings:manage`, `sales.sales-method:set-default`,
 * `sales.lead-assignment-rule:create|update|delete` or `sales.lead-capture-form:create`
 * (among the built-in roles: admin) administers it. Like SalesRepRecordWorkOnly, only the
 * seeded grant is replaced: a role an administrator already edited (no `sales.*:*`) is left alone.
 */
export const SALES_MANAGER_PERMISSIONS = [
  'sales.account:*', 'sales.contact:*', 'sales.lead:*', 'sales.opportunity:*', 'sales.activity:*',
  'sales.competitor:*', 'sales.ownership-transfer:*', 'sales.pipeline:read',
  'sales.sales-method:read', 'sales.sales-method:create', 'sales.settings:read',
  'sales.lead-assignment-rule:read', 'sales.lead-capture-form:read',
  'sales.quote:*', 'sales.order:*', 'sales.contract:*', 'sales.product:read', 'sales.price-list:read',
];

const ROLES = ['sales-manager', 'sales-director'];

export class SalesSetupAdminOnly1764100000300 implements MigrationInterface {
  name = 'SalesSetupAdminOnly1764100000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE platform.role
          SET permissions = array_cat(array_remove(permissions, 'sales.*:*'), $1::text[]), updated_at = now(), version = version + 1
        WHERE built_in AND key = ANY($2::text[]) AND 'sales.*:*' = ANY(permissions)`,
      [SALES_MANAGER_PERMISSIONS, ROLES],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE platform.role
          SET permissions = array_prepend('sales.*:*', (SELECT coalesce(array_agg(p), '{}') FROM unnest(permissions) p WHERE NOT p = ANY($1::text[]))),
              updated_at = now(), version = version + 1
        WHERE built_in AND key = ANY($2::text[]) AND NOT 'sales.*:*' = ANY(permissions)`,
      [SALES_MANAGER_PERMISSIONS, ROLES],
    );
  }
}
