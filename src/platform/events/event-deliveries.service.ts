import { Injectable, Optional } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { AuditLog } from '../audit/audit-log.js';
import { Tx, Transactional } from '../database/transaction.js';
import { updateVersioned } from '../database/versioned-update.js';
import { DomainError, NotFoundError } from '../errors/domain-error.js';
import { paginate, type Page } from '../http/pagination.js';
import { CLS_ACTOR, type Actor } from '../identity/domain/actor.js';
import { Clock } from '../scheduling/clock.js';
import { EventDelivery } from './event-delivery.entity.js';
import type { EventDeliveryListQuery } from './event-delivery.request.js';
import { markOutboxWritten } from './outbox-publisher.js';

/** Admin use cases on deliveries: list (e.g. the parked ones) and retry one. */
@Injectable()
export class EventDeliveriesService {
  constructor(
    private readonly tx: Tx,
    private readonly clock: Clock,
    private readonly cls: ClsService,
    @Optional() private readonly audit?: AuditLog,
  ) {}

  list(query: EventDeliveryListQuery): Promise<Page<EventDelivery>> {
    const qb = this.tx.tx.getRepository(EventDelivery).createQueryBuilder('d');
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.consumer) qb.andWhere('d.consumer = :consumer', { consumer: query.consumer });
    if (query.eventType) qb.andWhere('d.eventType = :eventType', { eventType: query.eventType });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
  }

  /** Parked (or failing) delivery → pending, attempts reset, due now; delivered ones cannot be retried. */
  @Transactional()
  async retry(id: string, expectedVersion?: number): Promise<EventDelivery> {
    const em = this.tx.tx;
    const current = await em.getRepository(EventDelivery).findOneBy({ id });
    if (!current) throw new NotFoundError('Event delivery', id);
    if (current.status === 'done') {
      throw new DomainError('conflict', 'platform.event-delivery.already-delivered', 'This delivery already succeeded; replay the consumer to deliver it again');
    }
    const updated = await updateVersioned(em, EventDelivery, 'Event delivery', id, expectedVersion, {
      status: 'pending',
      attempts: 0,
      nextAttemptAt: this.clock.now(),
      lastError: null,
    } as Partial<EventDelivery>);
    await this.audit?.record({
      actor: this.cls.get<Actor | undefined>(CLS_ACTOR) ?? null,
      recordType: 'platform.event-delivery',
      recordId: id,
      action: 'retry',
      before: { status: current.status, attempts: current.attempts },
      after: { status: updated.status, attempts: updated.attempts },
    });
    markOutboxWritten(em); // nudge the dispatcher once this commits
    return updated;
  }
}
