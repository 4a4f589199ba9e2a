import { Injectable } from '@nestjs/common';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import type { SalesEvents, SalesEventType } from '../public/events.js';

/**
 * Publishes Sales' declared events with their typed payloads (into the outbox, inside the
 * current use case's transaction). The aggregate type is the event type's first two segments.
 */
@Injectable()
export class SalesEventPublisher {
  constructor(private readonly publisher: EventPublisher) {}

  async publish<K extends SalesEventType>(type: K, aggregateId: string, payload: SalesEvents[K]): Promise<void> {
    await this.publisher.publish({ type, aggregateType: type.split('.').slice(0, 2).join('.'), aggregateId, payload });
  }
}

/** Escapes `%`, `_` and `\` for a LIKE pattern and wraps the lower-cased text in `%…%`. */
export const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
