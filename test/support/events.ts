import type { DomainEvent } from '../../src/platform/events/domain-event';
import { EventsTestHook } from '../../src/platform/events/events-test-hook';
import type { TestApp } from './test-app';

interface OutboxRow {
  id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  aggregate_type: string;
  aggregate_id: string;
  actor_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * The events committed to the outbox (platform.outbox_events), oldest first, as DomainEvents:
 * `expect(await published(app, 'sales.opportunity.won')).toEqual([expect.objectContaining({ aggregateId })])`.
 * `type` may end with `*` to match a prefix (`sales.opportunity.*`).
 */
export async function published<T = Record<string, unknown>>(app: TestApp, type?: string): Promise<DomainEvent<T>[]> {
  const filter = type?.endsWith('*') ? { sql: 'WHERE type LIKE $1', value: `${type.slice(0, -1)}%` } : type ? { sql: 'WHERE type = $1', value: type } : null;
  const rows = await app.sql<OutboxRow>(
    `SELECT id, type, schema_version, occurred_at, aggregate_type, aggregate_id, actor_id, correlation_id, causation_id, payload
       FROM platform.outbox_events ${filter?.sql ?? ''} ORDER BY seq`,
    filter ? [filter.value] : [],
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    schemaVersion: r.schema_version,
    occurredAt: new Date(r.occurred_at).toISOString(),
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    actorId: r.actor_id,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    payload: r.payload as T,
  }));
}

/** Delivers every due event delivery now (see EventsTestHook.drain). */
export function drainEvents(app: TestApp): Promise<void> {
  return app.get(EventsTestHook).drain();
}
