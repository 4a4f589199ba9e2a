import { SetMetadata } from '@nestjs/common';

export const ON_DOMAIN_EVENT_KEY = 'crm:on-domain-event';

export interface DomainEventConsumerOptions {
  /** Stable, unique consumer name `<ctx>.<purpose>`, e.g. `finance.open-cost-centre`; the inbox key. */
  consumer: string;
  /**
   * `'declared'`: of the types the pattern matches, deliver only those the consumer declared
   * with `ConsumerInterests.add(consumer, type)` (committed with the same database, so a type
   * declared in a transaction is delivered from the next commit on). For consumers driven by
   * data, such as automation rules on any event: no delivery rows for events nobody acts on.
   */
  interest?: 'declared';
}

export interface DomainEventSubscription extends DomainEventConsumerOptions {
  /** Exact type (`sales.opportunity.created`) or wildcard pattern (`sales.opportunity.*`, `*.*.approval-requested`). */
  pattern: string;
}

/**
 * Marks a provider method as a consumer of domain events: `(event: DomainEvent<P>) => Promise<void>`.
 * The dispatcher delivers each matching committed event once per consumer, in its own
 * transaction that also records `(event_id, consumer)` in the inbox; failures retry with
 * backoff, then park. Use `Tx` inside as in any use case.
 */
export const OnDomainEvent = (pattern: string, options: DomainEventConsumerOptions) =>
  SetMetadata<string, DomainEventSubscription>(ON_DOMAIN_EVENT_KEY, { pattern, ...options });
