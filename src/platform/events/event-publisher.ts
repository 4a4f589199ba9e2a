import type { DomainEvent, NewDomainEvent } from './domain-event.js';

/**
 * Publishes domain events through the transactional outbox: `publish` writes the event to
 * `platform.outbox_events` with the current use case's transaction (via `Tx`), so it is
 * delivered only if that transaction commits. Call it inside a `@Transactional()` method.
 * Actor and correlation ids come from the request context.
 *
 * Inject `EventPublisher` (the events module binds the implementation).
 */
export abstract class EventPublisher {
  abstract publish<T extends object>(event: NewDomainEvent<T>): Promise<DomainEvent<T>>;
  abstract publishAll(events: NewDomainEvent<object>[]): Promise<DomainEvent<object>[]>;
}
