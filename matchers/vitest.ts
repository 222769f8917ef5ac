import { expect } from 'vitest'
import { getCurrentTest } from 'vitest/suite'
import { curvesSvg } from '../src/report/curves-svg.js'
import { reportEntry, type ReportEntry } from '../src/report/entry.js'
import type { CheckResult } from '../src/types.js'
import type { MatcherContext } from './adapter.js'
import { makeMatchers } from './matchers.js'
import { REPORT_ENV, VITEST_CHANNEL } from './report-channel.js'
import type { TrainabilityMatchers } from './types.js'

/** The running test as vitest sees it; its context can annotate it from vitest 3.2 on (`annotate` absent before). */
interface RunningTest {
  concurrent?: boolean
  /** Custom data vitest carries from the worker to reporters (`testCase.meta()`). */
  meta?: { trainability?: ReportEntry[] }
  context?: { annotate?: (message: string, type: string, attachment: { contentType: string; body: string }) => Promise<unknown> }
}

/** vitest ≥ 4.0.11 puts the running test on a matcher's `this` (vitest PR #9022); earlier ones do not. */
interface VitestMatcherContext extends MatcherContext {
  task?: RunningTest
}

/**
 * The test this assertion belongs to: the matcher's own `this.task`, else (vitest 3.2–4.0.10) the runner's current test
 * unless it runs concurrently, when "current" may be another test and nothing is better than the wrong one.
 */
function runningTest(context: VitestMatcherContext): RunningTest | undefined {
  if (context.task) return context.task
  const current = getCurrentTest() as RunningTest | undefined
  return current?.concurrent ? undefined : current
}

/**
 * `TRAINABILITY_CURVES`: `failures` (default) attaches the curves of a failing assertion, `always` of every one, `never`
 * none. Read at each call so a test can set it; a passing assertion renders nothing unless asked.
 */
function wanted(failed: boolean): boolean {
  const mode = process.env.TRAINABILITY_CURVES?.trim() || 'failures'
  if (!MODES.includes(mode)) {
    throw new RangeError(`TRAINABILITY_CURVES must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, received ${JSON.stringify(mode)}; e.g. TRAINABILITY_CURVES=always`)
  }
  return mode === 'always' || (mode !== 'never' && failed)
}

const MODES = ['failures', 'always', 'never']

/** Attaches the check's curves as an SVG annotation of the running test, where `vitest --ui` and its HTML reporter show it. */
async function attachCurves(context: VitestMatcherContext, name: string, result: CheckResult, failed: boolean): Promise<void> {
  if (!wanted(failed) || !result.curves) return
  const test = runningTest(context)?.context
  if (typeof test?.annotate !== 'function') return
  const labels = result.curves.curves.map((c) => c.label).join(', ')
  const goal = result.curves.goal ? `, goal ${result.curves.goal.label}` : ''
  const svg = curvesSvg(result.curves)
  try {
    // base64: the body encoding every vitest with annotations reads (utf-8 bodies came later, as experimental).
    await test.annotate(`${name}: ${labels} per epoch${goal}`, 'trainability curves', { contentType: 'image/svg+xml', body: Buffer.from(svg).toString('base64') })
  } catch {
    // A picture that cannot be attached must never hide the assertion's own verdict.
  }
}

/** Records the assertion on its test's meta, which vitest hands to `trainability/reporter`, while that reporter runs. */
function recordForReport(context: VitestMatcherContext, name: string, result: CheckResult, failed: boolean): void {
  if (process.env[REPORT_ENV] !== VITEST_CHANNEL) return
  const meta = runningTest(context)?.meta
  if (meta) (meta.trainability ??= []).push(reportEntry(name, result, failed, Boolean(context.isNot)))
}

const matchers = makeMatchers(async (context, name, result, failed) => {
  recordForReport(context, name, result, failed)
  await attachCurves(context, name, result, failed)
})
expect.extend(matchers)

declare module 'vitest' {
  // No type parameters: the one form that compiles on vitest 3, 4 and 5.
  interface Matchers extends TrainabilityMatchers<void> {}
}

export { matchers }
export type { TrainabilityMatchers }
