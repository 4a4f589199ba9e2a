import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { hasRealPostgres } from '../support/database';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, ForcedRollback, ThingCommands } from './events-test.module';
import { REL_DDL, RelCommands, RelParentModule, buildDist, startReplica, stopReplica, type Replica } from './support/reliability';

/**
 * The big reliability figures (QUALITY.md): real PostgreSQL only, with separate processes.
 * `npm run test:reliability`. Smaller versions run in the normal suite (outbox, multi-dispatcher).
 */
const realOnly = hasRealPostgres() ? describe : describe.skip;
if (!hasRealPostgres()) {
  it.skip('event/timer reliability: needs real PostgreSQL (set DATABASE_URL); PGlite runs one transaction at a time', () => {});
}

const count = async (app: TestApp, sql: string) => (await app.sql<{ c: number }>(sql))[0].c;

realOnly('atomicity at scale', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ extraModules: [EventsTestModule], env: { WORKERS: 'false' } });
    await app.sql(EVENTS_TEST_DDL);
  });
  afterAll(() => app?.close());

  it('10,000 commands with 10% forced rollbacks: events = committed commands', async () => {
    const commands = app.get(ThingCommands);
    const cls = app.get(ClsService);
    let committed = 0;
    for (let start = 0; start < 10_000; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, k) => {
          const i = start + k;
          try {
            await cls.run(() => commands.happen(uuidv7(), i, i % 10 === 7));
            committed++;
          } catch (error) {
            if (!(error instanceof ForcedRollback)) throw error;
          }
        }),
      );
    }
    expect(committed).toBe(9000);
    expect(await count(app, `SELECT count(*)::int AS c FROM platform.outbox_events WHERE type = 'test.thing.happened'`)).toBe(9000);
    expect(await count(app, `SELECT count(*)::int AS c FROM events_test.command`)).toBe(9000);
    expect(await count(app, `SELECT count(*)::int AS c FROM platform.event_deliveries WHERE consumer = 'test.recorder'`)).toBe(9000);
  });
});

realOnly('separate dispatcher processes', () => {
  let app: TestApp;
  const log = join(tmpdir(), `rel-${process.pid}-${Date.now()}.log`);
  beforeAll(async () => {
    buildDist();
    app = await startTestApp({ extraModules: [RelParentModule], env: { WORKERS: 'false' } });
    await app.sql(REL_DDL);
  }, 300_000);
  afterAll(async () => {
    rmSync(log, { force: true });
    await app?.close();
  });
  beforeEach(() => app.sql(`TRUNCATE rel.effect, rel.fired, platform.event_deliveries, platform.outbox_events, platform.timers`));

  const publish = async (total: number) => {
    const commands = app.get(RelCommands);
    for (let offset = 0; offset < total; offset += 500) await app.get(ClsService).run(() => commands.publishMany(500, offset));
  };
  const exactlyOnce = async (total: number) => {
    for (const consumer of ['rel.a', 'rel.b']) {
      const [row] = await app.sql<{ total: number; distinct_events: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_events FROM rel.effect WHERE consumer = $1`,
        [consumer],
      );
      expect({ consumer, ...row }).toEqual({ consumer, total, distinct_events: total });
    }
  };

  it('crash: a dispatcher process kill -9ed repeatedly during 10,000 events → none lost, each effect exactly once', async () => {
    await publish(10_000);
    let kills = 0;
    const started = Date.now();
    for (;;) {
      const left = await count(app, `SELECT count(*)::int AS c FROM platform.event_deliveries WHERE status <> 'done'`);
      if (left === 0) break;
      expect(Date.now() - started).toBeLessThan(240_000);
      const replica = startReplica(app.db.url, { REL_LOG: log, REL_HANDLER_DELAY_MS: '1', EVENT_POLL_MS: '50' });
      await replica.ready;
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 900));
      replica.child.kill('SIGKILL');
      await replica.exited;
      kills++;
    }
    await exactlyOnce(10_000);
    const invocations = readFileSync(log, 'utf8').trim().split('\n');
    const duplicates = invocations.length - 20_000;
    console.log(`[reliability] crash: ${kills} kill -9, ${invocations.length} handler invocations for 20,000 deliveries → ${duplicates} redeliveries (rolled back by the kill), 0 lost, 0 duplicate effects, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(kills).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it.each([2, 3])('%i dispatcher processes on one database: each of 10,000 events handled once per consumer', async (processes) => {
    const replicas: Replica[] = Array.from({ length: processes }, () => startReplica(app.db.url, { EVENT_POLL_MS: '20' }));
    try {
      await Promise.all(replicas.map((r) => r.ready));
      const started = Date.now();
      await publish(10_000);
      await eventually(async () => expect(await count(app, `SELECT count(*)::int AS c FROM platform.event_deliveries WHERE status <> 'done'`)).toBe(0), 120_000, 100);
      await exactlyOnce(10_000);
      console.log(`[reliability] ${processes} processes: 20,000 deliveries done ${((Date.now() - started) / 1000).toFixed(1)} s after publishing started`);
    } finally {
      await Promise.all(replicas.map(stopReplica));
    }
  }, 300_000);

  it.each(['rel.timer', 'rel.bulk'])('100,000 due %s timers across 2 processes fire once each', async (kind) => {
    const replicas = [startReplica(app.db.url), startReplica(app.db.url)];
    try {
      await Promise.all(replicas.map((r) => r.ready));
      await app.sql(
        `INSERT INTO platform.timers (kind, key, due_at) SELECT $1, 't-' || g, now() - interval '1 second' FROM generate_series(1, 100000) g`,
        [kind],
      );
      const started = Date.now();
      await eventually(async () => expect(await count(app, `SELECT count(*)::int AS c FROM platform.timers`)).toBe(0), 120_000, 100);
      const seconds = (Date.now() - started) / 1000;
      const [fired] = await app.sql<{ total: number; keys: number; pids: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT key)::int AS keys, count(DISTINCT pid)::int AS pids FROM rel.fired`,
      );
      console.log(`[reliability] 100,000 ${kind} timers, 2 processes: ${seconds.toFixed(1)} s, fired by ${fired.pids} processes`);
      expect(fired).toEqual({ total: 100_000, keys: 100_000, pids: 2 });
      expect(seconds).toBeLessThanOrEqual(20);
    } finally {
      await Promise.all(replicas.map(stopReplica));
    }
  }, 300_000);
});
