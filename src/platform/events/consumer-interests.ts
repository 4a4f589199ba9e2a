import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction.js';

/**
 * The event types a consumer subscribed with `interest: 'declared'` wants delivered
 * (`platform.consumer_interest`). The outbox fan-out reads it in the publishing statement, so
 * it is as current as the publishing transaction's snapshot. Interests only grow: removing one
 * safely would race with a concurrent declaration, and a spare delivery costs only a no-op run.
 */
@Injectable()
export class ConsumerInterests {
  constructor(private readonly tx: Tx) {}

  /** Declares that `consumer` wants events of `eventType` (joins the current transaction). */
  async add(consumer: string, eventType: string): Promise<void> {
    await this.tx.tx.query(
      `INSERT INTO platform.consumer_interest (consumer, event_type) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [consumer, eventType],
    );
  }
}
