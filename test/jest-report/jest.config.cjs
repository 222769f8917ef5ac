/**
 * A user's jest project with `trainability/reporter` (the published CommonJS build in dist/): run by
 * test/reporter-jest.test.ts, which names the page's path in TRAINABILITY_REPORT_FILE.
 */
const base = require('../../jest.config.cjs')

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/jest-report/suite'],
  testMatch: ['**/*.report.ts'],
  testLocationInResults: true,
  reporters: ['default', 'trainability/reporter'],
}
