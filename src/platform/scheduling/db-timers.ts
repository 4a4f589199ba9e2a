import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction.js';
import { Timers, type TimerSpec } from './timers.js';

/**
 * Durable timers in `platform.timers`, written with the current use case's transaction (or on
 * their own outside one). Scheduling the same (kind, key) again replaces the timer — even
 * while it fires: the firing completes only the generation it claimed.
 */
@Injectable()
export class DbTimers extends Timers {
  constructor(private readonly tx: Tx) {
    super();
  }

  async schedule<T extends object>(timer: TimerSpec<T>): Promise<void> {
    if (!(timer.dueAt instanceof Date) || Number.isNaN(timer.dueAt.getTime())) throw new Error(`Timer ${timer.kind}/${timer.key}: dueAt must be a valid Date`);
    await this.tx.tx.query(
      `INSERT INTO platform.timers (kind, key, due_at, payload) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, key) DO UPDATE
         SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, status = 'scheduled', attempts = 0,
             last_error = NULL, generation = platform.timers.generation + 1`,
      [timer.kind, timer.key, timer.dueAt, JSON.stringify(timer.payload ?? {})],
    );
  }

  async cancel(kind: string, key: string): Promise<void> {
    await this.tx.tx.query(`DELETE FROM platform.timers WHERE kind = $1 AND key = $2`, [kind, key]);
  }
}
