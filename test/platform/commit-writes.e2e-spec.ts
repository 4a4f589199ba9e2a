import { Propagation } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { AuditLog } from '../../src/platform/audit/audit-log';
import { CommitWrites } from '../../src/platform/database/commit-writes';
import { Tx } from '../../src/platform/database/transaction';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Audit rows, outbox events and stored Idempotency-Key responses are written in one statement
 * right before COMMIT (CommitWrites). Proves they keep the transaction's semantics: what a
 * rolled-back savepoint or transaction deferred is never written, the rest is.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' } });
});
afterAll(() => app?.close());

const inTransaction = <T>(fn: () => Promise<T>) => app.get(ClsService).run(() => app.get(Tx).withTransaction(fn));
const audit = (recordId: string) => app.get(AuditLog).record({ actor: null, recordType: 'test.commit-writes', recordId, action: 'create', after: { recordId } });
const publish = (aggregateId: string) =>
  app.get(EventPublisher).publish({ type: 'test.commit-writes.happened', aggregateType: 'test.thing', aggregateId, payload: { aggregateId } });
const audited = async () =>
  (await app.sql<{ record_id: string }>(`SELECT record_id FROM platform.audit_entries WHERE record_type = 'test.commit-writes' ORDER BY record_id`)).map((r) => r.record_id);
const published = async () =>
  (await app.sql<{ aggregate_id: string }>(`SELECT aggregate_id FROM platform.outbox_events WHERE type = 'test.commit-writes.happened' ORDER BY seq`)).map((r) => r.aggregate_id);

it('writes what committed, drops what a rolled-back savepoint or transaction deferred, in publication order', async () => {
  const tx = app.get(Tx);
  await inTransaction(async () => {
    await audit('a-outer');
    await publish('e1');
    await tx.withTransaction(Propagation.Nested, async () => {
      await audit('b-kept-savepoint');
      await publish('e2');
    });
    await tx
      .withTransaction(Propagation.Nested, async () => {
        await audit('c-rolled-back-savepoint');
        await publish('lost-1');
        throw new Error('roll this savepoint back');
      })
      .catch(() => undefined);
    // A savepoint taken by hand (as the dispatcher does) and rolled back.
    const commitWrites = app.get(CommitWrites);
    const mark = commitWrites.mark(tx.tx);
    await tx.tx.query('SAVEPOINT by_hand');
    await audit('d-rolled-back-by-hand');
    await publish('lost-2');
    await tx.tx.query('ROLLBACK TO SAVEPOINT by_hand');
    commitWrites.rollbackTo(tx.tx, mark);
    await publish('e3');
    // Nothing is written before the commit.
    expect(await tx.tx.query(`SELECT count(*)::int AS n FROM platform.audit_entries WHERE record_type = 'test.commit-writes'`)).toEqual([{ n: 0 }]);
  });
  await inTransaction(async () => {
    await audit('e-whole-transaction-rolled-back');
    await publish('lost-3');
    throw new Error('roll everything back');
  }).catch(() => undefined);

  expect(await audited()).toEqual(['a-outer', 'b-kept-savepoint']);
  expect(await published()).toEqual(['e1', 'e2', 'e3']);
});

it('rolls the transaction back when the deferred statement fails at commit', async () => {
  await expect(
    inTransaction(async () => {
      await app.get(Tx).tx.query(`INSERT INTO platform.singleton_jobs (name, next_run_at) VALUES ('test.commit-writes', now())`);
      // An audit row whose id is not a UUID: the INSERT before COMMIT fails.
      app.get(CommitWrites).defer(app.get(Tx).tx, 'audit', { id: 'not-a-uuid', at: new Date().toISOString(), record_type: 'x', record_id: 'x', action: 'x', changes: {} });
    }),
  ).rejects.toThrow(/uuid/);
  expect(await app.sql(`SELECT 1 FROM platform.singleton_jobs WHERE name = 'test.commit-writes'`)).toEqual([]);
});
