/**
 * A user's jest project with `trainability/reporter` (the published CommonJS build in dist/): run by
 * test/reporter-jest.test.ts, which names the page's path in JEST_REPORT_OUT.
 */
const base = require('../../jest.config.cjs')

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/jest-report/suite'],
  testMatch: ['**/*.report.ts'],
  testLocationInResults: true,
  reporters: ['default', ['trainability/reporter', { outputFile: process.env.JEST_REPORT_OUT }]],
}
