import { Injectable } from '@nestjs/common';
import { Tx, Transactional } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { EventConsumers } from './event-consumers.js';
import { matchesPattern } from './event-pattern.js';

/**
 * Rebuilds a consumer (typically a read model) by delivering it again every retained event it
 * subscribes to, from `from` on, in the original order: its deliveries are reset to pending
 * (or created, for events published before the consumer existed). The consumer must tolerate
 * seeing an event again (upserts), or clear its read model from `from` before the replay.
 */
@Injectable()
export class EventReplay {
  constructor(private readonly tx: Tx, private readonly consumers: EventConsumers) {}

  /** Returns how many deliveries were scheduled. */
  @Transactional()
  async replay(consumer: string, from: Date): Promise<number> {
    const subscription = this.consumers.all().find((c) => c.consumer === consumer);
    if (!subscription) {
      throw new DomainError('not-found', 'platform.event-consumer.unknown', `No consumer named ${consumer}; known: ${this.consumers.names().join(', ')}`);
    }
    const em = this.tx.tx;
    const types: { type: string }[] = await em.query(`SELECT DISTINCT type FROM platform.outbox_events WHERE occurred_at >= $1`, [from]);
    const matching = types.map((t) => t.type).filter((type) => matchesPattern(subscription.pattern, type));
    if (matching.length === 0) return 0;
    const rows: unknown[] = await em.query(
      `INSERT INTO platform.event_deliveries (event_id, event_seq, event_type, aggregate_key, consumer, next_attempt_at)
       SELECT e.id, e.seq, e.type, e.aggregate_type || ':' || e.aggregate_id, $2, e.occurred_at
         FROM platform.outbox_events e
        WHERE e.occurred_at >= $1 AND e.type = ANY($3::text[])
       ON CONFLICT (event_id, consumer) DO UPDATE
         SET status = 'pending', attempts = 0, last_error = NULL, delivered_at = NULL, updated_at = now(),
             version = platform.event_deliveries.version + 1
       RETURNING id`,
      [from, consumer, matching],
    );
    return rows.length;
  }
}
