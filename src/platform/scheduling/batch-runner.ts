import { Propagation } from '@nestjs-cls/transactional';
import type { Tx } from '../database/transaction.js';

export interface BatchOutcome<T> {
  ok: T[];
  failed: { item: T; error: unknown }[];
}

/**
 * Runs `run(item)` for each item inside the open transaction so that each item's effects
 * commit only if it succeeded, without paying a SAVEPOINT per item in the common case: the
 * items run under one savepoint; when item k throws, the savepoint is rolled back, items
 * before k run again (under their own savepoint), k is reported failed (not re-run), and the
 * rest continue the same way. Used by the event dispatcher and the timer runner.
 */
export async function runBatchInSavepoints<T>(tx: Tx, items: T[], run: (item: T) => Promise<void>): Promise<BatchOutcome<T>> {
  const outcome: BatchOutcome<T> = { ok: [], failed: [] };
  let rest = items;
  while (rest.length) {
    let failedAt = -1;
    let failure: unknown;
    try {
      await tx.withTransaction(Propagation.Nested, async () => {
        for (let i = 0; i < rest.length; i++) {
          try {
            await run(rest[i]);
          } catch (error) {
            failedAt = i;
            failure = error;
            throw error;
          }
        }
      });
      outcome.ok.push(...rest);
      return outcome;
    } catch (error) {
      if (failedAt < 0) throw error;
    }
    const before = await runBatchInSavepoints(tx, rest.slice(0, failedAt), run);
    outcome.ok.push(...before.ok);
    outcome.failed.push(...before.failed, { item: rest[failedAt], error: failure });
    rest = rest.slice(failedAt + 1);
  }
  return outcome;
}

/** A short, single-line description of an error for `last_error` columns. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 2000);
}

/** True on the embedded PGlite (one transaction at a time: one worker loop is enough). */
export async function isEmbeddedDatabase(query: (sql: string) => Promise<{ v: string }[]>): Promise<boolean> {
  const [row] = await query('SELECT version() AS v');
  return /pglite|emscripten/i.test(row?.v ?? '');
}

/**
 * Wake-up signal for a worker loop: `wait(ms)` resolves after `ms` or at the next `wake()`,
 * whichever comes first; `count` lets a loop notice a wake-up that came while it was busy.
 */
export class WakeSignal {
  count = 0;
  private waiters = new Set<() => void>();

  wake(): void {
    this.count++;
    for (const waiter of [...this.waiters]) waiter();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}
