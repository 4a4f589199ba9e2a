import type { TransactionalAdapter } from '@nestjs-cls/transactional';
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { CommitWrites } from './commit-writes.js';
import { statementName } from './prepared.js';

/** The pg client under a query runner (the calls this adapter makes). */
interface PgClient {
  pipeline?: boolean;
  connection?: { stream?: { cork(): void; uncork(): void } };
  query(config: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[]; command: string }>;
}

const ASYNC_COMMIT = 'SET LOCAL synchronous_commit = off';

type Runner = QueryRunner & { databaseConnection: PgClient; transactionDepth: number; isTransactionActive: boolean };

export interface CrmTransactionOptions {
  /**
   * `false`: COMMIT does not wait for the WAL flush (`synchronous_commit = off` for this
   * transaction only). A server crash can then forget the transaction WHOLE — for work that is
   * redone when it was not recorded as done (dispatcher and timer batches), nothing is lost.
   */
  synchronousCommit?: boolean;
}

/**
 * nestjs-cls' transactional adapter for TypeORM (replacing @nestjs-cls/transactional-adapter-typeorm,
 * which runs `DataSource.transaction`): the same transaction on one query runner, bound to the
 * CLS so that every repository and `Tx.tx` reach it, nested levels as TypeORM savepoints — but on
 * a server connection in pipeline mode (a real PostgreSQL; see `pipeline` in data-source-options)
 * the round trips that carry no answer the use case waits for are sent without waiting:
 * - `START TRANSACTION` goes out with the transaction's first statement, in the same socket
 *   write when the statement is sent in the same turn of the event loop (the server runs it first);
 * - the deferred writes ({@link CommitWrites}: audit, outbox, Idempotency-Key response) and
 *   `COMMIT` go out together in one socket write, and both answers are awaited: a failed write
 *   makes PostgreSQL turn the COMMIT into a rollback, and the failure is thrown as from any statement.
 * A create through the API with an Idempotency-Key takes 2 round trips in its transaction (BEGIN,
 * key lookup and INSERT; deferred writes and COMMIT) instead of 6; publishing an event alone 1
 * instead of 3. Without pipeline mode (the embedded database) it behaves as TypeORM's transaction does.
 */
export class CrmTransactionalAdapter implements TransactionalAdapter<DataSource, EntityManager, CrmTransactionOptions> {
  constructor(readonly connectionToken: unknown) {}

  optionsFactory = (dataSource: DataSource) => ({
    wrapWithTransaction: async (options: CrmTransactionOptions | undefined, fn: (...args: unknown[]) => Promise<unknown>, setTx: (tx?: EntityManager) => void) => {
      const runner = dataSource.createQueryRunner() as Runner;
      await runner.connect();
      const client = runner.databaseConnection;
      const pipelined = client.pipeline === true;
      let begin: Promise<unknown> | null = null;
      const asyncCommit = options?.synchronousCommit === false;
      try {
        if (pipelined) {
          // Queued on the socket now, before anything the use case sends, and written together
          // with what it sends in this turn of the event loop (one write); awaited at the end.
          const stream = client.connection?.stream;
          stream?.cork();
          begin = client.query(asyncCommit ? `START TRANSACTION; ${ASYNC_COMMIT}` : 'START TRANSACTION');
          if (stream) setImmediate(() => stream.uncork());
          begin.catch(() => undefined);
          runner.isTransactionActive = true;
          runner.transactionDepth = 1;
        } else {
          await runner.startTransaction();
          if (asyncCommit) await runner.query(ASYNC_COMMIT);
        }
        setTx(runner.manager);
        const result = await fn();
        await (begin ? commitPipelined(dataSource, runner, client, begin) : runner.commitTransaction());
        return result;
      } catch (error) {
        if (runner.isTransactionActive && !runner.isReleased) {
          if (begin) await begin.catch(() => undefined);
          await runner.rollbackTransaction().catch(() => undefined);
        }
        throw error;
      } finally {
        await runner.release();
      }
    },
    wrapWithNestedTransaction: (
      _options: CrmTransactionOptions,
      fn: (...args: unknown[]) => Promise<unknown>,
      setTx: (tx?: EntityManager) => void,
      tx: EntityManager,
    ) =>
      tx.transaction((nested) => {
        setTx(nested);
        return fn();
      }),
    getFallbackInstance: () => dataSource.manager,
  });
}

/** The deferred writes and COMMIT, sent back to back; the transaction's end as TypeORM's commit ends it. */
async function commitPipelined(dataSource: DataSource, runner: Runner, client: PgClient, begin: Promise<unknown>): Promise<void> {
  const flush = CommitWrites.of(dataSource)?.takeFlush(runner) ?? null;
  if (!flush) {
    await begin;
    return runner.commitTransaction();
  }
  // A transaction that only deferred writes (publishing events, say) costs ONE round trip:
  // its BEGIN is still on the way, and the writes and COMMIT follow it.
  const stream = client.connection?.stream;
  stream?.cork(); // one write for both
  const written = client.query({ name: statementName(flush.text), text: flush.text, values: flush.values });
  const commit = client.query('COMMIT');
  stream?.uncork();
  const [begun, writes, committed] = await Promise.allSettled([begin, written, commit]);
  runner.isTransactionActive = false;
  runner.transactionDepth = 0;
  if (begun.status === 'rejected') throw new QueryFailedError('START TRANSACTION', [], begun.reason as Error);
  if (writes.status === 'rejected') throw new QueryFailedError(flush.text, flush.values, writes.reason as Error);
  if (committed.status === 'rejected') throw new QueryFailedError('COMMIT', [], committed.reason as Error);
  // COMMIT of a transaction an earlier (caught) error had aborted answers ROLLBACK.
  if (committed.value.command !== 'COMMIT') throw new Error('the transaction was rolled back by an earlier error in it');
  flush.done(writes.value.rows[0] ?? {});
  await runner.broadcaster.broadcast('AfterTransactionCommit');
}
