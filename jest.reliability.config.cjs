/** Slow reliability suites (QUALITY.md): same setup as jest.config.cjs, other files. */
const base = require('./jest.config.cjs');
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/**/*.reliability.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 600000,
};
