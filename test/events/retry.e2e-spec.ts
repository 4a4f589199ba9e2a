import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { EventDeliveriesService } from '../../src/platform/events/event-deliveries.service';
import { EventReplay } from '../../src/platform/events/event-replay';
import { EventsSettings } from '../../src/platform/events/events-settings';
import { Clock } from '../../src/platform/scheduling/clock';
import { drainEvents } from '../support/events';
import { authHeader, identityFixtures } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, FlakyConsumer, RecordingConsumer, ThingCommands } from './events-test.module';

let app: TestApp;
let clock: Clock;
let flaky: FlakyConsumer;
const T0 = new Date('2026-03-01T09:00:00.000Z');

beforeAll(async () => {
  app = await startTestApp({ extraModules: [EventsTestModule] });
  await app.sql(EVENTS_TEST_DDL);
  clock = app.get(Clock);
  clock.set(T0);
  const settings = app.get(EventsSettings);
  settings.maxAttempts = 3;
  settings.backoffBaseMs = 1000;
  flaky = app.get(FlakyConsumer);
});
afterAll(() => app?.close());

const happen = (aggregateId: string, n: number) => app.get(ClsService).run(() => app.get(ThingCommands).happen(aggregateId, n));
const delivery = async (eventId: string, consumer: string) =>
  (
    await app.sql<{ id: string; status: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
      `SELECT id, status, attempts, next_attempt_at, last_error FROM platform.event_deliveries WHERE event_id = $1 AND consumer = $2`,
      [eventId, consumer],
    )
  )[0];
const effectCount = async (eventId: string, consumer: string) =>
  (await app.sql<{ c: number }>(`SELECT count(*)::int AS c FROM events_test.effect WHERE event_id = $1 AND consumer = $2`, [eventId, consumer]))[0].c;

it('retries a failing consumer with exponential backoff, without re-running the consumers that succeeded', async () => {
  const aggregateId = uuidv7();
  flaky.failuresLeft.set(aggregateId, 2);
  const recorder = app.get(RecordingConsumer);
  const event = await happen(aggregateId, 1);
  await drainEvents(app);

  expect(await delivery(event.id, 'test.recorder')).toMatchObject({ status: 'done', attempts: 1 });
  expect(await delivery(event.id, 'test.flaky')).toMatchObject({
    status: 'pending',
    attempts: 1,
    next_attempt_at: new Date(T0.getTime() + 1000),
    last_error: expect.stringContaining('flaky failure'),
  });
  expect(await effectCount(event.id, 'test.flaky')).toBe(0); // its write was rolled back with it
  const recorderRuns = recorder.invocations;

  await drainEvents(app); // not due yet
  expect(flaky.invocations.filter((i) => i.aggregateId === aggregateId)).toHaveLength(1);

  clock.advance(1000);
  await drainEvents(app);
  expect(await delivery(event.id, 'test.flaky')).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: new Date(T0.getTime() + 3000) });

  clock.advance(2000);
  await drainEvents(app);
  expect(await delivery(event.id, 'test.flaky')).toMatchObject({ status: 'done', attempts: 3, last_error: null });
  expect(await effectCount(event.id, 'test.flaky')).toBe(1);
  expect(await effectCount(event.id, 'test.recorder')).toBe(1);
  expect(recorder.invocations).toBe(recorderRuns);
});

it('per aggregate, a consumer sees events in commit order: later events wait for an earlier failing one; other aggregates do not', async () => {
  const slow = uuidv7();
  const other = uuidv7();
  flaky.failuresLeft.set(slow, 2);
  await happen(slow, 1);
  await happen(slow, 2);
  await happen(other, 1);
  await happen(slow, 3);
  await drainEvents(app);
  const seen = () => flaky.invocations.filter((i) => i.aggregateId === slow).map((i) => i.n);
  expect(seen()).toEqual([1]);
  expect(flaky.invocations.filter((i) => i.aggregateId === other).map((i) => i.n)).toEqual([1]);

  clock.advance(1000);
  await drainEvents(app);
  expect(seen()).toEqual([1, 1]);
  clock.advance(2000);
  await drainEvents(app);
  expect(seen()).toEqual([1, 1, 1, 2, 3]);
  const applied = await app.sql<{ n: number }>(`SELECT n FROM events_test.effect WHERE consumer = 'test.flaky' AND aggregate_id = $1 ORDER BY at`, [slow]);
  expect(applied.map((r) => r.n)).toEqual([1, 2, 3]);
});

it('parks a delivery after N attempts (no longer holding its aggregate), lists it, and delivers it again after a retry', async () => {
  const poisoned = uuidv7();
  flaky.alwaysFail.add(poisoned);
  const event = await happen(poisoned, 1);
  for (let attempt = 0; attempt < 3; attempt++) {
    await drainEvents(app);
    clock.advance(10_000);
  }
  const parked = await delivery(event.id, 'test.flaky');
  expect(parked).toMatchObject({ status: 'parked', attempts: 3, last_error: expect.stringContaining('flaky failure') });

  const metrics = await app.http.get('/metrics').expect(200);
  expect(metrics.text).toMatch(/crm_event_deliveries_parked [1-9]/);
  expect(metrics.text).toMatch(/crm_event_deliveries_total\{consumer="test.flaky",outcome="parked"\} 1/);

  const admin = authHeader(await identityFixtures(app).adminToken());
  const page = await app.http.get('/api/v1/events/deliveries?status=parked').set(admin).expect(200);
  expect(page.body).toEqual({
    items: [
      expect.objectContaining({
        id: parked.id,
        eventId: event.id,
        consumer: 'test.flaky',
        eventType: 'test.thing.happened',
        aggregateType: 'test.thing',
        aggregateId: poisoned,
        status: 'parked',
        attempts: 3,
        lastError: expect.stringContaining('flaky failure'),
      }),
    ],
    nextCursor: null,
  });

  // Parked no longer holds the aggregate's later events.
  flaky.alwaysFail.delete(poisoned);
  const later = await happen(poisoned, 2);
  await drainEvents(app);
  expect(await delivery(later.id, 'test.flaky')).toMatchObject({ status: 'done' });

  const version = page.body.items[0].version as number;
  expectProblem(await app.http.post(`/api/v1/events/deliveries/${parked.id}/retry`).set(admin).set('if-match', `"${version + 5}"`), 412);
  const retried = await app.http.post(`/api/v1/events/deliveries/${parked.id}/retry`).set(admin).set('idempotency-key', uuidv7()).set('if-match', `"${version}"`).expect(200);
  expect(retried.body).toMatchObject({ id: parked.id, status: 'pending', attempts: 0, lastError: null, version: version + 1 });
  expect(retried.headers.etag).toBe(`"${version + 1}"`);
  await drainEvents(app);
  expect(await delivery(event.id, 'test.flaky')).toMatchObject({ status: 'done', attempts: 1 });
  expect(await effectCount(event.id, 'test.flaky')).toBe(1);
  expect(await app.sql(`SELECT action FROM platform.audit_entries WHERE record_type = 'platform.event-delivery' AND record_id = $1`, [parked.id])).toEqual([
    { action: 'retry' },
  ]);

  expectProblem(await app.http.post(`/api/v1/events/deliveries/${parked.id}/retry`).set(admin), 409, 'platform.event-delivery.already-delivered');
  expectProblem(await app.http.post(`/api/v1/events/deliveries/${uuidv7()}/retry`).set(admin), 404);
  const cls = app.get(ClsService);
  const service = app.get(EventDeliveriesService);
  await expect(cls.run(() => service.retry(parked.id))).rejects.toMatchObject({ code: 'platform.event-delivery.already-delivered' });
});

it('protects the delivery admin endpoints: 401 without credentials, 403 without the permission', async () => {
  expectProblem(await app.http.get('/api/v1/events/deliveries?status=parked'), 401);
  expectProblem(await app.http.post(`/api/v1/events/deliveries/${uuidv7()}/retry`), 401);
  const rep = await identityFixtures(app).user({ roles: ['sales-rep'] });
  expectProblem(await app.http.get('/api/v1/events/deliveries').set(rep.auth), 403);
  expectProblem(await app.http.post(`/api/v1/events/deliveries/${uuidv7()}/retry`).set(rep.auth), 403);
});

it('replays a consumer from a point in time: its deliveries run again, in order, others untouched', async () => {
  const aggregateId = uuidv7();
  const first = await happen(aggregateId, 5);
  const second = await happen(aggregateId, 6);
  await drainEvents(app);
  await app.sql(`DELETE FROM events_test.effect WHERE consumer = 'test.recorder' AND aggregate_id = $1`, [aggregateId]);
  const flakyBefore = await effectCount(first.id, 'test.flaky');

  const cls = app.get(ClsService);
  const scheduled = await cls.run(() => app.get(EventReplay).replay('test.recorder', new Date(first.occurredAt)));
  expect(scheduled).toBeGreaterThanOrEqual(2);
  await drainEvents(app);
  const rebuilt = await app.sql<{ n: number }>(`SELECT n FROM events_test.effect WHERE consumer = 'test.recorder' AND aggregate_id = $1 ORDER BY at`, [aggregateId]);
  expect(rebuilt.map((r) => r.n)).toEqual([5, 6]);
  expect(await effectCount(first.id, 'test.flaky')).toBe(flakyBefore);
  expect(second.id).not.toBe(first.id);
  await expect(cls.run(() => app.get(EventReplay).replay('no.such-consumer', new Date(0)))).rejects.toMatchObject({ code: 'platform.event-consumer.unknown' });
});
