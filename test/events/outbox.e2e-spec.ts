import { CLS_ID, ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { Transactional, Tx } from '../../src/platform/database/transaction';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { EventsTestHook } from '../../src/platform/events/events-test-hook';
import { hasRealPostgres } from '../support/database';
import { drainEvents, published } from '../support/events';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { ChainConsumer, EVENTS_TEST_DDL, EventsTestModule, ForcedRollback, RecordingConsumer, ThingCommands } from './events-test.module';

let app: TestApp;
beforeAll(async () => {
  // A long poll: deliveries below can only be this fast if the commit nudges the dispatcher.
  app = await startTestApp({ extraModules: [EventsTestModule], env: { EVENT_POLL_MS: '60000' } });
  await app.sql(EVENTS_TEST_DDL);
});
afterAll(() => app?.close());

const effects = (consumer: string) =>
  app.sql<{ event_id: string; aggregate_id: string; n: number }>(`SELECT event_id, aggregate_id, n FROM events_test.effect WHERE consumer = $1`, [consumer]);

it('writes the event in the use case transaction with a complete envelope, and delivers it after commit without polling', async () => {
  const aggregateId = uuidv7();
  const event = await app.get(ThingCommands).happen(aggregateId, 7);
  expect(event).toEqual({
    id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
    type: 'test.thing.happened',
    schemaVersion: 1,
    occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    aggregateType: 'test.thing',
    aggregateId,
    actorId: null,
    correlationId: event.id,
    causationId: null,
    payload: { n: 7 },
  });
  expect(await published(app, 'test.thing.happened')).toEqual([event]);
  // Nudged right after commit: well before the 60 s poll.
  await eventually(async () => expect(await effects('test.recorder')).toEqual([{ event_id: event.id, aggregate_id: aggregateId, n: 7 }]), 3000);
});

// PGlite runs one dispatcher loop (one transaction at a time), so only a real server can show this.
(hasRealPostgres() ? it : it.skip)('a slow consumer does not hold back newer events: they are delivered while its batch still runs (real PostgreSQL only)', async () => {
  const started = Date.now();
  await app.get(ClsService).run(() =>
    app.get(Tx).withTransaction(() => app.get(EventPublisher).publish({ type: 'test.slow.happened', aggregateType: 'test.slow', aggregateId: uuidv7(), payload: { ms: 4000 } })),
  );
  await new Promise((resolve) => setTimeout(resolve, 300)); // the slow batch is running
  const aggregateId = uuidv7();
  const event = await app.get(ThingCommands).happen(aggregateId, 1);
  await eventually(async () => expect(await effects('test.recorder')).toContainEqual({ event_id: event.id, aggregate_id: aggregateId, n: 1 }), 3000);
  expect(Date.now() - started).toBeLessThan(4000);
});

it('refuses to publish outside a transaction and refuses malformed type names', async () => {
  const publisher = app.get(EventPublisher);
  const cls = app.get(ClsService);
  await expect(cls.run(() => publisher.publish({ type: 'test.thing.happened', aggregateType: 't', aggregateId: 'x', payload: {} }))).rejects.toThrow(
    /inside a @Transactional/,
  );
  await expect(
    cls.run(() => app.get(Tx).withTransaction(() => publisher.publish({ type: 'TestThingHappened', aggregateType: 't', aggregateId: 'x', payload: {} }))),
  ).rejects.toThrow(/<context>\.<aggregate>\.<past-tense>/);
});

it('atomicity: 1,000 commands with 10% forced rollbacks publish exactly the committed ones, each delivered once', async () => {
  await app.sql(`TRUNCATE events_test.effect, events_test.command`);
  const before = (await published(app, 'test.thing.happened')).length;
  const commands = app.get(ThingCommands);
  const cls = app.get(ClsService);
  const committed: string[] = [];
  const ids = Array.from({ length: 1000 }, () => uuidv7());
  for (let start = 0; start < ids.length; start += 20) {
    await Promise.all(
      ids.slice(start, start + 20).map(async (id, k) => {
        const i = start + k;
        try {
          await cls.run(() => commands.happen(id, i, i % 10 === 3));
          committed.push(id);
        } catch (error) {
          if (!(error instanceof ForcedRollback)) throw error;
        }
      }),
    );
  }
  expect(committed).toHaveLength(900);
  const events = (await published(app, 'test.thing.happened')).slice(before);
  expect(new Set(events.map((e) => e.aggregateId))).toEqual(new Set(committed));
  expect(await app.sql(`SELECT count(*)::int AS c FROM events_test.command`)).toEqual([{ c: 900 }]);

  await app.get(EventsTestHook).drain();
  const recorded = await effects('test.recorder');
  const forCommands = recorded.filter((r) => committed.includes(r.aggregate_id) && r.n >= 0); // n = -1: ChainConsumer's follow-up
  expect(forCommands).toHaveLength(900);
  expect(new Set(forCommands.map((r) => r.event_id)).size).toBe(900);
  const [{ pending }] = await app.sql<{ pending: number }>(`SELECT count(*)::int AS pending FROM platform.event_deliveries WHERE status <> 'done'`);
  expect(pending).toBe(0);
});

it('events published by a consumer inherit the correlation id and name the handled event as causation', async () => {
  const aggregateId = uuidv7();
  const root = await app.get(ThingCommands).happen(aggregateId, 1);
  await drainEvents(app);
  const followed = (await published(app, 'test.thing.followed')).filter((e) => e.aggregateId === aggregateId);
  expect(followed).toEqual([expect.objectContaining({ correlationId: root.correlationId, causationId: root.id, actorId: null })]);
  // …and the follow-up is delivered too (test.recorder listens to test.thing.*).
  await drainEvents(app);
  expect((await effects('test.recorder')).filter((r) => r.event_id === followed[0].id)).toHaveLength(1);
  expect(app.get(ChainConsumer)).toBeDefined();
});

it('takes the correlation id from the request context when published during a request', async () => {
  const cls = app.get(ClsService);
  const publisher = app.get(EventPublisher);
  const tx = app.get(Tx);
  const event = await cls.run(async () => {
    cls.set(CLS_ID, 'req-123');
    return tx.withTransaction(() => publisher.publish({ type: 'test.other.noted', aggregateType: 'test.other', aggregateId: 'a1', payload: {} }));
  });
  expect(event.correlationId).toBe('req-123');
  expect(Transactional).toBeDefined();
});

it('delivers nothing to the test consumers for an event none of them subscribes to, and drain returns when quiet', async () => {
  const [{ c }] = await app.sql<{ c: number }>(
    `SELECT count(*)::int AS c FROM platform.event_deliveries d JOIN platform.outbox_events e ON e.id = d.event_id WHERE e.type = 'test.other.noted' AND d.consumer LIKE 'test.%'`,
  );
  expect(c).toBe(0);
  await drainEvents(app);
  expect(app.get(RecordingConsumer).invocations).toBeGreaterThan(900);
});
