import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Propagation } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Tx } from '../database/transaction.js';
import { CLS_EVENT_CONTEXT, type EventCausalContext } from '../events/event-context.js';
import { backoffMs } from '../events/event-pattern.js';
import { timersFired } from '../events/event-metrics.js';
import { describeError, isEmbeddedDatabase, runBatchInSavepoints, type BatchOutcome } from './batch-runner.js';
import { Clock } from './clock.js';
import { SINGLETON_JOB_KEY, type ScheduledTask, type SingletonJobOptions } from './singleton-job.js';
import { ON_TIMER_KEY, ON_TIMERS_KEY, type DueTimer, type OnTimersOptions } from './timers.js';

interface ClaimedTimer {
  id: string;
  kind: string;
  key: string;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  generation: number;
}

type TimerHandler = (timer: DueTimer) => unknown;
type BatchTimerHandler = (timers: DueTimer[]) => unknown;

interface BatchRoute {
  run: BatchTimerHandler;
  batchSize?: number;
}

function toDueTimer(row: ClaimedTimer): DueTimer {
  return { id: row.id, kind: row.kind, key: row.key, dueAt: new Date(row.due_at), payload: row.payload, attempts: row.attempts };
}

export const SCHEDULER_TICK = 'crm-scheduler-tick';

/**
 * The platform scheduler. A `@nestjs/schedule` interval ticks every `tickMs`; the tick holds
 * no business logic: it fires due durable timers (claimed in batches — up to `batchSize` per
 * kind, in due order per kind — with `FOR UPDATE SKIP LOCKED`, each handler in its own savepoint of the batch's transaction together with the
 * timer's deletion, so each fires once across replicas; `@OnTimers` kinds get their timers in
 * chunks, one savepoint per chunk, falling back to one by one when a chunk fails) and runs due
 * singleton jobs (under
 * `pg_try_advisory_xact_lock`). Failed timers retry with exponential backoff, then stay as
 * `failed`. Work stops cleanly on shutdown.
 */
@Injectable()
export class Scheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Scheduler');
  private readonly timerHandlers = new Map<string, TimerHandler>();
  private readonly batchHandlers = new Map<string, BatchRoute>();
  private readonly jobs = new Map<string, ScheduledTask>();
  private ticking: Promise<unknown> | null = null;
  private stopping = false;
  private loopsPerTick = 1;
  tickMs = 1000;
  batchSize = 500;
  backoffBaseMs = 1000;
  backoffMaxMs = 3_600_000;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: SchedulerRegistry,
    private readonly tx: Tx,
    private readonly cls: ClsService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const kind = this.reflector.get<string | undefined>(ON_TIMER_KEY, fn as () => void);
        if (kind) {
          if (this.timerHandlers.has(kind) || this.batchHandlers.has(kind)) throw new Error(`Two @OnTimer('${kind}') handlers`);
          this.timerHandlers.set(kind, (timer) => (fn as TimerHandler).call(instance, timer));
        }
        const batch = this.reflector.get<(OnTimersOptions & { kind: string }) | undefined>(ON_TIMERS_KEY, fn as () => void);
        if (batch) {
          if (this.timerHandlers.has(batch.kind) || this.batchHandlers.has(batch.kind)) throw new Error(`Two timer handlers for '${batch.kind}'`);
          if (batch.batchSize !== undefined && !(batch.batchSize >= 1)) throw new Error(`@OnTimers('${batch.kind}'): batchSize must be at least 1`);
          this.batchHandlers.set(batch.kind, { run: (timers) => (fn as BatchTimerHandler).call(instance, timers), batchSize: batch.batchSize });
        }
        const job = this.reflector.get<SingletonJobOptions | undefined>(SINGLETON_JOB_KEY, fn as () => void);
        if (job) this.register({ ...job, run: () => (fn as () => Promise<void>).call(instance) });
      }
    }
  }

  /** Registers a singleton job declared as an object (`{ name, everyMs, run }`). */
  register(task: ScheduledTask): void {
    if (this.jobs.has(task.name)) throw new Error(`Singleton job "${task.name}" registered twice`);
    if (!(task.everyMs > 0)) throw new Error(`Singleton job "${task.name}": everyMs must be positive`);
    this.jobs.set(task.name, task);
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workers) return;
    const embedded = await isEmbeddedDatabase((sql) => this.dataSource.query(sql));
    this.loopsPerTick = embedded ? 1 : this.config.events.dispatchers;
    this.registry.addInterval(SCHEDULER_TICK, setInterval(() => this.tick(), this.tickMs));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.registry.doesExist('interval', SCHEDULER_TICK)) this.registry.deleteInterval(SCHEDULER_TICK);
    await this.ticking?.catch(() => undefined);
  }

  /** One tick: fire due timers, then run due jobs (skipped while the previous tick still runs). */
  tick(): void {
    if (this.ticking || this.stopping) return;
    const now = this.clock.now();
    this.ticking = Promise.all(Array.from({ length: this.loopsPerTick }, () => this.fireDueTimers(now)))
      .then(() => this.runDueJobs(now))
      .catch((error) => {
        if (!this.stopping) this.logger.warn(`scheduler tick failed: ${describeError(error)}`);
      })
      .finally(() => (this.ticking = null));
  }

  /** Fires timers due at or before `at`, batch after batch; returns how many were handled. */
  async fireDueTimers(at: Date): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopping) return total;
      const claimed = await this.fireBatch(at);
      total += claimed;
      if (claimed < this.batchSize) return total;
    }
  }

  /** Runs every singleton job due at `at` that no other replica is running; returns how many ran. */
  async runDueJobs(at: Date): Promise<number> {
    let ran = 0;
    for (const job of this.jobs.values()) {
      if (this.stopping) break;
      if (await this.runJobIfDue(job, at)) ran++;
    }
    return ran;
  }

  private fireBatch(at: Date): Promise<number> {
    const kinds = [...this.timerHandlers.keys(), ...this.batchHandlers.keys()];
    if (kinds.length === 0) return Promise.resolve(0);
    return this.cls.run(() =>
      // Commits without waiting for the WAL flush, as the event dispatcher's batches do: a server
      // crash can only forget a whole recent batch (handlers' effects and the timers' deletion
      // together), whose timers then fire again — nothing is lost.
      this.tx.withTransaction({ synchronousCommit: false }, async () => {
        const em = this.tx.tx;
        // Up to batchSize per kind, each kind in due order straight from timers_kind_due_idx (a
        // parameterised index range per kind: no sort of every due row, whatever the statistics).
        const rows: ClaimedTimer[] = await em.query(
          `SELECT t.id, t.kind, t.key, t.due_at, t.payload, t.attempts, t.generation
             FROM unnest($3::text[]) AS k(kind)
             CROSS JOIN LATERAL (
               SELECT * FROM platform.timers t
                WHERE t.status = 'scheduled' AND t.kind = k.kind AND t.due_at <= $1
                ORDER BY t.due_at LIMIT $2 FOR UPDATE SKIP LOCKED) t`,
          [at, this.batchSize, kinds],
        );
        if (rows.length === 0) return 0;
        const outcome = await runBatchInSavepoints(
          this.tx,
          rows.filter((row) => this.timerHandlers.has(row.kind)),
          async (row) => {
            this.resetCausalContext();
            await this.timerHandlers.get(row.kind)!(toDueTimer(row));
          },
        );
        for (const [kind, route] of this.batchHandlers) {
          const ofKind = rows.filter((row) => row.kind === kind);
          const size = route.batchSize ?? this.batchSize;
          for (let i = 0; i < ofKind.length; i += size) {
            const chunk = await this.fireChunk(kind, route, ofKind.slice(i, i + size));
            outcome.ok.push(...chunk.ok);
            outcome.failed.push(...chunk.failed);
          }
        }
        if (outcome.ok.length) {
          // Completes exactly the generation that fired: a handler may reschedule its own key.
          await em.query(
            `DELETE FROM platform.timers t USING unnest($1::uuid[], $2::int[]) AS f(id, generation)
              WHERE t.id = f.id AND t.generation = f.generation`,
            [outcome.ok.map((r) => r.id), outcome.ok.map((r) => r.generation)],
          );
          for (const row of outcome.ok) timersFired.inc({ kind: row.kind, outcome: 'fired' });
        }
        for (const { item, error } of outcome.failed) {
          const attempts = item.attempts + 1;
          const failed = attempts >= this.config.events.maxAttempts;
          const next = new Date(at.getTime() + backoffMs(attempts, this.backoffBaseMs, this.backoffMaxMs));
          await em.query(
            `UPDATE platform.timers SET attempts = $2, status = $3, due_at = $4, last_error = $5 WHERE id = $1 AND generation = $6`,
            [item.id, attempts, failed ? 'failed' : 'scheduled', next, describeError(error), item.generation],
          );
          timersFired.inc({ kind: item.kind, outcome: failed ? 'parked' : 'failed' });
          this.logger.warn(`timer ${item.kind}/${item.key} failed (attempt ${attempts}): ${describeError(error)}`);
        }
        return rows.length;
      }),
    );
  }

  /** One `@OnTimers` call for the chunk in a savepoint; when it throws, one call per timer (each in its own savepoint). */
  private async fireChunk(kind: string, route: BatchRoute, chunk: ClaimedTimer[]): Promise<BatchOutcome<ClaimedTimer>> {
    try {
      await this.tx.withTransaction(Propagation.Nested, async () => {
        this.resetCausalContext();
        await route.run(chunk.map(toDueTimer));
      });
      return { ok: chunk, failed: [] };
    } catch (error) {
      if (chunk.length === 1) return { ok: [], failed: [{ item: chunk[0], error }] };
      this.logger.warn(`timer batch ${kind} (${chunk.length} timers) failed, firing them one by one: ${describeError(error)}`);
      timersFired.inc({ kind, outcome: 'batch-fallback' });
    }
    return runBatchInSavepoints(this.tx, chunk, async (row) => {
      this.resetCausalContext();
      await route.run([toDueTimer(row)]);
    });
  }

  private resetCausalContext(): void {
    this.cls.set<EventCausalContext>(CLS_EVENT_CONTEXT, { correlationId: null, causationId: null, actorId: null });
  }

  private runJobIfDue(job: ScheduledTask, at: Date): Promise<boolean> {
    return this.cls.run(() =>
      this.tx.withTransaction(async () => {
        const em = this.tx.tx;
        const [lock]: { locked: boolean }[] = await em.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`crm-job:${job.name}`]);
        if (!lock?.locked) return false;
        await em.query(`INSERT INTO platform.singleton_jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [job.name, at]);
        const [state]: { next_run_at: Date }[] = await em.query(`SELECT next_run_at FROM platform.singleton_jobs WHERE name = $1 FOR UPDATE`, [job.name]);
        if (!state || new Date(state.next_run_at) > at) return false;
        this.cls.set<EventCausalContext>(CLS_EVENT_CONTEXT, { correlationId: null, causationId: null, actorId: null });
        const started = Date.now();
        let error: string | null = null;
        try {
          await this.tx.withTransaction(Propagation.Nested, () => job.run());
        } catch (failure) {
          error = describeError(failure);
          this.logger.warn(`singleton job ${job.name} failed: ${error}`);
        }
        await em.query(
          `UPDATE platform.singleton_jobs
              SET next_run_at = $2, last_run_at = $3, last_duration_ms = $4, last_error = $5, runs = runs + 1
            WHERE name = $1`,
          [job.name, new Date(at.getTime() + job.everyMs), at, Date.now() - started, error],
        );
        return true;
      }),
    );
  }
}
