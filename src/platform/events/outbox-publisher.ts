import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { newId } from '../database/base.entity.js';
import { Tx } from '../database/transaction.js';
import { Clock } from '../scheduling/clock.js';
import type { DomainEvent, NewDomainEvent } from './domain-event.js';
import { currentCausalContext } from './event-context.js';
import { EventConsumers } from './event-consumers.js';
import { EVENT_TYPE } from './event-pattern.js';
import { EventPublisher } from './event-publisher.js';

/** Marker on the TypeORM query runner of a transaction that wrote outbox rows (see OutboxCommitSubscriber). */
export const OUTBOX_WRITTEN = 'crm:outbox-written';

/**
 * The transactional outbox: one INSERT per event into `platform.outbox_events`, fanning out in
 * the same statement one `platform.event_deliveries` row per matching consumer — all in the
 * use case's transaction, so a rollback leaves neither. The transaction is marked so that its
 * commit nudges the dispatcher at once.
 */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly tx: Tx,
    private readonly cls: ClsService,
    private readonly clock: Clock,
    private readonly consumers: EventConsumers,
  ) {
    super();
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
    const occurredAt = this.clock.now();
    const em = this.tx.tx;
    const out: DomainEvent<object>[] = [];
    for (const input of events) {
      if (!EVENT_TYPE.test(input.type)) {
        throw new Error(`Event type "${input.type}" must be <context>.<aggregate>.<past-tense> in kebab-case`);
      }
      const id = newId();
      const event: DomainEvent<object> = {
        id,
        type: input.type,
        schemaVersion: input.schemaVersion ?? 1,
        occurredAt: occurredAt.toISOString(),
        aggregateType: input.aggregateType,
        aggregateId: input.aggregateId,
        actorId: causal.actorId,
        correlationId: causal.correlationId ?? id,
        causationId: causal.causationId,
        payload: input.payload,
      };
      await em.query(
        `WITH e AS (
           INSERT INTO platform.outbox_events
             (id, type, schema_version, occurred_at, aggregate_type, aggregate_id, actor_id, correlation_id, causation_id, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING id, seq)
         INSERT INTO platform.event_deliveries (event_id, event_seq, event_type, aggregate_key, consumer, next_attempt_at)
         SELECT e.id, e.seq, $2, $5 || ':' || $6, c.consumer, $4 FROM e CROSS JOIN unnest($11::text[]) AS c(consumer)`,
        [
          id,
          event.type,
          event.schemaVersion,
          occurredAt,
          event.aggregateType,
          event.aggregateId,
          event.actorId,
          event.correlationId,
          event.causationId,
          JSON.stringify(event.payload ?? {}),
          this.consumers.matching(event.type),
        ],
      );
      out.push(event);
    }
    markOutboxWritten(em);
    return out;
  }
}

/** Marks the open transaction so that its commit nudges the dispatcher (OutboxCommitSubscriber). */
export function markOutboxWritten(em: EntityManager): void {
  const runner = em.queryRunner;
  if (runner) runner.data = { ...(runner.data as object), [OUTBOX_WRITTEN]: true };
}
