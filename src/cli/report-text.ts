import { toJsonNumber } from '../report/entry.js'
import type { CheckResult } from '../types.js'

/** One check's outcome as the doctor reports it. */
export interface CheckOutcome {
  name: string
  matcher: string
  result: CheckResult
}

/** The text report: a PASS/FAIL line per check, the full message under each failure, a verdict. */
export function textReport(subject: string, outcomes: readonly CheckOutcome[], elapsedMs: number): string {
  const lines = [`trainability doctor: ${subject}`, '']
  for (const { name, matcher, result } of outcomes) {
    lines.push(`${result.pass ? 'PASS' : 'FAIL'}  ${name} (${matcher})`)
    if (!result.pass) lines.push(...result.message.split('\n').map((line) => `      ${line}`), '')
  }
  const failed = outcomes.filter((o) => !o.result.pass).length
  const backend = outcomes[0]?.result.record.backend ?? 'none'
  lines.push('', `${failed === 0 ? 'all' : outcomes.length - failed} of ${outcomes.length} checks passed` +
    `${failed > 0 ? `, ${failed} failed` : ''}   backend ${backend}   ${(elapsedMs / 1000).toFixed(1)} s`)
  return lines.join('\n')
}

/**
 * The same results for machines: `--json`. Each check carries its `curves` (the CheckCurves its picture draws: labelled
 * values per epoch, unit, goal, decided epoch). JSON has no NaN or Infinity, so a non-finite number is written as the
 * string `"NaN"`, `"Infinity"` or `"-Infinity"`: the kind survives (a diverged run is not a missing value, as `null`
 * would say) and `Number(value)` reads it back.
 */
export function jsonReport(subject: string, outcomes: readonly CheckOutcome[], elapsedMs: number): string {
  return JSON.stringify(
    {
      subject,
      pass: outcomes.every((o) => o.result.pass),
      elapsedMs: Math.round(elapsedMs),
      checks: outcomes.map(({ name, matcher, result }) => ({
        name,
        matcher,
        pass: result.pass,
        message: result.message,
        findings: result.findings,
        record: result.record,
        curves: result.curves,
      })),
    },
    (_key, value: unknown) => (typeof value === 'number' ? toJsonNumber(value) : value),
    2,
  )
}
