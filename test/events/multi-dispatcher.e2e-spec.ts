import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { createApp, type RunningApp } from '../../src/app';
import { Tx } from '../../src/platform/database/transaction';
import { loadConfig } from '../../src/platform/config/app-config';
import { Timers } from '../../src/platform/scheduling/timers';
import { hasRealPostgres } from '../support/database';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, RecordingConsumer, ThingCommands } from './events-test.module';

/**
 * Two replicas (two complete Nest applications with their own pools and dispatcher loops) on
 * one database: SKIP LOCKED must split the work without handing anything out twice. The
 * bigger versions with separate, repeatedly killed processes are in *.reliability.e2e-spec.ts.
 */
const realOnly = hasRealPostgres() ? describe : describe.skip;
if (!hasRealPostgres()) {
  it.skip('several dispatchers on one database: needs real PostgreSQL (set DATABASE_URL) — PGlite runs one transaction at a time and SKIP LOCKED never skips', () => {});
}

realOnly('two replicas on one database', () => {
  let app: TestApp;
  let second: RunningApp;
  beforeAll(async () => {
    const env = { EVENT_POLL_MS: '20' };
    app = await startTestApp({ extraModules: [EventsTestModule], env });
    await app.sql(EVENTS_TEST_DDL);
    second = await createApp(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: app.db.url, DB_POOL_SIZE: '10', ...env }),
      { extraModules: [EventsTestModule], docs: false },
    );
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  it('handles each event once per consumer, in order per aggregate, with both replicas taking part', async () => {
    const commands = [app.get(ThingCommands), second.app.get(ThingCommands)];
    const aggregates = Array.from({ length: 40 }, () => uuidv7());
    for (let n = 0; n < 50; n++) {
      await Promise.all(aggregates.map((id, k) => app.get(ClsService).run(() => commands[k % 2].happen(id, n))));
    }
    await eventually(async () => {
      const [{ c }] = await app.sql<{ c: number }>(`SELECT count(*)::int AS c FROM platform.event_deliveries WHERE status <> 'done'`);
      expect(c).toBe(0);
    }, 60_000);
    const [stats] = await app.sql<{ total: number; distinct_events: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_events FROM events_test.effect WHERE consumer = 'test.recorder' AND n >= 0`,
    );
    expect(stats).toEqual({ total: 2000, distinct_events: 2000 });
    const flaky = await app.sql<{ total: number; distinct_events: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_events FROM events_test.effect WHERE consumer = 'test.flaky'`,
    );
    expect(flaky).toEqual([{ total: 2000, distinct_events: 2000 }]);
    const outOfOrder = await app.sql(
      `SELECT aggregate_id FROM (
         SELECT aggregate_id, n, lag(n) OVER (PARTITION BY aggregate_id ORDER BY at) AS previous
           FROM events_test.effect WHERE consumer = 'test.flaky') s
        WHERE previous IS NOT NULL AND n <> previous + 1`,
    );
    expect(outOfOrder).toEqual([]);
    expect(app.get(RecordingConsumer).invocations).toBeGreaterThan(0);
    expect(second.app.get(RecordingConsumer).invocations).toBeGreaterThan(0);
  });

  it('fires 5,000 due timers exactly once across the two replicas', async () => {
    const tx = app.get(Tx);
    const due = new Date(Date.now() - 1000);
    await app.get(ClsService).run(() =>
      tx.withTransaction(async () => {
        for (let i = 0; i < 5000; i++) await app.get(Timers).schedule({ kind: 'test.reminder', key: `multi-${i}`, dueAt: due });
      }),
    );
    await eventually(async () => {
      const [{ c }] = await app.sql<{ c: number }>(`SELECT count(*)::int AS c FROM platform.timers WHERE key LIKE 'multi-%'`);
      expect(c).toBe(0);
    }, 60_000);
    const [fired] = await app.sql<{ total: number; keys: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT key)::int AS keys FROM events_test.fired WHERE key LIKE 'multi-%'`,
    );
    expect(fired).toEqual({ total: 5000, keys: 5000 });
  });
});
