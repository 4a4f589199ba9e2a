import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Domain events (transactional outbox, per-consumer deliveries = the inbox) and scheduling
 * (durable timers, singleton job state). See src/platform/events and src/platform/scheduling.
 */
export class CreateEventsAndScheduling1763870000000 implements MigrationInterface {
  name = 'CreateEventsAndScheduling1763870000000';

  async up(q: QueryRunner): Promise<void> {
    // The outbox: written in the use case's transaction; `seq` is the commit order per aggregate
    // (a use case updates its aggregate row before publishing, which serialises writers).
    await q.query(`
      CREATE TABLE platform.outbox_events (
        id             uuid PRIMARY KEY,
        seq            bigint GENERATED ALWAYS AS IDENTITY,
        type           text NOT NULL,
        schema_version integer NOT NULL DEFAULT 1,
        occurred_at    timestamptz(3) NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id   text NOT NULL,
        actor_id       text,
        correlation_id text,
        causation_id   text,
        payload        jsonb NOT NULL,
        created_at     timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX outbox_events_seq_idx ON platform.outbox_events (seq)`);
    await q.query(`CREATE INDEX outbox_events_occurred_at_idx ON platform.outbox_events (occurred_at)`);
    await q.query(`CREATE INDEX outbox_events_created_at_idx ON platform.outbox_events (created_at)`);

    // One row per (event, consumer), fanned out when the event is published. status `done` is
    // written in the consumer's own transaction: this table is also the inbox.
    await q.query(`
      CREATE TABLE platform.event_deliveries (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id        uuid NOT NULL,
        event_seq       bigint NOT NULL,
        event_type      text NOT NULL,
        aggregate_key   text NOT NULL,
        consumer        text NOT NULL,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'parked')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL,
        last_error      text,
        delivered_at    timestamptz(3),
        created_at      timestamptz(3) NOT NULL DEFAULT now(),
        updated_at      timestamptz(3) NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1,
        CONSTRAINT event_deliveries_event_consumer_uq UNIQUE (event_id, consumer)
      )`);
    // Claim scan (oldest pending first) and outbox lag.
    await q.query(`CREATE INDEX event_deliveries_pending_idx ON platform.event_deliveries (event_seq) WHERE status = 'pending'`);
    // Per-(consumer, aggregate) ordering: is an earlier delivery still pending?
    await q.query(`
      CREATE INDEX event_deliveries_pending_order_idx ON platform.event_deliveries (consumer, aggregate_key, event_seq)
       WHERE status = 'pending'`);
    // Admin list (filter by status, newest first) and pruning of old done deliveries.
    await q.query(`CREATE INDEX event_deliveries_status_created_idx ON platform.event_deliveries (status, created_at, id)`);
    await q.query(`CREATE INDEX event_deliveries_created_idx ON platform.event_deliveries (created_at, id)`);
    await q.query(`CREATE INDEX event_deliveries_consumer_seq_idx ON platform.event_deliveries (consumer, event_seq)`);

    await q.query(`
      CREATE TABLE platform.timers (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind        text NOT NULL,
        key         text NOT NULL,
        due_at      timestamptz(3) NOT NULL,
        payload     jsonb NOT NULL DEFAULT '{}',
        status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'failed')),
        attempts    integer NOT NULL DEFAULT 0,
        generation  integer NOT NULL DEFAULT 1,
        last_error  text,
        created_at  timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT timers_kind_key_uq UNIQUE (kind, key)
      )`);
    await q.query(`CREATE INDEX timers_due_idx ON platform.timers (due_at) WHERE status = 'scheduled'`);

    await q.query(`
      CREATE TABLE platform.singleton_jobs (
        name          text PRIMARY KEY,
        next_run_at   timestamptz(3) NOT NULL,
        last_run_at   timestamptz(3),
        last_duration_ms integer,
        last_error    text,
        runs          integer NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.singleton_jobs`);
    await q.query(`DROP TABLE platform.timers`);
    await q.query(`DROP TABLE platform.event_deliveries`);
    await q.query(`DROP TABLE platform.outbox_events`);
  }
}
