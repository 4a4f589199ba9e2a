import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves the boundary lint fires: a fixture tree with one import across a context boundary,
 * one through public/ (allowed), one from platform into a context, one platform file that reaches
 * a context only through a platform helper (transitive), a stray tool outside src/cli/ importing a
 * context and the whole app, and a src/cli/ tool doing the same (allowed).
 */
it('dependency-cruiser refuses imports across context boundaries and from platform into contexts', () => {
  const root = join(__dirname, '..', '..');
  const fixture = join(root, 'test', 'fixtures', 'boundaries');
  const run = spawnSync(join(root, 'node_modules', '.bin', 'depcruise'), ['src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: fixture,
    encoding: 'utf8',
  });
  const output = run.stdout;
  const violations = (JSON.parse(output) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } }).summary.violations
    .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
    .sort();
  expect(violations).toEqual([
    'context-boundary: src/contexts/finance/application/crosses-boundary.ts -> src/contexts/sales/domain/secret.ts',
    'only-cli-imports-the-app: src/stray-tool.ts -> src/app.ts',
    'only-composition-root-imports-contexts: src/stray-tool.ts -> src/contexts/sales/public/events.ts',
    'platform-imports-no-context: src/platform/helper-imports-context.ts -> src/contexts/sales/domain/secret.ts',
    'platform-imports-no-context: src/platform/imports-context.ts -> src/contexts/sales/public/events.ts',
    // transitive: reaches-context.ts imports only helper-imports-context.ts, which imports the context
    'platform-imports-no-context: src/platform/reaches-context.ts -> src/contexts/sales/domain/secret.ts',
  ]);
});
