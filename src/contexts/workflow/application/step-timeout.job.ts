import { Injectable } from '@nestjs/common';
import { OnTimers, type DueTimer } from '../../../platform/scheduling/timers.js';
import { STEP_TIMEOUT_TIMER, type StepTimeoutPayload } from './approval-engine.service.js';
import { StepTimeouts } from './step-timeouts.service.js';

/**
 * Steps' timeouts are due (durable timers, each fired once across replicas): remind, escalate or
 * decide, a batch of timers in one transaction (see StepTimeouts; the scheduler falls back to one
 * timer at a time when a batch fails).
 */
@Injectable()
export class StepTimeoutJob {
  constructor(private readonly timeouts: StepTimeouts) {}

  @OnTimers(STEP_TIMEOUT_TIMER, { batchSize: 500 })
  async run(timers: DueTimer<StepTimeoutPayload>[]): Promise<void> {
    await this.timeouts.fire(timers.map((t) => t.payload.stepId));
  }
}
