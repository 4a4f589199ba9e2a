/**
 * Why this is CommonJS: NestJS 12 is ESM-only, but jest on Node 20 cannot load ESM with
 * `require()`, and native-ESM jest breaks on nestjs-cls (CommonJS that requires Nest).
 * So tests run in CommonJS: ts-jest compiles our TypeScript with tsconfig.test.json, and
 * babel-jest (babel.jest.cjs) turns the ESM-only packages in node_modules into CommonJS.
 * Drop all of this when the project moves to a Node where jest loads ESM natively.
 */
const esmPackages = [
  '@nestjs', 'uuidv7', 'file-type', '@electric-sql', '@fastify', 'fastify-plugin', 'strtok3',
  'token-types', 'uint8array-extras', '@tokenizer', 'load-esm',
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.reliability\\.e2e-spec\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
    '^.+\\.m?js$': ['babel-jest', { configFile: require('node:path').join(__dirname, 'babel.jest.cjs') }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  // Our sources import relative files with the `.js` suffix (ESM); in CommonJS jest they are .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
};
