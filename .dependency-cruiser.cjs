/**
 * Bounded-context boundaries (ARCHITECTURE.md): a context imports another context only through
 * that context's public/ folder, and the shared kernel (src/platform) imports no context.
 * `npm run lint` runs this; test/platform/boundaries.e2e-spec.ts proves the rules fire.
 */
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
      comment: 'The shared kernel holds no business rules and depends on no context.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/contexts/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
