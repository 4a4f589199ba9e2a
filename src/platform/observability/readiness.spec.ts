import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ReadinessRegistry } from './readiness.js';

/** A DataSource whose pool answers `SELECT 1` with `answer()` and counts the pings. */
function database(answer: () => Promise<unknown>) {
  const pings = { count: 0 };
  const dataSource = { driver: { master: { query: () => (pings.count++, answer()) } } } as unknown as DataSource;
  return { dataSource, pings };
}

it('is ok with the database up, degraded while a check is degraded, and lists every check', async () => {
  const { dataSource } = database(async () => ({ rows: [{ '?column?': 1 }] }));
  const readiness = new ReadinessRegistry(dataSource);
  expect(await readiness.report()).toEqual({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });

  readiness.register(async () => ({ outbox: { status: 'degraded', lagSeconds: 90 } }));
  const report = await readiness.report();
  expect(report.status).toBe('degraded');
  expect(report.details).toEqual({ database: { status: 'up' }, outbox: { status: 'degraded', lagSeconds: 90 } });
});

it('answers 503 with the failing checks while the database refuses the ping', async () => {
  const { dataSource } = database(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
  const failure = await new ReadinessRegistry(dataSource).report().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ServiceUnavailableException);
  expect((failure as ServiceUnavailableException).getResponse()).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
});

it('shares one ping between concurrent and back-to-back probes for 250 ms, then pings again', async () => {
  const { dataSource, pings } = database(() => new Promise((resolve) => setTimeout(resolve, 20)));
  const readiness = new ReadinessRegistry(dataSource);
  await Promise.all(Array.from({ length: 50 }, () => readiness.report()));
  await readiness.report();
  expect(pings.count).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await readiness.report();
  expect(pings.count).toBe(2);
});
