import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction.js';
import { SingletonJob } from '../scheduling/singleton-job.js';
import { EventsSettings } from './events-settings.js';

/**
 * Keeps events `retentionDays` (default 7, EVENT_RETENTION_DAYS) for replay, then deletes done
 * deliveries and events that no delivery still needs (pending or parked ones stay). Uses the
 * database's time: retention is about storage, not the business `Clock` tests move.
 */
@Injectable()
export class OutboxRetentionJob {
  constructor(private readonly tx: Tx, private readonly settings: EventsSettings) {}

  @SingletonJob({ name: 'platform.prune-outbox', everyMs: 60 * 60 * 1000 })
  async prune(): Promise<void> {
    const em = this.tx.tx;
    const days = this.settings.retentionDays;
    await em.query(
      `DELETE FROM platform.event_deliveries WHERE status = 'done' AND created_at < now() - make_interval(days => $1::int)`,
      [days],
    );
    await em.query(
      `DELETE FROM platform.outbox_events e
        WHERE e.created_at < now() - make_interval(days => $1::int)
          AND NOT EXISTS (SELECT 1 FROM platform.event_deliveries d WHERE d.event_id = e.id)`,
      [days],
    );
  }
}
