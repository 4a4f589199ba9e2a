import { Injectable } from '@nestjs/common';
import { EventDispatcher } from './event-dispatcher.js';

/**
 * For tests: `await app.get(EventsTestHook).drain()` delivers every pending delivery that is
 * due now (by the `Clock`) in this process, batch after batch, until nothing is left — also
 * the deliveries that consumers publish along the way. Deliveries waiting for a retry backoff
 * are not due: move the clock (`Clock.advance`) and drain again.
 */
@Injectable()
export class EventsTestHook {
  constructor(private readonly dispatcher: EventDispatcher) {}

  drain(): Promise<void> {
    return this.dispatcher.drain();
  }
}
