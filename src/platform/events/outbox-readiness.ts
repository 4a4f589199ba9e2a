import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '../observability/readiness.js';
import { readOutboxStats } from './event-metrics.js';
import { EventsSettings } from './events-settings.js';

/**
 * `/health/ready` reports `outbox: degraded` (overall status `degraded`, still 200) while the
 * oldest undelivered event is older than OUTBOX_LAG_THRESHOLD_MS: the process serves, but
 * background delivery is behind — an alert, not a reason to pull every replica.
 */
@Injectable()
export class OutboxReadiness implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry, private readonly settings: EventsSettings) {}

  onModuleInit(): void {
    this.readiness.register(async () => {
      const stats = await readOutboxStats();
      const behind = stats.lagSeconds * 1000 > this.settings.lagThresholdMs;
      return {
        outbox: {
          status: behind ? 'degraded' : 'up',
          lagSeconds: Math.round(stats.lagSeconds * 1000) / 1000,
          thresholdSeconds: this.settings.lagThresholdMs / 1000,
          parked: stats.parked,
        },
      };
    });
  }
}
