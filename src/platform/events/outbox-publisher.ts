import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { newId } from '../database/base.entity.js';
import { queryPrepared } from '../database/prepared.js';
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
 * The transactional outbox: one INSERT for all the events of a `publishAll` into
 * `platform.outbox_events`, fanning out in the same statement one `platform.event_deliveries` row
 * per (event, matching consumer) — all in the
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
      out.push({
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
      });
    }
    if (out.length === 0) return out;
    // One statement for the whole list: events get their `seq` in list order (the INSERT reads
    // the rows ordered), and each fans out to its consumers' deliveries.
    const types = [...new Set(out.map((e) => e.type))];
    const routes = types.flatMap((type) => {
      const declaredOnly = this.consumers.matchingDeclared(type);
      return this.consumers.matching(type).map((consumer) => [type, consumer, declaredOnly.has(consumer)] as const);
    });
    const [{ deliveries }] = await queryPrepared<{ deliveries: number }>(
      em,
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(id uuid, type text, schema_version int, aggregate_type text, aggregate_id text, correlation_id text, payload jsonb, ord int)),
       e AS (
         INSERT INTO platform.outbox_events
           (id, type, schema_version, occurred_at, aggregate_type, aggregate_id, actor_id, correlation_id, causation_id, payload)
         SELECT id, type, schema_version, $2, aggregate_type, aggregate_id, $3, correlation_id, $4, payload FROM input ORDER BY ord
         RETURNING id, seq, type, aggregate_type, aggregate_id),
       d AS (
         INSERT INTO platform.event_deliveries (event_id, event_seq, event_type, aggregate_key, consumer, next_attempt_at)
         SELECT e.id, e.seq, e.type, e.aggregate_type || ':' || e.aggregate_id, c.consumer, $2
           FROM e JOIN unnest($5::text[], $6::text[], $7::bool[]) AS c(type, consumer, declared_only) ON c.type = e.type
          WHERE NOT c.declared_only
             OR EXISTS (SELECT 1 FROM platform.consumer_interest i WHERE i.consumer = c.consumer AND i.event_type = e.type)
         RETURNING 1)
       SELECT count(*)::int AS deliveries FROM d`,
      [
        // One JSON document rather than one array per column: the driver escapes every element
        // of an array parameter (payloads above all), JSON.stringify is native.
        JSON.stringify(
          out.map((e, ord) => ({
            id: e.id,
            type: e.type,
            schema_version: e.schemaVersion,
            aggregate_type: e.aggregateType,
            aggregate_id: e.aggregateId,
            correlation_id: e.correlationId,
            payload: e.payload ?? {},
            ord,
          })),
        ),
        occurredAt,
        causal.actorId,
        causal.causationId,
        routes.map(([type]) => type),
        routes.map(([, consumer]) => consumer),
        routes.map(([, , declaredOnly]) => declaredOnly),
      ],
    );
    // Only a commit that leaves deliveries to make needs to wake the dispatcher.
    if (deliveries > 0) markOutboxWritten(em);
    return out;
  }
}

/** Marks the open transaction so that its commit nudges the dispatcher (OutboxCommitSubscriber). */
export function markOutboxWritten(em: EntityManager): void {
  const runner = em.queryRunner;
  if (runner) runner.data = { ...(runner.data as object), [OUTBOX_WRITTEN]: true };
}
