import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in sales representative held `sales.*:*`, which also let a rep change the sales
 * set-up: sales methods, lead assignment rules, capture forms, sales settings, and ownership
 * transfers of other people's books. A rep now holds the record work only; managers and
 * directors keep `sales.*:*`. Only the seeded grant is replaced: a role an administrator has
 * already edited (no `sales.*:*` in it) is left as it is.
 */
export const SALES_REP_PERMISSIONS = [
  'sales.account:*', 'sales.contact:*', 'sales.lead:*', 'sales.opportunity:*', 'sales.activity:*',
  'sales.competitor:*', 'sales.pipeline:read', 'sales.sales-method:read', 'sales.settings:read',
  'sales.lead-assignment-rule:read', 'sales.quote:*', 'sales.order:*', 'sales.contract:*',
  'sales.product:read', 'sales.price-list:read',
];

export class SalesRepRecordWorkOnly1764070000000 implements MigrationInterface {
  name = 'SalesRepRecordWorkOnly1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE platform.role
          SET permissions = array_cat(array_remove(permissions, 'sales.*:*'), $1::text[]), updated_at = now(), version = version + 1
        WHERE key = 'sales-rep' AND 'sales.*:*' = ANY(permissions)`,
      [SALES_REP_PERMISSIONS],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE platform.role
          SET permissions = array_prepend('sales.*:*', (SELECT coalesce(array_agg(p), '{}') FROM unnest(permissions) p WHERE NOT p = ANY($1::text[]))),
              updated_at = now(), version = version + 1
        WHERE key = 'sales-rep' AND NOT 'sales.*:*' = ANY(permissions)`,
      [SALES_REP_PERMISSIONS],
    );
  }
}
