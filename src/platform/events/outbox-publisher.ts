import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { newId } from '../database/base.entity.js';
import { CommitWrites } from '../database/commit-writes.js';
import { Tx } from '../database/transaction.js';
import { Clock } from '../scheduling/clock.js';
import type { DomainEvent, NewDomainEvent } from './domain-event.js';
import { currentCausalContext } from './event-context.js';
import { EventConsumers } from './event-consumers.js';
import { EVENT_TYPE } from './event-pattern.js';
import { EventPublisher } from './event-publisher.js';

/** Marker on the TypeORM query runner of a transaction that wrote outbox rows (see OutboxCommitSubscriber). */
export const OUTBOX_WRITTEN = 'crm:outbox-written';

const OUTBOX = 'outbox';

/**
 * The transactional outbox: a transaction's events go to `platform.outbox_events` in the same
 * transaction as the aggregate — all of them in one statement right before its COMMIT
 * ({@link CommitWrites}, with the transaction's audit rows), fanning out one
 * `platform.event_deliveries` row per (event, matching consumer) — so a rollback leaves
 * neither. Events get their `seq` in publication order. A commit that leaves deliveries to make
 * nudges the dispatcher at once.
 */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly tx: Tx,
    private readonly cls: ClsService,
    private readonly clock: Clock,
    private readonly consumers: EventConsumers,
    private readonly commitWrites: CommitWrites,
  ) {
    super();
    commitWrites.register(OUTBOX, {
      ctes: (doc) => [
        `outbox_input AS (
           SELECT * FROM jsonb_to_recordset(${doc})
             AS x(id uuid, type text, schema_version int, occurred_at timestamptz, aggregate_type text, aggregate_id text,
                  actor_id text, correlation_id text, causation_id text, payload jsonb, routes jsonb, ord int))`,
        `outbox_written AS (
           INSERT INTO platform.outbox_events
             (id, type, schema_version, occurred_at, aggregate_type, aggregate_id, actor_id, correlation_id, causation_id, payload)
           SELECT id, type, schema_version, occurred_at, aggregate_type, aggregate_id, actor_id, correlation_id, causation_id, payload
             FROM outbox_input ORDER BY ord
           RETURNING id, seq, type, aggregate_type, aggregate_id, occurred_at)`,
        `outbox_deliveries AS (
           INSERT INTO platform.event_deliveries (event_id, event_seq, event_type, aggregate_key, consumer, next_attempt_at)
           SELECT e.id, e.seq, e.type, e.aggregate_type || ':' || e.aggregate_id, c.consumer, e.occurred_at
             FROM outbox_written e
             JOIN outbox_input i ON i.id = e.id
             CROSS JOIN LATERAL jsonb_to_recordset(i.routes) AS c(consumer text, declared_only bool)
            WHERE NOT c.declared_only
               OR EXISTS (SELECT 1 FROM platform.consumer_interest ci WHERE ci.consumer = c.consumer AND ci.event_type = e.type)
           RETURNING 1)`,
      ],
      result: '(SELECT count(*)::int FROM outbox_deliveries)',
      // Only a commit that leaves deliveries to make needs to wake the dispatcher.
      afterFlush: (runner, deliveries) => {
        if (Number(deliveries) > 0) markOutboxWritten(runner.manager);
      },
    });
  }

  async publish<T extends object>(event: NewDomainEvent<T>): Promise<DomainEvent<T>> {
    const [published] = await this.publishAll([event]);
    return published as DomainEvent<T>;
  }

  async publishAll(events: NewDomainEvent<object>[]): Promise<DomainEvent<object>[]> {
    if (!this.tx.isTransactionActive()) {
      throw new Error('EventPublisher.publish must be called inside a @Transactional() use case (the outbox joins its transaction)');
    }
    const causal = currentCausalContext(this.cls);
    const occurredAt = this.clock.now().toISOString();
    const em = this.tx.tx;
    const out: DomainEvent<object>[] = [];
    // The consumers of each type, worked out once per type of the batch (a bulk publish is mostly one type).
    const routesByType = new Map<string, { consumer: string; declared_only: boolean }[]>();
    for (const input of events) {
      if (!EVENT_TYPE.test(input.type)) {
        throw new Error(`Event type "${input.type}" must be <context>.<aggregate>.<past-tense> in kebab-case`);
      }
      const id = newId();
      const event: DomainEvent<object> = {
        id,
        type: input.type,
        schemaVersion: input.schemaVersion ?? 1,
        occurredAt,
        aggregateType: input.aggregateType,
        aggregateId: input.aggregateId,
        actorId: causal.actorId,
        correlationId: causal.correlationId ?? id,
        causationId: causal.causationId,
        payload: input.payload,
      };
      out.push(event);
      this.commitWrites.defer(em, OUTBOX, {
        id,
        type: event.type,
        schema_version: event.schemaVersion,
        occurred_at: occurredAt,
        aggregate_type: event.aggregateType,
        aggregate_id: event.aggregateId,
        actor_id: event.actorId,
        correlation_id: event.correlationId,
        causation_id: event.causationId,
        payload: event.payload ?? {},
        routes: routesByType.get(event.type) ?? routesByType.set(event.type, this.routes(event.type)).get(event.type)!,
        // Publication order across the transaction's publishAll calls (uuidv7 ids are too, but
        // only to the millisecond).
        ord: this.commitWrites.mark(em),
      });
    }
    return out;
  }

  /** The consumers of a type, and whether each takes it only when it declared an interest. */
  private routes(type: string): { consumer: string; declared_only: boolean }[] {
    const declaredOnly = this.consumers.matchingDeclared(type);
    return this.consumers.matching(type).map((consumer) => ({ consumer, declared_only: declaredOnly.has(consumer) }));
  }
}

/** Marks the open transaction so that its commit nudges the dispatcher (OutboxCommitSubscriber). */
export function markOutboxWritten(em: EntityManager): void {
  const runner = em.queryRunner;
  if (runner) runner.data = { ...(runner.data as object), [OUTBOX_WRITTEN]: true };
}
