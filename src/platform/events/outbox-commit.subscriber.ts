import { Injectable } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import { EventDispatcher } from './event-dispatcher.js';
import { OUTBOX_WRITTEN } from './outbox-publisher.js';

/**
 * Nudges the dispatcher right after a transaction that wrote outbox rows commits (the
 * publisher marks the transaction's query runner), so delivery does not wait for the next
 * poll. Works on the embedded database too, where LISTEN/NOTIFY does not cross connections.
 * Savepoint commits (nested transactions) are ignored: only the outermost commit counts.
 */
@Injectable()
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(dataSource: DataSource, private readonly dispatcher: EventDispatcher) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    const data = runner.data as Record<string, unknown> | undefined;
    if (runner.isTransactionActive || !data?.[OUTBOX_WRITTEN]) return;
    delete data[OUTBOX_WRITTEN];
    this.dispatcher.nudge();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    const data = runner.data as Record<string, unknown> | undefined;
    if (!runner.isTransactionActive && data) delete data[OUTBOX_WRITTEN];
  }
}
