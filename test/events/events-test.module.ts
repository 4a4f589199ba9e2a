/**
 * Test-only use case, consumers and scheduled work for the events/scheduling tests (never part
 * of the product). Tables live in the `events_test` schema created by EVENTS_TEST_DDL.
 */
import { Injectable, Module } from '@nestjs/common';
import { Transactional, Tx } from '../../src/platform/database/transaction';
import type { DomainEvent } from '../../src/platform/events/domain-event';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { OnDomainEvent } from '../../src/platform/events/on-domain-event.decorator';
import { SingletonJob } from '../../src/platform/scheduling/singleton-job';
import { OnTimer, OnTimers, type DueTimer } from '../../src/platform/scheduling/timers';

export const EVENTS_TEST_DDL = `
  CREATE SCHEMA IF NOT EXISTS events_test;
  CREATE TABLE IF NOT EXISTS events_test.command (id text PRIMARY KEY, n integer NOT NULL);
  CREATE TABLE IF NOT EXISTS events_test.effect (
    event_id uuid NOT NULL, consumer text NOT NULL, aggregate_id text NOT NULL, n integer,
    at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE TABLE IF NOT EXISTS events_test.fired (kind text NOT NULL, key text NOT NULL, payload jsonb, at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE TABLE IF NOT EXISTS events_test.job_run (name text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());`;

export class ForcedRollback extends Error {}

@Injectable()
export class ThingCommands {
  constructor(private readonly tx: Tx, private readonly events: EventPublisher) {}

  /** Writes the aggregate and publishes `test.thing.happened`; `fail` rolls the whole thing back. */
  @Transactional()
  async happen(aggregateId: string, n: number, fail = false): Promise<DomainEvent> {
    await this.tx.tx.query(
      `INSERT INTO events_test.command (id, n) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n`,
      [`${aggregateId}:${n}`, n],
    );
    const event = await this.events.publish({ type: 'test.thing.happened', aggregateType: 'test.thing', aggregateId, payload: { n } });
    if (fail) throw new ForcedRollback('forced rollback');
    return event;
  }
}

/** Records each delivery as a row written in the consumer's transaction. */
@Injectable()
export class RecordingConsumer {
  invocations = 0;
  constructor(private readonly tx: Tx) {}

  @OnDomainEvent('test.thing.*', { consumer: 'test.recorder' })
  async record(event: DomainEvent<{ n: number }>): Promise<void> {
    this.invocations++;
    await this.tx.tx.query(`INSERT INTO events_test.effect (event_id, consumer, aggregate_id, n) VALUES ($1, 'test.recorder', $2, $3)`, [
      event.id,
      event.aggregateId,
      event.payload.n ?? null,
    ]);
  }
}

/** Fails while `failuresLeft[aggregateId]` > 0 (or always for `alwaysFail`); writes before failing to prove rollback. */
@Injectable()
export class FlakyConsumer {
  failuresLeft = new Map<string, number>();
  alwaysFail = new Set<string>();
  invocations: { aggregateId: string; n: number }[] = [];
  constructor(private readonly tx: Tx) {}

  @OnDomainEvent('test.thing.happened', { consumer: 'test.flaky' })
  async handle(event: DomainEvent<{ n: number }>): Promise<void> {
    this.invocations.push({ aggregateId: event.aggregateId, n: event.payload.n });
    await this.tx.tx.query(`INSERT INTO events_test.effect (event_id, consumer, aggregate_id, n) VALUES ($1, 'test.flaky', $2, $3)`, [
      event.id,
      event.aggregateId,
      event.payload.n,
    ]);
    const left = this.failuresLeft.get(event.aggregateId) ?? 0;
    if (this.alwaysFail.has(event.aggregateId) || left > 0) {
      this.failuresLeft.set(event.aggregateId, left - 1);
      throw new Error(`flaky failure for ${event.aggregateId}#${event.payload.n}`);
    }
  }
}

/** Publishes a follow-up event from a consumer (causation/correlation chain). */
@Injectable()
export class ChainConsumer {
  constructor(private readonly events: EventPublisher) {}

  @OnDomainEvent('test.thing.happened', { consumer: 'test.chain' })
  async follow(event: DomainEvent<{ n: number }>): Promise<void> {
    if (event.payload.n !== 1) return;
    await this.events.publish({ type: 'test.thing.followed', aggregateType: 'test.thing', aggregateId: event.aggregateId, payload: { n: -1 } });
  }
}

@Injectable()
export class TestTimerHandlers {
  failKeys = new Set<string>();
  constructor(private readonly tx: Tx) {}

  @OnTimer('test.reminder')
  async remind(timer: DueTimer<{ note?: string }>): Promise<void> {
    await this.tx.tx.query(`INSERT INTO events_test.fired (kind, key, payload) VALUES ($1, $2, $3)`, [timer.kind, timer.key, JSON.stringify(timer.payload)]);
    if (this.failKeys.has(timer.key)) throw new Error(`timer ${timer.key} fails`);
  }
}

/** Batch handler: one INSERT for the whole batch; fails the whole call when it holds a key of `failKeys` (after writing, to prove rollback). */
@Injectable()
export class TestBatchTimerHandlers {
  failKeys = new Set<string>();
  /** Size of every call, in order. */
  calls: number[] = [];
  /** Slows each call down (so that two replicas overlap). */
  delayMs = 0;
  constructor(private readonly tx: Tx) {}

  @OnTimers('test.bulk', { batchSize: 50 })
  async fire(timers: DueTimer<{ note?: string }>[]): Promise<void> {
    this.calls.push(timers.length);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await this.tx.tx.query(
      `INSERT INTO events_test.fired (kind, key, payload) SELECT 'test.bulk', k, p FROM unnest($1::text[], $2::jsonb[]) AS t(k, p)`,
      [timers.map((t) => t.key), timers.map((t) => JSON.stringify(t.payload))],
    );
    const bad = timers.find((t) => this.failKeys.has(t.key));
    if (bad) throw new Error(`timer ${bad.key} fails`);
  }
}

@Injectable()
export class TestJobs {
  constructor(private readonly tx: Tx) {}

  @SingletonJob({ name: 'test.hourly', everyMs: 60 * 60 * 1000 })
  async hourly(): Promise<void> {
    await this.tx.tx.query(`INSERT INTO events_test.job_run (name) VALUES ('test.hourly')`);
  }
}

/** Takes `payload.ms` to handle a `test.slow.happened` event (a slow consumer holding its batch). */
@Injectable()
export class SlowConsumer {
  @OnDomainEvent('test.slow.happened', { consumer: 'test.slow' })
  async handle(event: DomainEvent<{ ms: number }>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, event.payload.ms));
  }
}

@Module({
  providers: [SlowConsumer, ThingCommands, RecordingConsumer, FlakyConsumer, ChainConsumer, TestTimerHandlers, TestBatchTimerHandlers, TestJobs],
})
export class EventsTestModule {}
