import { expect } from 'vitest'
import { curvesSvg } from '../src/report/curves-svg.js'
import type { CheckResult } from '../src/types.js'
import type { MatcherContext } from './adapter.js'
import { makeMatchers } from './matchers.js'
import type { TrainabilityMatchers } from './types.js'

/** What vitest ≥3.2 puts on a matcher's `this`: the running test, whose context can annotate it (absent before). */
interface VitestMatcherContext extends MatcherContext {
  task?: { context?: { annotate?: (message: string, type: string, attachment: { contentType: string; body: string }) => Promise<unknown> } }
}

/**
 * `TRAINABILITY_CURVES`: `failures` (default) attaches the curves of a failing assertion, `always` of every one, `never`
 * none. Read at each call so a test can set it; a passing assertion renders nothing unless asked.
 */
function wanted(failed: boolean): boolean {
  const mode = process.env.TRAINABILITY_CURVES ?? 'failures'
  return mode === 'always' || (mode !== 'never' && failed)
}

/** Attaches the check's curves as an SVG annotation of the running test, where `vitest --ui` and its HTML reporter show it. */
async function attachCurves(context: VitestMatcherContext, name: string, result: CheckResult, failed: boolean): Promise<void> {
  const test = context.task?.context
  if (typeof test?.annotate !== 'function' || !result.curves || !wanted(failed)) return
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

const matchers = makeMatchers(attachCurves)
expect.extend(matchers)

declare module 'vitest' {
  // No type parameters: the one form that compiles on vitest 3, 4 and 5.
  interface Matchers extends TrainabilityMatchers<void> {}
}

export { matchers }
export type { TrainabilityMatchers }
