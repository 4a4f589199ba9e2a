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
