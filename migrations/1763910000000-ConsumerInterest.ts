import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event types that consumers subscribed with `interest: 'declared'` want delivered (see
 * ConsumerInterests). Seeded from the automation rules that exist already.
 */
export class ConsumerInterest1763910000000 implements MigrationInterface {
  name = 'ConsumerInterest1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform.consumer_interest (
        consumer   text NOT NULL,
        event_type text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_type)
      )`);
    await q.query(`
      INSERT INTO platform.consumer_interest (consumer, event_type)
      SELECT DISTINCT 'workflow.automation-rules', event_type FROM workflow.automation_rule
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.consumer_interest`);
  }
}
