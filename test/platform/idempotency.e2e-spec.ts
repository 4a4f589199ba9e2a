import { ConventionsTestModule, WIDGETS_DDL } from '../support/conventions.module';
import { identityFixtures } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';

/** QUALITY.md 1: Idempotency-Key under concurrency, and keys scoped per caller. */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ extraModules: [ConventionsTestModule] });
  await app.sql(WIDGETS_DDL);
});
afterAll(() => app?.close());

it('1,000 concurrent POSTs carrying 100 distinct keys create exactly 100 records, replays byte-identical', async () => {
  const body = (k: number) => ({ name: `idem-${k}`, quantity: k, color: 'blue' });
  const requests = Array.from({ length: 1000 }, (_, i) => i % 100);
  const responses = await Promise.all(requests.map((k) => app.http.post('/test/widgets').set('idempotency-key', `bulk-${k}`).send(body(k))));
  expect(responses.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
  const byKey = new Map<number, Set<string>>();
  responses.forEach((r, i) => byKey.set(requests[i], (byKey.get(requests[i]) ?? new Set()).add(r.text)));
  expect([...byKey.values()].every((texts) => texts.size === 1)).toBe(true);
  expect(await app.sql(`SELECT count(*)::int AS n FROM conventions_test.widget WHERE name LIKE 'idem-%'`)).toEqual([{ n: 100 }]);
});

it('scopes keys per caller: another caller reusing a key is a new request, the same caller with another body is refused', async () => {
  const identity = identityFixtures(app);
  const admin = { authorization: `Bearer ${await identity.adminToken()}` };
  const created = await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'script', permissions: ['identity.org-unit:create', 'identity.org-unit:read'] }).expect(201);
  const script = { 'x-api-key': created.body.key as string };

  const first = await app.http.post('/api/v1/identity/org-units').set(admin).set('idempotency-key', 'shared-key').send({ name: 'Admin unit', type: 'group' }).expect(201);
  const second = await app.http.post('/api/v1/identity/org-units').set(script).set('idempotency-key', 'shared-key').send({ name: 'Script unit', type: 'group' }).expect(201);
  expect(second.body.id).not.toBe(first.body.id);
  expect(second.headers['idempotent-replayed']).toBeUndefined();
  const replay = await app.http.post('/api/v1/identity/org-units').set(script).set('idempotency-key', 'shared-key').send({ name: 'Script unit', type: 'group' }).expect(201);
  expect(replay.text).toBe(second.text);
  expectProblem(await app.http.post('/api/v1/identity/org-units').set(admin).set('idempotency-key', 'shared-key').send({ name: 'Other', type: 'group' }), 422, 'idempotency-key-reused');
});
