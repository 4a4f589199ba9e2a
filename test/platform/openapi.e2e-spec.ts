import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../src/platform/http/openapi';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

it('the committed openapi/openapi.json matches what the code generates (run `npm run openapi`)', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'));
  expect(buildOpenApiDocument(app.running.app)).toEqual(committed);
});

it('gives every operation an operationId, a tag, a summary and problem+json error responses', () => {
  const document = buildOpenApiDocument(app.running.app);
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, any>).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
  );
  expect(operations.length).toBeGreaterThan(0);
  const incomplete = operations
    .filter(({ op }) => {
      const errors = Object.entries(op.responses ?? {}).filter(([status]) => Number(status) >= 400);
      return (
        !op.operationId ||
        !op.tags?.length ||
        !op.summary ||
        errors.length === 0 ||
        errors.some(([, r]: [string, any]) => !r.content?.['application/problem+json'])
      );
    })
    .map(({ where }) => where);
  expect(incomplete).toEqual([]);
});

it('lists every tag an operation uses among the tags the modules declare (@OpenApiTags), each once', () => {
  const document = buildOpenApiDocument(app.running.app);
  const declared = (document.tags ?? []).map((t) => t.name);
  expect(new Set(declared).size).toBe(declared.length);
  const used = new Set(Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, any>).flatMap((op) => op.tags ?? [])));
  expect([...used].filter((tag) => !declared.includes(tag))).toEqual([]);
});
