import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsumerInterests } from './consumer-interests.js';
import { EventConsumers } from './event-consumers.js';
import { EventDeliveriesController } from './event-deliveries.controller.js';
import { EventDeliveriesService } from './event-deliveries.service.js';
import { EventDelivery } from './event-delivery.entity.js';
import { EventDispatcher } from './event-dispatcher.js';
import { EventPublisher } from './event-publisher.js';
import { EventReplay } from './event-replay.js';
import { EventsSettings } from './events-settings.js';
import { EventsTestHook } from './events-test-hook.js';
import { OutboxCommitSubscriber } from './outbox-commit.subscriber.js';
import { OutboxEventPublisher } from './outbox-publisher.js';
import { OutboxReadiness } from './outbox-readiness.js';
import { OutboxRetentionJob } from './outbox-retention.job.js';
import { OpenApiTags } from '../http/openapi-tags.js';

/**
 * Domain events: the transactional outbox (`EventPublisher`), the dispatcher that delivers to
 * `@OnDomainEvent` consumers with an inbox, retries and parking, the admin endpoints for
 * deliveries, outbox metrics and readiness, replay and retention. Worker loops run only when
 * `config.workers` is on; `EventsTestHook.drain()` delivers synchronously in tests.
 */
@OpenApiTags({ name: 'platform', description: 'Health, metrics, events administration' })
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([EventDelivery])],
  controllers: [EventDeliveriesController],
  providers: [
    ConsumerInterests,
    EventsSettings,
    EventConsumers,
    { provide: EventPublisher, useClass: OutboxEventPublisher },
    EventDispatcher,
    OutboxCommitSubscriber,
    EventsTestHook,
    EventReplay,
    EventDeliveriesService,
    OutboxReadiness,
    OutboxRetentionJob,
  ],
  exports: [EventPublisher, EventsTestHook, EventReplay, EventConsumers, EventsSettings, EventDispatcher, ConsumerInterests],
})
export class EventsModule {}
