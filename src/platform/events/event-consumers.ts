import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEvent } from './domain-event.js';
import { matchesPattern } from './event-pattern.js';
import { ON_DOMAIN_EVENT_KEY, type DomainEventSubscription } from './on-domain-event.decorator.js';

export interface RegisteredConsumer extends DomainEventSubscription {
  /** `ClassName.method`, for the catalogue and logs. */
  handler: string;
}

/** Event emitter channel on which one consumer's deliveries are dispatched. */
export const deliveryChannel = (consumer: string) => `domain-event-delivery:${consumer}`;

/**
 * Finds every `@OnDomainEvent` method at start-up and subscribes it on the application's
 * event emitter (@nestjs/event-emitter) under its consumer's delivery channel; the dispatcher
 * emits each delivery there. Consumer names must be unique: they key the inbox.
 */
@Injectable()
export class EventConsumers implements OnModuleInit {
  private consumers: RegisteredConsumer[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly emitter: EventEmitter2,
  ) {}

  onModuleInit(): void {
    const found: RegisteredConsumer[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const subscription = this.reflector.get<DomainEventSubscription | undefined>(ON_DOMAIN_EVENT_KEY, fn as () => void);
        if (!subscription) continue;
        if (!/^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$/.test(subscription.consumer)) {
          throw new Error(`@OnDomainEvent consumer "${subscription.consumer}" must be '<ctx>.<purpose>' in kebab-case`);
        }
        const handler = `${instance.constructor.name}.${method}`;
        const clash = found.find((c) => c.consumer === subscription.consumer);
        if (clash) throw new Error(`Consumer "${subscription.consumer}" is declared twice (${clash.handler}, ${handler}); consumer names key the inbox`);
        found.push({ ...subscription, handler });
        this.emitter.on(deliveryChannel(subscription.consumer), (event: DomainEvent) =>
          (fn as (e: DomainEvent) => unknown).call(instance, event),
        );
      }
    }
    this.consumers = found;
  }

  all(): readonly RegisteredConsumer[] {
    return this.consumers;
  }

  names(): string[] {
    return this.consumers.map((c) => c.consumer);
  }

  has(consumer: string): boolean {
    return this.consumers.some((c) => c.consumer === consumer);
  }

  /** Consumers whose pattern matches the event type and that want only declared types. */
  matchingDeclared(type: string): Set<string> {
    return new Set(this.consumers.filter((c) => c.interest === 'declared' && matchesPattern(c.pattern, type)).map((c) => c.consumer));
  }

  /** Consumers whose pattern matches the event type. */
  matching(type: string): string[] {
    return this.consumers.filter((c) => matchesPattern(c.pattern, type)).map((c) => c.consumer);
  }
}
