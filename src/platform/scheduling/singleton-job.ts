import { SetMetadata } from '@nestjs/common';

export const SINGLETON_JOB_KEY = 'crm:singleton-job';

export interface SingletonJobOptions {
  /** Stable unique name `<ctx>.<purpose>`, e.g. `sales.recompute-forecasts`: keys the advisory lock and the job's state row. */
  name: string;
  /** Period: the job runs at most once per `everyMs` across all replicas (first run at the first tick). */
  everyMs: number;
}

/** A scheduled task object, for contexts that prefer registering one (`SingletonJobs.register`). */
export interface ScheduledTask extends SingletonJobOptions {
  run(): Promise<void>;
}

/**
 * Marks a provider method `() => Promise<void>` as a singleton job: at each scheduler tick the
 * job runs when due, on exactly one replica — the one that wins `pg_try_advisory_xact_lock`
 * (transaction-scoped: session locks leak through pools) — inside a transaction (use `Tx`).
 * A failure is recorded (`platform.singleton_jobs.last_error`) and the job runs again next period.
 */
export const SingletonJob = (options: SingletonJobOptions) => SetMetadata(SINGLETON_JOB_KEY, options);
