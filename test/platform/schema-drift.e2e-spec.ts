import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

it('the migrated schema matches every entity (no drift between migrations/ and the code)', async () => {
  const sql = await app.dataSource.driver.createSchemaBuilder().log();
  expect(sql.upQueries.map((q) => q.query)).toEqual([]);
});
