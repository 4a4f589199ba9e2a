import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { CommitWrites } from '../database/commit-writes.js';
import { queryPrepared } from '../database/prepared.js';
import { Tx } from '../database/transaction.js';
import { Clock } from '../scheduling/clock.js';
import { WakeSignal, describeError, isEmbeddedDatabase, runBatchInSavepoints } from '../scheduling/batch-runner.js';
import type { DomainEvent } from './domain-event.js';
import { CLS_EVENT_CONTEXT, type EventCausalContext } from './event-context.js';
import { EventConsumers, deliveryChannel } from './event-consumers.js';
import { eventDeliveries, eventDeliveryLatency, setOutboxStatsSource, type OutboxStats } from './event-metrics.js';
import { backoffMs } from './event-pattern.js';
import { EventsSettings } from './events-settings.js';

/** The pg client under a TypeORM query runner (the part the claim uses). */
interface PgClient {
  query(text: string): Promise<unknown>;
  escapeLiteral(value: string): string;
}

const BATCH_SAVEPOINT = 'dispatch_batch';
/** A batch running longer than this does not hold back newer events: a nudge wakes another loop. */
const SLOW_BATCH_MS = 20;

interface ClaimedDelivery {
  delivery_id: string;
  consumer: string;
  attempts: number;
  id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  aggregate_type: string;
  aggregate_id: string;
  actor_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * Claims due deliveries in batches (`FOR UPDATE SKIP LOCKED`, so several loops and several
 * processes share the work without handing one delivery to two of them) and hands each to its
 * consumer through the event emitter, inside ONE transaction per batch in which each delivery
 * has its own savepoint: a consumer's effects and its delivery's `done` (the inbox record)
 * commit together, exactly once. A failure rolls back only that consumer's effects and
 * schedules a retry with exponential backoff; after `maxAttempts` the delivery is parked.
 *
 * Per (consumer, aggregate) a delivery is claimed only when no earlier delivery of the same
 * aggregate is still pending for that consumer, so consumers see an aggregate's events in
 * commit order, and a later event waits while an earlier one is retried (parked ones no longer
 * hold the line). Loops poll every `pollMs` as the safety net (other processes' commits, retries
 * coming due) and wake on `nudge()` after each commit that wrote events. A nudge wakes ONE idle
 * loop and only when no loop is busy (a busy loop claims again before it idles, so it picks the
 * new events up in its next batch): under a trickle one loop delivers in growing batches instead
 * of every loop racing for each event with mostly empty claims; under a backlog (a claim of
 * `fanOutAt` or more) a busy loop wakes another, so all loops share the work, and so does a
 * nudge while the latest batch has run for more than SLOW_BATCH_MS (slow consumers: new events
 * do not wait for it).
 */
@Injectable()
export class EventDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventDispatcher');
  private readonly signal = new WakeSignal();
  private readonly loops: Promise<void>[] = [];
  private readonly active = new Set<Promise<number>>();
  private busy = 0;
  /** When the latest batch began (ms): a nudge during a long batch brings in another loop. */
  private batchStartedAt = 0;
  private stopping = false;

  constructor(
    private readonly tx: Tx,
    private readonly cls: ClsService,
    private readonly clock: Clock,
    private readonly consumers: EventConsumers,
    private readonly emitter: EventEmitter2,
    private readonly settings: EventsSettings,
    private readonly dataSource: DataSource,
    private readonly commitWrites: CommitWrites,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    setOutboxStatsSource(() => this.stats());
    if (!this.settings.workers || this.consumers.names().length === 0) return;
    const embedded = await isEmbeddedDatabase((sql) => this.dataSource.query(sql));
    const count = embedded ? 1 : this.settings.dispatchers;
    for (let i = 0; i < count; i++) this.loops.push(this.loop());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    setOutboxStatsSource(null);
    this.signal.wake();
    await Promise.allSettled([...this.loops, ...this.active]);
  }

  /** Called after a commit that wrote events: wake the loops now instead of at the next poll. */
  nudge(): void {
    if (this.busy === 0 || Date.now() - this.batchStartedAt > SLOW_BATCH_MS) this.signal.wakeOne();
    else this.signal.count++;
  }

  /** Delivers everything claimable now in this process until nothing is left (tests, replay). */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.deliverBatch();
      if (claimed > 0) continue;
      if (this.active.size === 0) return;
      await Promise.allSettled([...this.active]);
    }
  }

  /** One batch in one transaction; returns how many deliveries it claimed. */
  deliverBatch(now: Date = this.clock.now()): Promise<number> {
    const consumers = this.consumers.names();
    if (consumers.length === 0) return Promise.resolve(0);
    const batch = this.cls.run(() => this.tx.withTransaction({ synchronousCommit: false }, () => this.claimAndDeliver(consumers, now)));
    this.active.add(batch);
    const untrack = () => this.active.delete(batch);
    batch.then(untrack, untrack);
    return batch;
  }

  async stats(): Promise<OutboxStats> {
    const [row] = await this.dataSource.query<{ lag: string | null; pending: string; retrying: string; parked: string }[]>(
      `SELECT extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending' AND attempts = 0)) AS lag,
              count(*) FILTER (WHERE status = 'pending' AND attempts = 0) AS pending,
              count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying,
              count(*) FILTER (WHERE status = 'parked') AS parked
         FROM platform.event_deliveries WHERE status IN ('pending', 'parked')`,
    );
    return {
      lagSeconds: Math.max(0, Number(row?.lag ?? 0)),
      pending: Number(row?.pending ?? 0),
      retrying: Number(row?.retrying ?? 0),
      parked: Number(row?.parked ?? 0),
    };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const seen = this.signal.count;
      let claimed = 0;
      this.busy++;
      this.batchStartedAt = Date.now();
      try {
        claimed = await this.deliverBatch();
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures++;
        this.logger.warn(`dispatch batch failed (${describeError(error)}); retrying`);
        await this.signal.wait(Math.min(30_000, 100 * 2 ** failures));
        continue;
      } finally {
        this.busy--;
      }
      if (claimed >= this.settings.fanOutAt) this.signal.wakeOne();
      if (claimed > 0 || this.signal.count !== seen) continue;
      await this.signal.wait(this.settings.pollMs);
    }
  }

  /**
   * Claims a batch and runs its consumers one after the other under ONE savepoint, sent with the
   * claim in a single round trip and never released (COMMIT keeps it): when all succeed — the
   * common case — the batch costs BEGIN, claim, the handlers, the `done` update and COMMIT. When
   * consumer k throws, runBatchInSavepoints rolls back to that savepoint (taken AFTER the claim:
   * rolling back to a savepoint taken before it would give up the claim's row locks), runs the
   * consumers before k again, records k as failed without running it again, and goes on.
   */
  private async claimAndDeliver(consumers: string[], now: Date): Promise<number> {
    const em = this.tx.tx;
    const rows = await this.claimUnderSavepoint(consumers, now);
    if (rows.length === 0) return 0;

    const deferred = this.commitWrites.mark(em);
    const outcome = await runBatchInSavepoints(this.tx, rows, (row) => this.invoke(row), {
      savepoint: BATCH_SAVEPOINT,
      rolledBack: () => this.commitWrites.rollbackTo(em, deferred),
    });
    if (outcome.ok.length) {
      await queryPrepared(
        em,
        `UPDATE platform.event_deliveries
            SET status = 'done', attempts = attempts + 1, delivered_at = $2, last_error = NULL, updated_at = now(), version = version + 1
          WHERE id = ANY($1::uuid[])`,
        [outcome.ok.map((r) => r.delivery_id), now],
      );
      const handledAt = Date.now();
      for (const row of outcome.ok) {
        eventDeliveries.inc({ consumer: row.consumer, outcome: 'delivered' });
        if (row.attempts === 0) eventDeliveryLatency.observe(Math.max(0, handledAt - new Date(row.occurred_at).getTime()) / 1000);
      }
    }
    for (const { item, error } of outcome.failed) {
      const attempts = item.attempts + 1;
      const parked = attempts >= this.settings.maxAttempts;
      const next = new Date(now.getTime() + backoffMs(attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs));
      await em.query(
        `UPDATE platform.event_deliveries
            SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5, updated_at = now(), version = version + 1
          WHERE id = $1`,
        [item.delivery_id, attempts, parked ? 'parked' : 'pending', next, describeError(error)],
      );
      eventDeliveries.inc({ consumer: item.consumer, outcome: parked ? 'parked' : 'failed' });
      const message = `consumer ${item.consumer} failed on ${item.type} ${item.id} (attempt ${attempts}): ${describeError(error)}`;
      if (parked) this.logger.error(`${message}; parked`);
      else this.logger.warn(`${message}; retrying at ${next.toISOString()}`);
    }
    return rows.length;
  }

  /**
   * The claim (`platform.claim_event_deliveries`: PL/pgSQL keeps its plan, and it walks the
   * pending index in `event_seq` order with sorting off — see its migration) and then
   * `SAVEPOINT`, in one simple-protocol round trip on the transaction's connection (the claim's
   * values are inlined: consumer names, a timestamp and an integer, all escaped).
   *
   * The batch commits asynchronously (`synchronousCommit: false`, for this transaction only): its
   * COMMIT does not wait for the WAL flush, whose latency spikes were most of the delivery p99.
   * Nothing can be lost by it: a server crash can only forget the latest such commits WHOLE (the
   * consumers' effects together with their deliveries' `done`), so those deliveries are simply
   * made again after recovery — the at-least-once redelivery every consumer is written for — and
   * any later synchronous commit that saw this batch's writes flushes them with its own.
   */
  private async claimUnderSavepoint(consumers: string[], now: Date): Promise<ClaimedDelivery[]> {
    const runner = this.tx.tx.queryRunner;
    if (!runner) throw new Error('the dispatcher must claim inside its transaction');
    const client = (await runner.connect()) as PgClient;
    const literal = (value: string) => client.escapeLiteral(value);
    const results = await client.query(
      `SELECT * FROM platform.claim_event_deliveries(ARRAY[${consumers.map(literal).join(', ')}]::text[],
                                                     ${literal(now.toISOString())}::timestamptz, ${Math.trunc(this.settings.batchSize)});
       SAVEPOINT ${BATCH_SAVEPOINT}`,
    );
    return (results as unknown as { rows: ClaimedDelivery[] }[])[0].rows;
  }

  private async invoke(row: ClaimedDelivery): Promise<void> {
    const event: DomainEvent = {
      id: row.id,
      type: row.type,
      schemaVersion: row.schema_version,
      occurredAt: new Date(row.occurred_at).toISOString(),
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      actorId: row.actor_id,
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      payload: row.payload,
    };
    this.cls.set<EventCausalContext>(CLS_EVENT_CONTEXT, {
      correlationId: event.correlationId ?? event.id,
      causationId: event.id,
      actorId: event.actorId,
    });
    const channel = deliveryChannel(row.consumer);
    if (this.emitter.listenerCount(channel) === 0) throw new Error(`no handler registered for consumer ${row.consumer}`);
    await this.emitter.emitAsync(channel, event);
  }
}
