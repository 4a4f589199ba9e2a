import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../identity/domain/actor.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { metricsRegistry } from './metrics.js';
import { ReadinessRegistry, type ReadinessReport } from './readiness.js';

@ApiTags('platform')
@Controller()
export class ObservabilityController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('health/live')
  @Endpoint({ operationId: 'platform_live', summary: 'Liveness: the process answers', public: true })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Endpoint({
    operationId: 'platform_ready',
    summary: 'Readiness: the database answers and background work keeps up',
    description: 'Used by load balancers: 503 while the database is unreachable or a registered check (e.g. outbox lag) is down.',
    public: true,
    errors: [503],
  })
  @ApiOkResponse({
    description: 'Ready (`status` is `degraded` while a check such as the outbox lag is over its threshold)',
    schema: {
      type: 'object',
      required: ['status', 'info', 'error', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok', 'degraded'], example: 'ok' },
        info: { type: 'object', additionalProperties: true, description: 'Checks that are up or degraded' },
        error: { type: 'object', additionalProperties: true, description: 'Checks that are down (empty when ready)' },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'Every check by name: `status` (up, degraded, down) and its figures',
          example: { database: { status: 'up' }, outbox: { status: 'up', lagSeconds: 0, thresholdSeconds: 60, parked: 0 } },
        },
      },
    },
  })
  ready(): Promise<ReadinessReport> {
    return this.readiness.report();
  }

  @Get('metrics')
  @Public()
  @Header('content-type', metricsRegistry.contentType)
  @ApiExcludeEndpoint()
  metrics() {
    return metricsRegistry.metrics();
  }
}
