// ESLint (flat config): TypeScript rules, plus the bounded-context boundary also enforced by
// dependency-cruiser (.dependency-cruiser.cjs) — a context imports another only via public/.
import tseslint from 'typescript-eslint';

const contexts = ['sales', 'marketing', 'service', 'call-center', 'analytics', 'finance', 'workflow'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/results/**', '**/*.cjs', '**/*.mjs', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  ...contexts.map((ctx) => ({
    files: [`src/contexts/${ctx}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: contexts
            .filter((other) => other !== ctx)
            .map((other) => ({
              group: [`**/contexts/${other}/*`, `!**/contexts/${other}/public`, `!**/contexts/${other}/public/**`],
              message: `Import ${other} only through src/contexts/${other}/public/ (bounded-context boundary).`,
            })),
        },
      ],
    },
  })),
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/contexts/**'], message: 'The platform must not depend on a context.' }] }],
    },
  },
);
