import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/**
 * Tunables of the dispatcher, from {@link AppConfig.events}. Mutable on purpose: tests lower
 * `maxAttempts` or the backoff to exercise parking without waiting.
 */
@Injectable()
export class EventsSettings {
  maxAttempts: number;
  backoffBaseMs = 1000;
  backoffMaxMs = 3_600_000;
  batchSize = 250;
  /** A dispatcher loop that claims this many deliveries at once wakes another idle loop. */
  fanOutAt = 32;
  pollMs: number;
  dispatchers: number;
  lagThresholdMs: number;
  retentionDays: number;
  workers: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxAttempts = config.events.maxAttempts;
    this.pollMs = config.events.pollMs;
    this.dispatchers = config.events.dispatchers;
    this.lagThresholdMs = config.events.lagThresholdMs;
    this.retentionDays = config.events.retentionDays;
    this.workers = config.workers;
  }
}
