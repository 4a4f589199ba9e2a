import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { EventsSettings } from '../../src/platform/events/events-settings';
import { drainEvents } from '../support/events';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { EVENTS_TEST_DDL, EventsTestModule, ThingCommands } from './events-test.module';

let app: TestApp;
beforeAll(async () => {
  // Workers off: nothing is delivered in the background, so the outbox lag builds up.
  app = await startTestApp({ extraModules: [EventsTestModule], env: { WORKERS: 'false', OUTBOX_LAG_THRESHOLD_MS: '200' } });
  await app.sql(EVENTS_TEST_DDL);
});
afterAll(() => app?.close());

const gauge = (text: string, name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1]);

it('with workers off nothing is delivered; outbox lag shows in /metrics and degrades readiness until drained', async () => {
  const event = await app.get(ClsService).run(() => app.get(ThingCommands).happen(uuidv7(), 1));
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the undelivered event age past the 200 ms threshold
  expect(await app.sql(`SELECT status FROM platform.event_deliveries WHERE event_id = $1 AND consumer = 'test.recorder'`, [event.id])).toEqual([
    { status: 'pending' },
  ]);

  const metrics = (await app.http.get('/metrics').expect(200)).text;
  expect(gauge(metrics, 'crm_outbox_lag_seconds')).toBeGreaterThanOrEqual(0.2);
  expect(metrics).toMatch(/crm_event_deliveries_pending\{state="new"\} [1-9]/);
  expect(metrics).toContain('crm_event_deliveries_parked 0');

  const degraded = await app.http.get('/health/ready').expect(200);
  expect(degraded.body.status).toBe('degraded');
  expect(degraded.body.details.outbox).toMatchObject({ status: 'degraded', thresholdSeconds: 0.2, lagSeconds: expect.any(Number) });

  await drainEvents(app);
  await eventually(async () => {
    const ready = await app.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { outbox: { status: 'up', lagSeconds: 0 } } });
  });
  const after = (await app.http.get('/metrics').expect(200)).text;
  expect(gauge(after, 'crm_outbox_lag_seconds')).toBe(0);
  expect(after).toMatch(/crm_event_deliveries_total\{consumer="test.recorder",outcome="delivered"\} [1-9]/);
  expect(after).toMatch(/crm_event_delivery_latency_seconds_count [1-9]/);
  expect(app.get(EventsSettings).workers).toBe(false);
});
