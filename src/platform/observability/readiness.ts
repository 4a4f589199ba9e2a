import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

/**
 * Extra readiness checks contributed by platform modules (e.g. outbox lag): inject it and call
 * `register` in `onModuleInit`. A check reports `down` to make `/health/ready` answer 503.
 */
@Injectable()
export class ReadinessRegistry {
  readonly checks: ReadinessCheck[] = [];
  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }
}
