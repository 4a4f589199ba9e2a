/**
 * Bounded-context boundaries (ARCHITECTURE.md): a context imports another context only through
 * that context's public/ folder, the shared kernel (src/platform) reaches no context — not even
 * through another file — and only the composition root (src/main.ts, src/app.ts,
 * src/app.module.ts) and the command-line tools (src/cli/) put the whole app together.
 * `npm run lint` runs this; test/platform/boundaries.e2e-spec.ts proves the rules fire.
 */
const COMPOSITION_ROOT = ['^src/cli/', '^src/main\\.ts$', '^src/app\\.ts$', '^src/app\\.module\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'context-boundary',
      comment: 'A context may import another context only through its public/ folder.',
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/' },
      to: { path: '^src/contexts/([^/]+)/', pathNot: ['^src/contexts/$1/', '^src/contexts/[^/]+/public/'] },
    },
    {
      name: 'platform-imports-no-context',
      comment:
        'The shared kernel holds no business rules and depends on no context, directly or through the files it imports ' +
        '(a context hands the kernel what it needs at start-up: scope tables, OpenAPI tags, event declarations).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/contexts/', reachable: true },
    },
    {
      name: 'only-composition-root-imports-contexts',
      comment: 'Outside the contexts, only src/cli/, src/main.ts and src/app(.module).ts import a context.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/contexts/', '^src/platform/', ...COMPOSITION_ROOT] },
      to: { path: '^src/contexts/' },
    },
    {
      name: 'only-cli-imports-the-app',
      comment: 'The whole app (src/app.ts, src/app.module.ts) is imported only by src/main.ts and the command-line tools in src/cli/.',
      severity: 'error',
      from: { path: '^src/', pathNot: COMPOSITION_ROOT },
      to: { path: '^src/app(\\.module)?\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
