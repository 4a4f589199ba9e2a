import { Global, Module } from '@nestjs/common';
import { ObservabilityController } from './observability.controller.js';
import { ReadinessRegistry } from './readiness.js';
import { OpenApiTags } from '../http/openapi-tags.js';

/**
 * `/health/live`, `/health/ready` (database ping plus the checks other modules register with
 * {@link ReadinessRegistry}) and `/metrics` (Prometheus).
 */
@OpenApiTags({ name: 'platform', description: 'Health, metrics, events administration' })
@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class ObservabilityModule {}
