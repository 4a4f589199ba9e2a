import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Clock } from './clock.js';
import { DbTimers } from './db-timers.js';
import { MaintenanceJobs } from './maintenance.job.js';
import { Scheduler } from './scheduler.js';
import { SchedulerTestHook } from './scheduler-test-hook.js';
import { Timers } from './timers.js';

/**
 * Time and scheduled work: `Clock`, durable `Timers` (+ `@OnTimer(kind)` handlers, or batch
 * handlers `@OnTimers(kind, { batchSize })`), singleton jobs (`@SingletonJob({ name, everyMs })`
 * or `Scheduler.register({ name, everyMs, run })`) and the `SchedulerTestHook`. The tick runs only when `config.workers` is on.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [Clock, { provide: Timers, useClass: DbTimers }, Scheduler, SchedulerTestHook, MaintenanceJobs],
  exports: [Clock, Timers, Scheduler, SchedulerTestHook],
})
export class SchedulingModule {}
