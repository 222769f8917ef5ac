import { resultCurves } from '../message.js'
import { passedMessage, reportPage } from '../report/page.js'
import type { CheckOutcome } from './report-text.js'

/** The doctor's `--html` page: a card per check with its loss curve (the page `trainability/reporter` writes too). */
export function htmlReport(subject: string, outcomes: readonly CheckOutcome[], elapsedMs: number): string {
  const failed = outcomes.filter((o) => !o.result.pass).length
  return reportPage({
    heading: 'trainability doctor',
    documentTitle: `trainability doctor: ${subject}`,
    verdict: failed === 0 ? `all ${outcomes.length} checks passed` : `${failed} of ${outcomes.length} checks failed`,
    pass: failed === 0,
    facts: [subject, `backend ${outcomes[0]?.result.record.backend ?? 'none'}`, `${(elapsedMs / 1000).toFixed(1)} s`],
    cards: outcomes.map(({ name, matcher, result }) => ({
      title: name,
      matcher,
      pass: result.pass,
      message: result.pass ? passedMessage(result.message) : result.message,
      curves: resultCurves(result),
    })),
  })
}
