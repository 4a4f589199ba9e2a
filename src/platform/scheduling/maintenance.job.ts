import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction.js';
import { SingletonJob } from './singleton-job.js';

/** Platform housekeeping that is not about events (those prune themselves: OutboxRetentionJob). */
@Injectable()
export class MaintenanceJobs {
  constructor(private readonly tx: Tx) {}

  /** Idempotency keys are honoured for 24 h (IdempotencyInterceptor); older ones are deleted. */
  @SingletonJob({ name: 'platform.prune-idempotency-keys', everyMs: 60 * 60 * 1000 })
  async pruneIdempotencyKeys(): Promise<void> {
    await this.tx.tx.query(`DELETE FROM platform.idempotency_keys WHERE created_at < now() - interval '24 hours'`);
  }
}
