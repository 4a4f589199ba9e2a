import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

it('reports liveness and readiness with a database ping', async () => {
  expect((await app.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  const ready = await app.http.get('/health/ready').expect(200);
  expect(ready.body.details.database.status).toBe('up');
});

it('exposes Prometheus metrics with an HTTP latency histogram by route and status', async () => {
  await app.http.get('/health/live');
  const res = await app.http.get('/metrics').expect(200);
  expect(res.headers['content-type']).toContain('text/plain');
  expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status="200"/);
});

it('applies every migration and creates one schema per context', async () => {
  const schemas = (await app.sql<{ nspname: string }>(`SELECT nspname FROM pg_namespace`)).map((r) => r.nspname);
  expect(schemas).toEqual(expect.arrayContaining(['platform', 'sales', 'marketing', 'service', 'call_center', 'analytics', 'finance', 'workflow']));
});
