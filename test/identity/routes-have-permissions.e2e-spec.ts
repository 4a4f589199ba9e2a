import { buildOpenApiDocument } from '../../src/platform/http/openapi';
import { PERMISSION_PATTERN } from '../../src/platform/identity/domain/permissions.rules';
import { ConventionsTestModule } from '../support/conventions.module';
import { listRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/** Routes anyone may call, declared here on purpose: a new public route must be added to this list. */
const PUBLIC_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'POST /api/v1/auth/logout'];
/** Public routes other contexts declare (their issues add them here). */
const PUBLIC_PREFIXES = ['POST /api/v1/sales/lead-capture/'];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const where = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

it('finds the routes of the app (the enumeration works)', () => {
  const routes = listRoutes(app.running.app).map(where);
  expect(routes).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/identity/users', 'GET /api/v1/audit/entries', 'GET /health/live']));
});

it('gives every route of the app a permission, or declares it public explicitly', () => {
  const routes = listRoutes(app.running.app);
  expect(routes.filter((r) => !r.permission && !r.public).map(where)).toEqual([]);
  expect(routes.filter((r) => r.permission && !PERMISSION_PATTERN.test(r.permission)).map((r) => `${where(r)} ${r.permission}`)).toEqual([]);
  const unexpectedPublic = routes
    .filter((r) => r.public)
    .map(where)
    .filter((w) => !PUBLIC_ROUTES.includes(w) && !PUBLIC_PREFIXES.some((p) => w.startsWith(p)));
  expect(unexpectedPublic).toEqual([]);
});

it('documents security and 401/403 on every protected operation, and no security on public ones', () => {
  const document = buildOpenApiDocument(app.running.app);
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      const w = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      const isPublic = PUBLIC_ROUTES.includes(w) || PUBLIC_PREFIXES.some((p) => w.startsWith(p));
      const security = (op.security ?? []) as Record<string, unknown>[];
      if (isPublic) continue;
      if (!security.some((s) => 'bearer' in s) || !security.some((s) => 'apiKey' in s)) problems.push(`${w}: security`);
      if (!op.responses?.['401'] || !op.responses?.['403']) problems.push(`${w}: 401/403`);
      if (/\/:\w+/.test(w) && !op.responses?.['404']) problems.push(`${w}: 404 for a record route`);
    }
  }
  expect(problems).toEqual([]);
});

describe('the check can fail', () => {
  let withExtra: TestApp;
  beforeAll(async () => {
    withExtra = await startTestApp({ extraModules: [ConventionsTestModule] });
  });
  afterAll(() => withExtra?.close());

  it('reports a controller route that has no permission metadata', () => {
    const bare = listRoutes(withExtra.running.app).filter((r) => !r.permission && !r.public);
    expect(bare.map(where)).toEqual(['GET /test/closed']);
  });
});
