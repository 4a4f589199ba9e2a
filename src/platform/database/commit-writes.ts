import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { queryPrepared } from './prepared.js';

/**
 * A kind of write a transaction must make but whose result nobody reads before COMMIT (audit
 * rows, outbox events, the stored response of an Idempotency-Key). Its rows are one JSON
 * document (`$doc` in the CTEs); `ctes` are data-modifying CTEs named after the kind.
 */
export interface CommitWriteKind {
  /** `name AS (…)` entries; `doc` is the parameter holding the JSON array of this kind's rows. */
  ctes(doc: string): string[];
  /** An expression the final SELECT returns for `afterFlush` (e.g. a count of a CTE's rows). */
  result?: string;
  afterFlush?(runner: QueryRunner, value: unknown): void;
}

interface Pending {
  kind: string;
  row: object;
  /** The query runner's transaction depth when it was deferred (1 = outermost, 2+ = savepoints). */
  depth: number;
}

const PENDING = 'crm:commit-writes';

const byDataSource = new WeakMap<DataSource, CommitWrites>();

type Runner = QueryRunner & { transactionDepth?: number; data: Record<string, unknown> };

/**
 * Writes deferred to the end of the transaction: everything deferred in a transaction goes to
 * the database in ONE statement (data-modifying CTEs fed by JSON documents, prepared once per
 * connection) right before its COMMIT, instead of one round trip per audit row, event batch
 * and idempotency record as they happen. Same atomicity: the statement runs inside the
 * transaction, its failure rolls the transaction back, and a rolled-back transaction or
 * savepoint drops what was deferred in it (TypeORM's nested transactions via the commit and
 * rollback events; a hand-made savepoint with {@link mark} / {@link rollbackTo}).
 *
 * Only for writes nothing in the same transaction reads back.
 */
@Injectable()
export class CommitWrites implements EntitySubscriberInterface {
  private readonly kinds = new Map<string, CommitWriteKind>();
  /** The flush statement per combination of kinds (`kind,kind`), built once. */
  private readonly texts = new Map<string, string>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
    byDataSource.set(dataSource, this);
  }

  /** The instance serving this data source (the transactional adapter commits through it). */
  static of(dataSource: DataSource): CommitWrites | undefined {
    return byDataSource.get(dataSource);
  }

  register(kind: string, definition: CommitWriteKind): void {
    this.kinds.set(kind, definition);
    this.texts.clear();
  }

  /** Defers `row` of `kind` to the commit of the open transaction of `em`. */
  defer(em: EntityManager, kind: string, row: object): void {
    const runner = em.queryRunner as Runner | undefined;
    if (!runner?.isTransactionActive) throw new Error(`a ${kind} write must be made inside a transaction`);
    if (!this.kinds.has(kind)) throw new Error(`no commit write kind ${kind}`);
    pendingOf(runner).push({ kind, row, depth: runner.transactionDepth ?? 1 });
  }

  /** How much is deferred now (before a hand-made SAVEPOINT). */
  mark(em: EntityManager): number {
    const runner = em.queryRunner as Runner | undefined;
    return runner ? pendingOf(runner).length : 0;
  }

  /** Forgets what was deferred after `mark` (after a hand-made ROLLBACK TO SAVEPOINT). */
  rollbackTo(em: EntityManager, mark: number): void {
    const runner = em.queryRunner as Runner | undefined;
    if (runner) pendingOf(runner).length = mark;
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner as Runner;
    const depth = runner.transactionDepth ?? 1;
    const pending = runner.data?.[PENDING] as Pending[] | undefined;
    if (!pending?.length) return;
    if (depth > 1) {
      // A savepoint released: what it deferred now belongs to the enclosing level.
      for (const item of pending) if (item.depth >= depth) item.depth = depth - 1;
      return;
    }
    runner.data[PENDING] = [];
    await this.flush(runner, pending);
  }

  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner as Runner;
    const pending = runner.data?.[PENDING] as Pending[] | undefined;
    if (!pending?.length) return;
    const depth = runner.transactionDepth ?? 1;
    runner.data[PENDING] = pending.filter((item) => item.depth < depth);
  }

  /**
   * Takes what the outermost level of `runner`'s transaction deferred, as the statement that
   * writes it (`null` when nothing is deferred) and what to do with its result row.
   */
  takeFlush(runner: QueryRunner): { text: string; values: string[]; done: (row: Record<string, unknown>) => void } | null {
    const r = runner as Runner;
    const pending = r.data?.[PENDING] as Pending[] | undefined;
    if (!pending?.length) return null;
    r.data[PENDING] = [];
    return this.statement(r, pending);
  }

  private async flush(runner: Runner, pending: Pending[]): Promise<void> {
    const { text, values, done } = this.statement(runner, pending);
    const [row] = await queryPrepared<Record<string, unknown>>(runner.manager, text, values);
    done(row);
  }

  private statement(runner: Runner, pending: Pending[]): { text: string; values: string[]; done: (row: Record<string, unknown>) => void } {
    const byKind = new Map<string, object[]>();
    for (const { kind, row } of pending) {
      const rows = byKind.get(kind);
      if (rows) rows.push(row);
      else byKind.set(kind, [row]);
    }
    const kinds = [...byKind.keys()].sort();
    const values = kinds.map((kind) => JSON.stringify(byKind.get(kind)));
    // The kinds present decide the text: a handful of combinations, each built and prepared once.
    const key = kinds.join(',');
    let text = this.texts.get(key);
    if (text === undefined) {
      const ctes: string[] = [];
      const results: string[] = [];
      kinds.forEach((kind, i) => {
        const definition = this.kinds.get(kind)!;
        ctes.push(...definition.ctes(`$${i + 1}::jsonb`));
        results.push(definition.result ? `${definition.result} AS "${kind}"` : `NULL AS "${kind}"`);
      });
      text = `WITH ${ctes.join(',\n')}\nSELECT ${results.join(', ')}`;
      this.texts.set(key, text);
    }
    return {
      text,
      values,
      done: (row) => {
        for (const kind of kinds) this.kinds.get(kind)!.afterFlush?.(runner, row[kind]);
      },
    };
  }
}

function pendingOf(runner: Runner): Pending[] {
  runner.data ??= {};
  let pending = runner.data[PENDING] as Pending[] | undefined;
  if (!pending) runner.data[PENDING] = pending = [];
  return pending;
}
