import { Injectable } from '@nestjs/common';
import { OnTimer, type DueTimer } from '../../../platform/scheduling/timers.js';
import { ApprovalEngine, STEP_TIMEOUT_TIMER, type StepTimeoutPayload } from './approval-engine.service.js';

/** A step's timeout is due (durable timer, fired once across replicas): remind, escalate or decide. */
@Injectable()
export class StepTimeoutJob {
  constructor(private readonly engine: ApprovalEngine) {}

  @OnTimer(STEP_TIMEOUT_TIMER)
  async run(timer: DueTimer<StepTimeoutPayload>): Promise<void> {
    await this.engine.onStepTimeout(timer.payload.stepId);
  }
}
