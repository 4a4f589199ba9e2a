import { ClsService } from 'nestjs-cls';
import { Tx } from '../../src/platform/database/transaction';
import { Clock } from '../../src/platform/scheduling/clock';
import { Scheduler } from '../../src/platform/scheduling/scheduler';
import { SchedulerTestHook } from '../../src/platform/scheduling/scheduler-test-hook';
import { Timers, type TimerSpec } from '../../src/platform/scheduling/timers';
import { startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, TestTimerHandlers } from './events-test.module';

let app: TestApp;
let hook: SchedulerTestHook;
const HOUR = 3_600_000;
let base: Date;

beforeAll(async () => {
  app = await startTestApp({ extraModules: [EventsTestModule], env: { EVENT_MAX_ATTEMPTS: '2' } });
  await app.sql(EVENTS_TEST_DDL);
  hook = app.get(SchedulerTestHook);
  base = new Date(app.get(Clock).now().getTime() + 24 * HOUR); // beyond anything the background tick fires
});
afterAll(() => app?.close());

const inTx = <T>(fn: () => Promise<T>) => app.get(ClsService).run(() => app.get(Tx).withTransaction(fn));
const schedule = (spec: TimerSpec<object>) => inTx(() => app.get(Timers).schedule(spec));
const fired = async (key: string) => app.sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM events_test.fired WHERE key = $1`, [key]);

it('fires a durable timer once when due, not before', async () => {
  await schedule({ kind: 'test.reminder', key: 'r1', dueAt: new Date(base.getTime() + HOUR), payload: { note: 'call back' } });
  await hook.runDue(base);
  expect(await fired('r1')).toEqual([]);
  expect(await hook.runDue(new Date(base.getTime() + HOUR))).toBeGreaterThanOrEqual(1);
  expect(await fired('r1')).toEqual([{ payload: { note: 'call back' } }]);
  await hook.runDue(new Date(base.getTime() + 2 * HOUR));
  expect(await fired('r1')).toHaveLength(1);
  expect(await app.sql(`SELECT * FROM platform.timers WHERE key = 'r1'`)).toEqual([]);
});

it('replaces a timer scheduled again under the same key, cancels, and ignores a rolled-back schedule', async () => {
  await schedule({ kind: 'test.reminder', key: 'r2', dueAt: new Date(base.getTime() + HOUR), payload: { note: 'first' } });
  await schedule({ kind: 'test.reminder', key: 'r2', dueAt: new Date(base.getTime() + 3 * HOUR), payload: { note: 'second' } });
  await schedule({ kind: 'test.reminder', key: 'r3', dueAt: new Date(base.getTime() + HOUR) });
  await inTx(() => app.get(Timers).cancel('test.reminder', 'r3'));
  await expect(
    inTx(async () => {
      await app.get(Timers).schedule({ kind: 'test.reminder', key: 'r4', dueAt: new Date(base.getTime() + HOUR) });
      throw new Error('use case failed');
    }),
  ).rejects.toThrow('use case failed');

  await hook.runDue(new Date(base.getTime() + 2 * HOUR));
  expect(await fired('r2')).toEqual([]);
  await hook.runDue(new Date(base.getTime() + 3 * HOUR));
  expect(await fired('r2')).toEqual([{ payload: { note: 'second' } }]);
  expect(await fired('r3')).toEqual([]);
  expect(await fired('r4')).toEqual([]);
});

it('retries a failing timer with backoff (its effects rolled back) and keeps it as failed after the last attempt', async () => {
  app.get(TestTimerHandlers).failKeys.add('r5');
  const due = new Date(base.getTime() + 10 * HOUR);
  await schedule({ kind: 'test.reminder', key: 'r5', dueAt: due });
  await hook.runDue(due);
  const [first] = await app.sql<{ status: string; attempts: number; due_at: Date }>(`SELECT status, attempts, due_at FROM platform.timers WHERE key = 'r5'`);
  expect(first).toEqual({ status: 'scheduled', attempts: 1, due_at: new Date(due.getTime() + 1000) });
  expect(await fired('r5')).toEqual([]);
  await hook.runDue(new Date(due.getTime() + 1000));
  expect(await app.sql(`SELECT status, attempts, last_error FROM platform.timers WHERE key = 'r5'`)).toEqual([
    { status: 'failed', attempts: 2, last_error: expect.stringContaining('timer r5 fails') },
  ]);
  expect(await hook.runDue(new Date(due.getTime() + 100 * HOUR))).toBeGreaterThanOrEqual(0);
  expect(await fired('r5')).toEqual([]);
});

it('runs a due singleton job once per period and records its state', async () => {
  const at = new Date(base.getTime() + 500 * HOUR); // later than every runDue before
  const runs = async () => (await app.sql<{ c: number }>(`SELECT count(*)::int AS c FROM events_test.job_run`))[0].c;
  const before = await runs();
  await hook.runDue(at);
  expect(await runs()).toBe(before + 1);
  await hook.runDue(new Date(at.getTime() + 30 * 60_000));
  expect(await runs()).toBe(before + 1);
  await hook.runDue(new Date(at.getTime() + HOUR));
  expect(await runs()).toBe(before + 2);
  const [state] = await app.sql<{ next_run_at: Date; last_error: string | null }>(`SELECT next_run_at, last_error FROM platform.singleton_jobs WHERE name = 'test.hourly'`);
  expect(state).toEqual({ next_run_at: new Date(at.getTime() + 2 * HOUR), last_error: null });
  expect(app.get(Scheduler).jobNames()).toEqual(expect.arrayContaining(['platform.prune-idempotency-keys', 'platform.prune-outbox', 'test.hourly']));
});

it('maintenance jobs prune idempotency keys older than 24 h and events past retention that nothing still needs', async () => {
  await app.sql(`INSERT INTO platform.idempotency_keys (caller, key, request_hash, created_at) VALUES
    ('c', 'old', 'h', now() - interval '25 hours'), ('c', 'fresh', 'h', now() - interval '1 hour')`);
  const old = `now() - interval '8 days'`;
  await app.sql(`INSERT INTO platform.outbox_events (id, type, occurred_at, aggregate_type, aggregate_id, payload, created_at) VALUES
    ('00000000-0000-7000-8000-000000000001', 'test.thing.happened', ${old}, 'test.thing', 'old-done', '{}', ${old}),
    ('00000000-0000-7000-8000-000000000002', 'test.thing.happened', ${old}, 'test.thing', 'old-parked', '{}', ${old}),
    ('00000000-0000-7000-8000-000000000003', 'test.thing.happened', now(), 'test.thing', 'new', '{}', now())`);
  await app.sql(`INSERT INTO platform.event_deliveries (event_id, event_seq, event_type, aggregate_key, consumer, status, next_attempt_at, created_at)
    SELECT id, seq, type, 'test.thing:' || aggregate_id, 'test.recorder', CASE aggregate_id WHEN 'old-parked' THEN 'parked' ELSE 'done' END, created_at, created_at
      FROM platform.outbox_events WHERE id::text LIKE '00000000-0000-7000-8000-00000000000%'`);

  await hook.runDue(new Date(base.getTime() + 1000 * HOUR));

  expect(await app.sql(`SELECT key FROM platform.idempotency_keys ORDER BY key`)).toEqual([{ key: 'fresh' }]);
  const events = await app.sql<{ aggregate_id: string }>(`SELECT aggregate_id FROM platform.outbox_events WHERE id::text LIKE '00000000-0000-7000-8000-00000000000%' ORDER BY aggregate_id`);
  expect(events.map((e) => e.aggregate_id)).toEqual(['new', 'old-parked']);
});
