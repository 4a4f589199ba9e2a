import { Injectable } from '@nestjs/common';
import { Tx } from '../../database/transaction.js';

export interface ThrottlePolicy {
  /** Failures within the window that block the key. */
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { limit: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };
export const IP_POLICY: ThrottlePolicy = { limit: 30, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/**
 * Failed sign-ins counted per key (`account:<email>`, `ip:<address>`) in PostgreSQL, so every
 * replica sees the same counters. One atomic upsert per failure; a key that reaches the limit
 * within the window is blocked for `blockSeconds` (further failures inside the window block
 * again at once).
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly tx: Tx) {}

  /** Seconds until every given key is unblocked; 0 when none is blocked. */
  async retryAfterSeconds(keys: string[]): Promise<number> {
    const rows: { seconds: number }[] = await this.tx.tx.query(
      `SELECT ceil(extract(epoch FROM blocked_until - now()))::int AS seconds FROM platform.login_throttle
        WHERE key = ANY($1::text[]) AND blocked_until > now()`,
      [keys],
    );
    return rows.reduce((max, r) => Math.max(max, r.seconds, 1), 0);
  }

  async recordFailure(key: string, policy: ThrottlePolicy): Promise<void> {
    await this.tx.tx.query(
      `INSERT INTO platform.login_throttle AS t (key, failures, window_started_at, blocked_until)
       VALUES ($1, 1, now(), CASE WHEN $2::int <= 1 THEN now() + make_interval(secs => $4::int) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::int) THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::int) THEN now() ELSE t.window_started_at END,
         blocked_until = CASE
           WHEN (CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::int) THEN 1 ELSE t.failures + 1 END) >= $2::int
           THEN now() + make_interval(secs => $4::int) ELSE t.blocked_until END`,
      [key, policy.limit, policy.windowSeconds, policy.blockSeconds],
    );
  }

  async reset(key: string): Promise<void> {
    await this.tx.tx.query(`DELETE FROM platform.login_throttle WHERE key = $1`, [key]);
  }
}
