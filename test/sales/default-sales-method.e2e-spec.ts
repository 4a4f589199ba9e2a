import { authHeader } from '../support/identity';
import type { TestApp } from '../support/test-app';
import { ok, salesFixtures, startSalesApp } from './given';

let app: TestApp;
beforeAll(async () => {
  app = await startSalesApp();
});
afterAll(() => app?.close());

it('a fresh install has a default sales method, so the first opportunity needs no set-up', async () => {
  const given = salesFixtures(app);
  const admin = { auth: authHeader(await given.identity.adminToken()) };
  const methods = ok(await app.http.get('/api/v1/sales/sales-methods').set(admin.auth), 200);
  expect(methods.items).toEqual([
    expect.objectContaining({
      name: 'Standard',
      isDefault: true,
      stages: [
        expect.objectContaining({ key: 'qualify', order: 1, probability: 10, terminal: null }),
        expect.objectContaining({ key: 'needs-analysis', order: 2 }),
        expect.objectContaining({ key: 'proposal', order: 3 }),
        expect.objectContaining({ key: 'negotiation', order: 4 }),
        expect.objectContaining({ key: 'won', order: 5, probability: 100, terminal: 'won' }),
        expect.objectContaining({ key: 'lost', order: 6, probability: 0, terminal: 'lost' }),
      ],
    }),
  ]);
  const account = await given.account(admin);
  const opportunity = await given.opportunity(admin, account.id);
  expect(opportunity).toMatchObject({ salesMethodId: methods.items[0].id, stageKey: 'qualify', probability: 10 });
});

it('seeding runs once and leaves an install that already has methods alone', async () => {
  const { SeedDefaultSalesMethod1764051000002 } = await import('../../migrations/1764051000002-SeedDefaultSalesMethod');
  const runner = app.dataSource.createQueryRunner();
  try {
    await new SeedDefaultSalesMethod1764051000002().up(runner);
  } finally {
    await runner.release();
  }
  expect(await app.sql(`SELECT count(*)::int AS n FROM sales.sales_method`)).toEqual([{ n: 1 }]);
});
