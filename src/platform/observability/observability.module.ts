import { Global, Module } from '@nestjs/common';
import { ObservabilityController } from './observability.controller.js';
import { ReadinessRegistry } from './readiness.js';

/**
 * `/health/live`, `/health/ready` (database ping plus the checks other modules register with
 * {@link ReadinessRegistry}) and `/metrics` (Prometheus).
 */
@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class ObservabilityModule {}
