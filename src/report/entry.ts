import { resultCurves } from '../message.js'
import type { CheckCurves, CheckResult, CurveData } from '../types.js'

/** A number as JSON can carry it: non-finite values (a diverged loss) as the strings `String(NaN)` etc. give. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity'

/** A check's curves in plain JSON: what crosses from a test worker to a reporter (vitest task meta, a jest line file). */
export interface JsonCurves {
  curves: { label: string; losses: JsonNumber[]; start?: number; unit?: CurveData['unit'] }[]
  goal?: { label: string; value: JsonNumber; unit?: 'share' }
  decidedEpoch?: number
}

/**
 * One trainability assertion as the suite's report shows it, recorded in the test worker where it ran. Plain JSON, so
 * it survives every channel to the reporter process (vitest's structured clone, its blob/merge-reports JSON, a file).
 */
export interface ReportEntry {
  matcher: string
  /** `expect(...).not.toX(...)`. */
  negated: boolean
  /** The assertion failed: the check's verdict, read through `.not`. */
  failed: boolean
  /** The check's message: rule, numbers, ranked causes with their fixes, backend, replay seed. */
  message: string
  backend: string
  seed: number
  curves: JsonCurves
}

export function reportEntry(matcher: string, result: CheckResult, failed: boolean, negated: boolean): ReportEntry {
  const { record } = result
  return { matcher, negated, failed, message: result.message, backend: record.backend, seed: record.seed, curves: toJson(resultCurves(result)) }
}

/** A number as JSON carries it; the doctor's `--json` writes non-finite values the same way. */
export const toJsonNumber = (n: number): JsonNumber => (Number.isFinite(n) ? n : (String(n) as JsonNumber))

function toJson(picture: CheckCurves): JsonCurves {
  return {
    curves: picture.curves.map((c) => ({ ...c, losses: c.losses.map(toJsonNumber) })),
    ...(picture.goal && { goal: { ...picture.goal, value: toJsonNumber(picture.goal.value) } }),
    ...(picture.decidedEpoch !== undefined && { decidedEpoch: picture.decidedEpoch }),
  }
}

/** The curves back as numbers (`Number('NaN')` is NaN, `Number('-Infinity')` is -Infinity) for the SVG renderer. */
export function curvesOf(entry: ReportEntry): CheckCurves {
  const { curves, goal, decidedEpoch } = entry.curves
  return {
    curves: curves.map((c): CurveData => ({ ...c, losses: c.losses.map(Number) })),
    ...(goal && { goal: { ...goal, value: Number(goal.value) } }),
    ...(decidedEpoch !== undefined && { decidedEpoch }),
  }
}
