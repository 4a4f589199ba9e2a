import { buildOpenApiDocument } from '../../src/platform/http/openapi';
import { identityFixtures } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * QUALITY.md 10 (function-level authorization), derived from the OpenAPI document: every
 * operation that declares a permission (`x-permission`) answers 401 without credentials, and
 * 403 to a caller whose grants do not cover it — before any validation or lookup happens.
 */
let app: TestApp;
let operations: { method: string; path: string; url: string; permission: string | undefined; security: boolean }[];
beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' } });
  const doc = buildOpenApiDocument(app.running.app) as any;
  operations = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, op]) => ({
      method,
      path,
      url: path.replace(/\{[^}]+\}/g, '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d'),
      permission: op['x-permission'] as string | undefined,
      security: Array.isArray(op.security) && op.security.length > 0,
    })),
  );
});
afterAll(() => app?.close());

it('documents a permission for exactly the operations that require credentials', () => {
  expect(operations.length).toBeGreaterThan(50);
  expect(operations.filter((o) => o.security !== !!o.permission).map((o) => `${o.method} ${o.path}`)).toEqual([]);
});

it('answers 401 to every protected operation called without credentials', async () => {
  const wrong: string[] = [];
  for (const o of operations.filter((op) => op.permission)) {
    const res = await (app.http as any)[o.method](o.url).send({});
    if (res.status !== 401) wrong.push(`${o.method.toUpperCase()} ${o.path} → ${res.status}`);
  }
  expect(wrong).toEqual([]);
});

it('answers 403 to every operation outside a narrow API key’s grants, and lets the granted one through', async () => {
  const identity = identityFixtures(app);
  const admin = { authorization: `Bearer ${await identity.adminToken()}` };
  const key = (await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'narrow', permissions: ['sales.account:read'] }).expect(201)).body.key;
  const wrong: string[] = [];
  for (const o of operations.filter((op) => op.permission)) {
    const res = await (app.http as any)[o.method](o.url).set('x-api-key', key).send({});
    const covered = o.permission === 'sales.account:read';
    if (covered ? res.status === 401 || res.status === 403 : res.status !== 403) wrong.push(`${o.method.toUpperCase()} ${o.path} (${o.permission}) → ${res.status}`);
  }
  expect(wrong).toEqual([]);
});
