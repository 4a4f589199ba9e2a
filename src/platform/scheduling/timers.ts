import { SetMetadata } from '@nestjs/common';

export interface TimerSpec<T = Record<string, unknown>> {
  /** Handler kind, e.g. `sales.activity-reminder`. */
  kind: string;
  /** Unique per kind (e.g. the activity id): scheduling the same key again replaces the timer. */
  key: string;
  dueAt: Date;
  payload?: T;
}

export interface DueTimer<T = Record<string, unknown>> {
  id: string;
  kind: string;
  key: string;
  dueAt: Date;
  payload: T;
  attempts: number;
}

/**
 * Durable timers: rows in `platform.timers` with a `due_at`, claimed in batches with
 * `FOR UPDATE SKIP LOCKED` by the scheduler tick, so each fires once across replicas.
 * `schedule`/`cancel` join the current use case's transaction.
 *
 * Inject `Timers` (the scheduling module binds the implementation).
 */
export abstract class Timers {
  abstract schedule<T extends object>(timer: TimerSpec<T>): Promise<void>;
  abstract cancel(kind: string, key: string): Promise<void>;
}

export const ON_TIMER_KEY = 'crm:on-timer';

/**
 * Marks a provider method as the handler of due timers of `kind`. It runs in its own
 * transaction together with the timer's completion: `(timer: DueTimer<T>) => Promise<void>`.
 */
export const OnTimer = (kind: string) => SetMetadata(ON_TIMER_KEY, kind);

export const ON_TIMERS_KEY = 'crm:on-timers';

export interface OnTimersOptions {
  /** At most this many timers per call (default: the scheduler's claim size, 500). */
  batchSize?: number;
}

/**
 * Marks a provider method as the BATCH handler of due timers of `kind`, for kinds that fire in
 * bulk (reminders, escalations): `(timers: DueTimer<T>[]) => Promise<void>`. The scheduler hands
 * it up to `batchSize` claimed timers of that kind at once; the call runs in ONE transaction
 * (a savepoint of the claim's transaction) together with the deletion of those timer rows, so
 * write it set-based (bulk loads, bulk updates/inserts, `EventPublisher.publishAll`).
 *
 * Contract:
 * - Each timer is handed out once across replicas (claimed with `FOR UPDATE SKIP LOCKED`);
 *   a timer is in at most one call at a time, and the array holds distinct timers of `kind`.
 * - All or nothing: if the call throws, its effects are rolled back and the scheduler falls back
 *   to calling the handler once per timer with a one-element array (each in its own savepoint),
 *   so one bad timer does not block the others; timers that still fail are retried with
 *   backoff (`attempts` grows) and end as `failed`, exactly like `@OnTimer`.
 * - Hence the handler must be correct for any subset of a batch (including `[timer]`), and must
 *   not swallow per-timer failures it wants retried (throw instead).
 * - A kind has either an `@OnTimer` or an `@OnTimers` handler, never both.
 */
export const OnTimers = (kind: string, options: OnTimersOptions = {}) => SetMetadata(ON_TIMERS_KEY, { kind, ...options });
