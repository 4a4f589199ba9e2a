import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDeclarations, loadDeclaredEvents, renderEventCatalog } from '../../src/platform/events/event-catalog';
import { EventConsumers } from '../../src/platform/events/event-consumers';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' } });
});
afterAll(() => app?.close());

it('docs/events.md is what `npm run events:catalog` generates from the code (run it and commit when this fails)', async () => {
  const root = join(__dirname, '..', '..');
  const declared = await loadDeclaredEvents(join(root, 'src', 'contexts'), '.ts', (file) => import(file) as Promise<Record<string, unknown>>);
  expect(checkDeclarations(declared)).toEqual([]);
  const expected = renderEventCatalog(declared, app.get(EventConsumers).all());
  expect(readFileSync(join(root, 'docs', 'events.md'), 'utf8')).toBe(expected);
});
