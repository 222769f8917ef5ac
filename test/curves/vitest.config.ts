// A user's vitest project with one failing and two passing trainability assertions: the repository's aliases and setup,
// and the reporters a user would add: vitest's junit, and `trainability/reporter`'s page; the test names the files.
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config.js'

const out = (name: string): string => `${process.env.CURVES_OUT}/${name}`

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // CURVES_SUITE: another suite with the same reporters (scripts/report-screenshot.sh runs test/curves/docs/).
    include: [process.env.CURVES_SUITE ?? 'test/curves/suite/*.curves.ts'],
    exclude: [],
    reporters: [
      'default',
      './test/curves/annotations-reporter.ts',
      'junit',
      'html',
      // CURVES_PAGE=0 leaves it out: what a suite that never asked for the page records (nothing).
      ...(process.env.CURVES_PAGE === '0' ? [] : [['trainability/reporter', { outputFile: out('trainability-report.html') }] as [string, Record<string, unknown>]]),
    ],
    outputFile: { junit: out('junit.xml'), html: out('html/index.html') },
  },
})
