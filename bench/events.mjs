// Events bench (run after `npm run build`; or `node bench/events.mjs`).
// Uses DATABASE_URL (real PostgreSQL, recommended; a fresh database `bench_events_<ts>` is
// created on that server and dropped) or the embedded PGlite when unset.
//  1. latency: commit → handler p50/p99 with BENCH_RATE (default 1,000) events/s offered for
//     BENCH_SECONDS (default 10) after BENCH_WARMUP_SECONDS (default 3) of the same load whose
//     events are left out of p50/p99 (a just-started process runs cold for its first ~1.5 s: JIT,
//     connections, statements being prepared; `p99MsIncludingWarmup` reports it), by
//     BENCH_REPLICAS app processes (default: 1 and then 2 on a real
//     server). Each replica commits its share of the events (one transaction each, as a use case
//     does) and runs the dispatcher, as API replicas do: a commit nudges its own process, and every
//     replica's loops claim from the one outbox. Times are wall-clock (performance.timeOrigin) so
//     they compare across processes.
//  2. throughput: a backlog of BENCH_BACKLOG events (default 50,000) dispatched by one process.
// Each phase also reports the 1-minute load average sampled while it ran (`loadAverage1m`:
// mean, max, samples). Prints one JSON object (also written to bench/results/events.json).
import { Inject, Injectable, Module } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ClsService } from 'nestjs-cls';
import { createApp } from '../dist/src/app.js';
import { loadConfig } from '../dist/src/platform/config/app-config.js';
import { Tx } from '../dist/src/platform/database/transaction.js';
import { EventPublisher } from '../dist/src/platform/events/event-publisher.js';
import { OnDomainEvent } from '../dist/src/platform/events/on-domain-event.decorator.js';
import { loadSampler } from './lib/stats.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 50_000);
const wallNow = () => performance.timeOrigin + performance.now();
const handledAt = new Map();

class BenchConsumer {
  constructor(tx) {
    this.tx = tx;
  }
  async handle(event) {
    await this.tx.tx.query('SELECT 1');
    handledAt.set(event.id, wallNow());
  }
}
Injectable()(BenchConsumer);
Inject(Tx)(BenchConsumer, undefined, 0);
OnDomainEvent('bench.thing.happened', { consumer: 'bench.latency' })(BenchConsumer.prototype, 'handle', Object.getOwnPropertyDescriptor(BenchConsumer.prototype, 'handle'));
class BenchModule {}
Module({ providers: [BenchConsumer] })(BenchModule);

const boot = (url, workers) =>
  createApp(
    { ...loadConfig({ ...process.env, LOG_LEVEL: 'error', WORKERS: String(workers), ...(url ? { DATABASE_URL: url } : {}) }), ...(url ? {} : { dataDir: 'memory://' }) },
    { extraModules: [BenchModule], docs: false },
  );
const publishOne = (app, key) =>
  app.get(ClsService).run(() =>
    app.get(Tx).withTransaction(() => app.get(EventPublisher).publish({ type: 'bench.thing.happened', aggregateType: 'bench.thing', aggregateId: key, payload: {} })),
  );

/**
 * One replica (a child process): boots, says `ready`, reads `{ startAt, stopAt }` from stdin,
 * commits `count` events at `rate`/s from `startAt`, dispatches until `stopAt`, writes `out`.
 */
async function replica({ url, rate, count, tag, out }) {
  const running = await boot(url, true);
  const committedAt = {};
  process.stdout.write('ready\n');
  const { startAt, stopAt } = await new Promise((resolve) => {
    let buffer = '';
    process.stdin.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(JSON.parse(buffer));
    });
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - wallNow())));
  const cpu0 = process.cpuUsage();
  const inflight = [];
  for (let i = 0; i < count; i++) {
    const wait = startAt + (i * 1000) / rate - wallNow();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(publishOne(running.app, `${tag}${i}`).then((event) => (committedAt[event.id] = wallNow())));
  }
  await Promise.all(inflight);
  const publishedIn = (wallNow() - startAt) / 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stopAt - wallNow())));
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(out, JSON.stringify({ committedAt, handledAt: Object.fromEntries(handledAt), publishedIn, cpuMs: (cpu.user + cpu.system) / 1000 }));
  await running.close();
}

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

async function latency(url, replicas) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const stat = url ? new pg.Client({ connectionString: url }) : null;
  await stat?.connect();
  const commits = async () => (stat ? Number((await stat.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit) : 0);
  try {
    const total = (WARMUP_SECONDS + SECONDS) * RATE;
    const children = Array.from({ length: replicas }, (_, r) => {
      const out = join(dir, `replica-${r}.json`);
      const args = { url, rate: RATE / replicas, count: Math.floor(total / replicas), tag: `r${r}-`, out };
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--replica', JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const ready = new Promise((resolve, reject) => {
        child.stdout.once('data', resolve);
        child.once('exit', (code) => reject(new Error(`replica exited with ${code} before it was ready`)));
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      return { child, out, ready, exited };
    });
    await Promise.all(children.map((c) => c.ready));
    const sampler = loadSampler();
    const commits0 = await commits();
    const startAt = wallNow() + 500;
    const stopAt = startAt + (WARMUP_SECONDS + SECONDS) * 1000 + 3000;
    const measuredFrom = startAt + WARMUP_SECONDS * 1000;
    for (const c of children) c.child.stdin.write(`${JSON.stringify({ startAt, stopAt })}\n`);
    const codes = await Promise.all(children.map((c) => c.exited));
    const loadAverage1m = sampler.stop();
    if (codes.some((code) => code !== 0)) throw new Error(`a replica exited with ${codes.find((code) => code !== 0)} (${replicas} replicas)`);
    await new Promise((resolve) => setTimeout(resolve, 600)); // pg_stat_database is updated at most every 500 ms
    const transactions = (await commits()) - commits0;
    const parts = children.map((c) => JSON.parse(readFileSync(c.out, 'utf8')));
    const handled = Object.assign({}, ...parts.map((p) => p.handledAt));
    const committed = parts.flatMap((p) => Object.entries(p.committedAt)).map(([id, at]) => ({ at, ms: Math.max(0, (handled[id] ?? Infinity) - at) }));
    const all = committed.map((c) => c.ms).sort((a, b) => a - b);
    const latencies = committed.filter((c) => c.at >= measuredFrom).map((c) => c.ms).sort((a, b) => a - b);
    return {
      replicas,
      offeredPerSecond: RATE,
      achievedPublishPerSecond: Math.round(all.length / Math.max(...parts.map((p) => p.publishedIn))),
      warmupSeconds: WARMUP_SECONDS,
      events: latencies.length,
      delivered: all.filter(Number.isFinite).length,
      eventsIncludingWarmup: all.length,
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
      maxMs: +latencies[latencies.length - 1].toFixed(1),
      p99MsIncludingWarmup: +percentile(all, 99).toFixed(1),
      targetP99Ms: 50,
      // Work per event, steadier than latency on a noisy machine: CPU of the replicas
      // (committing + dispatching) and committed transactions on the server.
      processCpuMsPerEvent: +(parts.reduce((sum, p) => sum + p.cpuMs, 0) / all.length).toFixed(3),
      ...(url ? { transactionsPerEvent: +(transactions / all.length).toFixed(2) } : {}),
      loadAverage1m,
    };
  } finally {
    await stat?.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--replica')) {
  await replica(JSON.parse(process.argv[process.argv.indexOf('--replica') + 1]));
  process.exit(0);
}

const result = await withDatabase(async (url) => {
  // Migrate once before the replicas start together.
  await (await boot(url, false)).close();
  const replicaCounts = process.env.BENCH_REPLICAS ? [Number(process.env.BENCH_REPLICAS)] : url ? [1, 2] : [1];
  const latencyRuns = [];
  for (const replicas of replicaCounts) latencyRuns.push(await latency(url, replicas));

  // Sustained dispatch of a backlog by one process.
  let running = await boot(url, false);
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
  const sampler = loadSampler();
  running = await boot(url, true);
  const t0 = performance.now();
  while (handledAt.size < BACKLOG && performance.now() - t0 < 300_000) await new Promise((resolve) => setTimeout(resolve, 20));
  const dispatchSeconds = (performance.now() - t0) / 1000;
  const dispatchLoad = sampler.stop();
  await running.close();

  return {
    database: url ? 'postgresql' : 'pglite',
    latency: latencyRuns,
    dispatch: { backlog: BACKLOG, delivered: handledAt.size, seconds: +dispatchSeconds.toFixed(2), eventsPerSecond: Math.round(handledAt.size / dispatchSeconds), target: 5000, loadAverage1m: dispatchLoad },
  };
});
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/events.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
process.exit(0);
