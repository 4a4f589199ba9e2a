import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '../identity/actor.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { metricsRegistry } from './metrics.js';
import { ReadinessRegistry } from './readiness.js';

@ApiTags('platform')
@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessRegistry,
  ) {}

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
  @ApiOkResponse({ description: 'Ready' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      ...this.readiness.checks.map((check) => (): Promise<HealthIndicatorResult> => check()),
    ]);
  }

  @Get('metrics')
  @Public()
  @Header('content-type', metricsRegistry.contentType)
  @ApiExcludeEndpoint()
  metrics() {
    return metricsRegistry.metrics();
  }
}
