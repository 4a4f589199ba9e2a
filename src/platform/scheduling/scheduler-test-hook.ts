import { Injectable } from '@nestjs/common';
import { Scheduler } from './scheduler.js';

/**
 * For tests: `await app.get(SchedulerTestHook).runDue(at)` fires, synchronously, every timer due
 * at or before `at` (including timers that handlers schedule due by then) and runs the singleton
 * jobs due at `at`. Returns how many timers fired plus how many jobs ran. It does not move the
 * `Clock`: set it too when handlers read the time.
 */
@Injectable()
export class SchedulerTestHook {
  constructor(private readonly scheduler: Scheduler) {}

  async runDue(at: Date): Promise<number> {
    const fired = await this.scheduler.fireDueTimers(at);
    return fired + (await this.scheduler.runDueJobs(at));
  }
}
