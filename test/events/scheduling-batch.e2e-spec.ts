import { ClsService } from 'nestjs-cls';
import { createApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config/app-config';
import { Tx } from '../../src/platform/database/transaction';
import { Clock } from '../../src/platform/scheduling/clock';
import { SchedulerTestHook } from '../../src/platform/scheduling/scheduler-test-hook';
import { Timers, type TimerSpec } from '../../src/platform/scheduling/timers';
import { hasRealPostgres } from '../support/database';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, TestBatchTimerHandlers } from './events-test.module';

/** `@OnTimers(kind, { batchSize })`: batch timer handlers (test.bulk has batchSize 50). */
let app: TestApp;
let hook: SchedulerTestHook;
let handlers: TestBatchTimerHandlers;
const HOUR = 3_600_000;
let base: Date;

beforeAll(async () => {
  app = await startTestApp({ extraModules: [EventsTestModule], env: { EVENT_MAX_ATTEMPTS: '2' } });
  await app.sql(EVENTS_TEST_DDL);
  hook = app.get(SchedulerTestHook);
  handlers = app.get(TestBatchTimerHandlers);
  base = new Date(app.get(Clock).now().getTime() + 24 * HOUR); // beyond anything the background tick fires
});
afterAll(() => app?.close());

const inTx = <T>(fn: () => Promise<T>) => app.get(ClsService).run(() => app.get(Tx).withTransaction(fn));
const scheduleAll = (specs: TimerSpec<object>[]) =>
  inTx(async () => {
    for (const spec of specs) await app.get(Timers).schedule(spec);
  });
const firedKeys = async (prefix: string) =>
  (await app.sql<{ key: string; n: number }>(`SELECT key, count(*)::int AS n FROM events_test.fired WHERE key LIKE $1 GROUP BY key ORDER BY key`, [`${prefix}%`]));

it('hands due timers to the batch handler in chunks of batchSize, each fired once, together with single-timer kinds', async () => {
  const due = new Date(base.getTime() + HOUR);
  const keys = Array.from({ length: 120 }, (_, i) => `b1-${String(i).padStart(3, '0')}`);
  await scheduleAll([
    ...keys.map((key) => ({ kind: 'test.bulk', key, dueAt: due, payload: { note: key } })),
    { kind: 'test.reminder', key: 'b1-single', dueAt: due },
  ]);
  handlers.calls = [];
  await hook.runDue(base);
  expect(await firedKeys('b1-')).toEqual([]);
  expect(handlers.calls).toEqual([]);

  expect(await hook.runDue(due)).toBeGreaterThanOrEqual(121);
  const fired = await firedKeys('b1-');
  expect(fired).toEqual([...keys, 'b1-single'].sort().map((key) => ({ key, n: 1 })));
  expect(handlers.calls).toEqual([50, 50, 20]);
  const [payload] = await app.sql(`SELECT kind, payload FROM events_test.fired WHERE key = 'b1-007'`);
  expect(payload).toEqual({ kind: 'test.bulk', payload: { note: 'b1-007' } });
  expect(await app.sql(`SELECT key FROM platform.timers WHERE key LIKE 'b1-%'`)).toEqual([]);

  await hook.runDue(new Date(due.getTime() + HOUR));
  expect(await firedKeys('b1-')).toEqual(fired);
});

it('falls back to one timer at a time when the batch throws: the others fire once, the bad one retries with backoff then stays failed', async () => {
  const due = new Date(base.getTime() + 10 * HOUR);
  const keys = Array.from({ length: 30 }, (_, i) => `b2-${String(i).padStart(2, '0')}`);
  handlers.failKeys.add('b2-17');
  await scheduleAll(keys.map((key) => ({ kind: 'test.bulk', key, dueAt: due })));
  handlers.calls = [];

  await hook.runDue(due);
  expect(handlers.calls[0]).toBe(30);
  expect(handlers.calls.slice(1).every((n) => n === 1)).toBe(true);
  expect(await firedKeys('b2-')).toEqual(keys.filter((k) => k !== 'b2-17').map((key) => ({ key, n: 1 })));
  expect(await app.sql(`SELECT key, status, attempts, due_at FROM platform.timers WHERE key LIKE 'b2-%'`)).toEqual([
    { key: 'b2-17', status: 'scheduled', attempts: 1, due_at: new Date(due.getTime() + 1000) },
  ]);
  const [metric] = (await app.http.get('/metrics')).text.split('\n').filter((l) => l.startsWith('crm_timers_fired_total{kind="test.bulk",outcome="batch-fallback"}'));
  expect(metric).toMatch(/ [1-9]\d*$/);

  handlers.calls = [];
  await hook.runDue(new Date(due.getTime() + 1000));
  expect(handlers.calls).toEqual([1]); // a one-timer batch that fails is not run a second time
  expect(await app.sql(`SELECT status, attempts, last_error FROM platform.timers WHERE key LIKE 'b2-%'`)).toEqual([
    { status: 'failed', attempts: 2, last_error: expect.stringContaining('timer b2-17 fails') },
  ]);
  await hook.runDue(new Date(due.getTime() + 100 * HOUR));
  expect(await firedKeys('b2-17')).toEqual([]);
  expect((await firedKeys('b2-')).every((r) => r.n === 1)).toBe(true);
});

const realOnly = hasRealPostgres() ? describe : describe.skip;
if (!hasRealPostgres()) {
  it.skip('batch timers on two replicas: needs real PostgreSQL (set DATABASE_URL) — PGlite runs one transaction at a time and SKIP LOCKED never skips', () => {});
}

realOnly('two replicas on one database', () => {
  let second: RunningApp;
  beforeAll(async () => {
    second = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: app.db.url, DB_POOL_SIZE: '10' }), {
      extraModules: [EventsTestModule],
      docs: false,
    });
  });
  afterAll(() => second?.close());

  it('fires 5,000 due batch timers exactly once across the two replicas, both taking part', async () => {
    handlers.calls = [];
    const other = second.app.get(TestBatchTimerHandlers);
    other.calls = [];
    handlers.delayMs = other.delayMs = 100; // 100 calls over 4 loops: ~2.5 s of work, longer than a 1 s tick, so both replicas take part
    await app.sql(`INSERT INTO platform.timers (kind, key, due_at) SELECT 'test.bulk', 'multi-' || g, now() - interval '1 second' FROM generate_series(1, 5000) g`);
    await eventually(async () => {
      const [{ c }] = await app.sql<{ c: number }>(`SELECT count(*)::int AS c FROM platform.timers WHERE key LIKE 'multi-%'`);
      expect(c).toBe(0);
    }, 60_000);
    const [fired] = await app.sql<{ total: number; keys: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT key)::int AS keys FROM events_test.fired WHERE key LIKE 'multi-%'`,
    );
    expect(fired).toEqual({ total: 5000, keys: 5000 });
    expect(handlers.calls.length).toBeGreaterThan(0);
    expect(other.calls.length).toBeGreaterThan(0);
    expect(Math.max(...handlers.calls, ...other.calls)).toBe(50);
  });
});
