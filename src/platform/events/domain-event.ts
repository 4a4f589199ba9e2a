/**
 * A fact one context tells the others. Type names are `<context>.<aggregate>.<past-tense>`
 * (`sales.opportunity.won`). Payloads carry ids and scalars, never entities.
 */
export interface DomainEvent<T = Record<string, unknown>> {
  /** UUID v7: time-ordered. */
  id: string;
  type: string;
  schemaVersion: number;
  /** ISO 8601 UTC. */
  occurredAt: string;
  aggregateType: string;
  aggregateId: string;
  /** User or API key that caused it; null for the system (schedulers). */
  actorId: string | null;
  /** The request (or root event) this event descends from. */
  correlationId: string | null;
  /** The event that caused this one, when published by a consumer. */
  causationId: string | null;
  payload: T;
}

/** What a use case hands to `EventPublisher.publish`; the rest is filled in. */
export interface NewDomainEvent<T = Record<string, unknown>> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: T;
  schemaVersion?: number;
}

/**
 * Declaration of an event a context publishes, for the generated catalogue (docs/events.md).
 * Each context exports `export const <CTX>_EVENT_CATALOG: EventDeclaration[]` from public/events.ts.
 */
export interface EventDeclaration {
  type: string;
  description: string;
  /** Payload field → type and meaning, e.g. `{ opportunityId: 'uuid — the opportunity' }`. */
  payload: Record<string, string>;
}
