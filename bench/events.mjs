// Events bench (run after `npm run build`; the lead's runner calls it, or `node bench/events.mjs`).
// Uses DATABASE_URL (real PostgreSQL, recommended; a fresh database `bench_events_<ts>` is
// created on that server and dropped) or the embedded PGlite when unset.
//  1. latency: commit → handler p50/p99 with 1,000 events/s offered for BENCH_SECONDS (default 10)
//  2. throughput: a backlog of BENCH_BACKLOG events (default 50,000) dispatched by one process
// Prints one JSON object (also written to bench/results/events.json).
import { Inject, Injectable, Module } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { ClsService } from 'nestjs-cls';
import { createApp } from '../dist/src/app.js';
import { loadConfig } from '../dist/src/platform/config/app-config.js';
import { Tx } from '../dist/src/platform/database/transaction.js';
import { EventPublisher } from '../dist/src/platform/events/event-publisher.js';
import { OnDomainEvent } from '../dist/src/platform/events/on-domain-event.decorator.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 50_000);
const handledAt = new Map();
const committedAt = new Map();

class BenchConsumer {
  constructor(tx) {
    this.tx = tx;
  }
  async handle(event) {
    await this.tx.tx.query('SELECT 1');
    handledAt.set(event.id, performance.now());
  }
}
Injectable()(BenchConsumer);
Inject(Tx)(BenchConsumer, undefined, 0);
OnDomainEvent('bench.thing.happened', { consumer: 'bench.latency' })(BenchConsumer.prototype, 'handle', Object.getOwnPropertyDescriptor(BenchConsumer.prototype, 'handle'));
class BenchModule {}
Module({ providers: [BenchConsumer] })(BenchModule);

async function withDatabase(fn) {
  const server = process.env.DATABASE_URL;
  if (!server) return fn(undefined);
  const name = `bench_events_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const boot = (url, workers) =>
  createApp(
    { ...loadConfig({ ...process.env, LOG_LEVEL: 'error', WORKERS: String(workers), ...(url ? { DATABASE_URL: url } : {}) }), ...(url ? {} : { dataDir: 'memory://' }) },
    { extraModules: [BenchModule], docs: false },
  );
const publishOne = (app, i) =>
  app.get(ClsService).run(() =>
    app.get(Tx).withTransaction(() => app.get(EventPublisher).publish({ type: 'bench.thing.happened', aggregateType: 'bench.thing', aggregateId: `a${i}`, payload: { i } })),
  );

const result = await withDatabase(async (url) => {
  // 1. latency at a fixed offered rate
  let running = await boot(url, true);
  const total = SECONDS * RATE;
  const stat = url ? new pg.Client({ connectionString: url }) : null;
  await stat?.connect();
  const commits = async () => (stat ? Number((await stat.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit) : 0);
  const commits0 = await commits();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(publishOne(running.app, i).then((event) => committedAt.set(event.id, performance.now())));
  }
  await Promise.all(inflight);
  const offeredSeconds = (performance.now() - started) / 1000;
  const deadline = Date.now() + 60_000;
  while (handledAt.size < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // committedAt is taken when the publishing transaction's promise resolves, just after COMMIT.
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => setTimeout(resolve, 600)); // pg_stat_database is updated at most every 500 ms
  const commitsPerEvent = stat ? (await commits()) - commits0 : 0;
  await stat?.end();
  const latencies = [...committedAt].map(([id, at]) => Math.max(0, (handledAt.get(id) ?? Infinity) - at)).sort((a, b) => a - b);
  await running.close();

  // 2. sustained dispatch of a backlog
  running = await boot(url, false);
  const cls = running.app.get(ClsService);
  for (let i = 0; i < BACKLOG; i += 1000) {
    await cls.run(() =>
      running.app.get(Tx).withTransaction(() =>
        running.app.get(EventPublisher).publishAll(Array.from({ length: 1000 }, (_, k) => ({ type: 'bench.thing.happened', aggregateType: 'bench.thing', aggregateId: `b${i + k}`, payload: {} }))),
      ),
    );
  }
  await running.close();
  handledAt.clear();
  running = await boot(url, true);
  const t0 = performance.now();
  while (handledAt.size < BACKLOG && performance.now() - t0 < 300_000) await new Promise((resolve) => setTimeout(resolve, 20));
  const dispatchSeconds = (performance.now() - t0) / 1000;
  await running.close();

  return {
    database: url ? 'postgresql' : 'pglite',
    latency: {
      offeredPerSecond: RATE,
      achievedPublishPerSecond: Math.round(total / offeredSeconds),
      events: total,
      delivered: latencies.filter(Number.isFinite).length,
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
      maxMs: +latencies[latencies.length - 1].toFixed(1),
      targetP99Ms: 50,
      // Work per event, less sensitive to a noisy machine than latency: CPU of this process
      // (publishing + dispatching) and committed transactions on the server.
      processCpuMsPerEvent: +((cpu.user + cpu.system) / 1000 / total).toFixed(3),
      ...(url ? { transactionsPerEvent: +(commitsPerEvent / total).toFixed(2) } : {}),
    },
    dispatch: { backlog: BACKLOG, delivered: handledAt.size, seconds: +dispatchSeconds.toFixed(2), eventsPerSecond: Math.round(handledAt.size / dispatchSeconds), target: 5000 },
  };
});
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/events.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
process.exit(0);
