import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sales.customer_touch`: Sales' own read model of what other contexts did with a customer
 * (service tickets, calls, campaign responses), fed by their domain events, shown in the
 * customer 360. One row per touched record (`kind`, `source_id`); no foreign keys across schemas.
 */
export class SalesCustomerTouch1764051000001 implements MigrationInterface {
  name = 'SalesCustomerTouch1764051000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sales.customer_touch (
        id            uuid           PRIMARY KEY,
        account_id    uuid           NOT NULL REFERENCES sales.account (id) ON DELETE CASCADE,
        contact_id    uuid,
        kind          text           NOT NULL CHECK (kind IN ('service-ticket', 'call', 'campaign-response')),
        source_id     uuid           NOT NULL,
        status        text,
        title         text,
        occurred_at   timestamptz(3) NOT NULL,
        closed_at     timestamptz(3),
        details       jsonb          NOT NULL,
        last_event_id uuid           NOT NULL,
        created_at    timestamptz(3) NOT NULL DEFAULT now(),
        updated_at    timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_touch_kind_source_key UNIQUE (kind, source_id)
      )`);
    await q.query(`CREATE INDEX customer_touch_account_idx ON sales.customer_touch (account_id, kind, occurred_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sales.customer_touch`);
  }
}
