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
 * rest continue the same way. `savepoint` names one the caller has already taken (e.g. in the
 * same round trip as its claim): the first pass runs under it instead of a new one, and
 * `rolledBack` is called after a rollback to it (to forget what the pass deferred to the commit,
 * see CommitWrites). Used by the event dispatcher and the timer runner.
 */
export async function runBatchInSavepoints<T>(
  tx: Tx,
  items: T[],
  run: (item: T) => Promise<void>,
  options: { savepoint?: string; rolledBack?: () => void } = {},
): Promise<BatchOutcome<T>> {
  const outcome: BatchOutcome<T> = { ok: [], failed: [] };
  let rest = items;
  let taken = options.savepoint;
  while (rest.length) {
    let failedAt = -1;
    let failure: unknown;
    const runAll = async () => {
      for (let i = 0; i < rest.length; i++) {
        try {
          await run(rest[i]);
        } catch (error) {
          failedAt = i;
          failure = error;
          throw error;
        }
      }
    };
    try {
      if (taken) await runAll();
      else await tx.withTransaction(Propagation.Nested, runAll);
      outcome.ok.push(...rest);
      return outcome;
    } catch (error) {
      if (failedAt < 0) throw error;
      if (taken) {
        await tx.tx.query(`ROLLBACK TO SAVEPOINT ${taken}`);
        options.rolledBack?.();
      }
    }
    taken = undefined;
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
 * Wake-up signal for a pool of worker loops. `wait(ms)` resolves after `ms` or when woken;
 * `wake()` wakes every waiting loop (shutdown, "work for all"), `wakeOne()` hands one piece of
 * news to one loop: an idle loop if there is one, else it is remembered in `count`, which a busy
 * loop compares before it goes idle so that news arriving while it worked is not missed.
 */
export class WakeSignal {
  count = 0;
  private waiters: (() => void)[] = [];

  wake(): void {
    this.count++;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Wakes one idle loop; returns false (and bumps `count` for the busy ones) when none is idle. */
  wakeOne(): boolean {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter();
      return true;
    }
    this.count++;
    return false;
  }

  get idle(): number {
    return this.waiters.length;
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const at = this.waiters.indexOf(done);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }
}
