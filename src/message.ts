import { count, sparkline } from './format.js'
import type { CheckCurves, CheckResult, CurveData, Finding, TrainingRecord, Verification } from './types.js'

export interface MessageParts {
  pass: boolean
  /** What was expected, completing "expected model to …". */
  expectation: string
  /** Numbers that show what happened; the first line also carries backend and seed. */
  details: string[]
  record: TrainingRecord
  findings: Finding[]
  /** The curves to draw, labelled, in place of the record's loss (sparklines in the message, and the check's picture). */
  curves?: CurveData[]
  /** Curves only the picture draws (toGeneralize's gap, which its goal line measures); the message leaves them out. */
  plotted?: CurveData[]
  /** The check's threshold on the plotted values, for the picture: `{ label: 'loss < 0.01', value: 0.01 }`. */
  goal?: CheckCurves['goal']
  /** The epoch where the check decided, marked in the picture. */
  decidedEpoch?: number
  /** The check's wall-clock budget (`timeoutMs`), quoted when it stopped a run. */
  timeoutMs?: number
  /**
   * What the budget stopped, completing "stopped by the 2000 ms budget …" (`after 3 of 5 seeds: seed 45 after 12 epochs,
   * seed 46 not run`). Absent: said of `record` when the budget stopped it (`after 12 epochs`).
   */
  budget?: string
}

const MAX_CAUSES = 3

/**
 * The message a failing matcher prints: rule, numbers, loss sparkline, likely causes, backend, replay seed.
 * When the check passed it reads as the failure of `.not`.
 */
export function renderMessage(parts: MessageParts): string {
  const { record } = parts
  const head = parts.pass ? `expected model not to ${parts.expectation}, but it did` : `expected model to ${parts.expectation}`
  const [first = '', ...rest] = parts.details
  // A batch the run chose itself is part of what replays it.
  const batch = record.batchSize === undefined ? '' : `   batches of ${record.batchSize} (the default over ${record.batchSize} samples)`
  const lines = [head, `  ${first}   backend ${record.backend}   seed ${record.seed}${batch}`.replace(/^ {2} {3}/, '  '), ...rest.map((d) => `  ${d}`)]
  const curves = parts.curves ?? lossCurve(record)
  const width = Math.max(...curves.map((c) => c.label.length))
  const stopped = budgetLine(parts)
  if (stopped) lines.push(`  ${stopped}`)
  for (const curve of curves) lines.push(`  ${curve.label.padEnd(width)} ${sparkline(curve.losses)}`)
  if (!parts.pass) {
    lines.push('likely causes')
    if (parts.findings.length === 0) lines.push('  none seen in the loss curve, the data or the model config')
    parts.findings.slice(0, MAX_CAUSES).forEach((f, i) => {
      lines.push(`  ${i + 1}. ${f.id} ${f.title}: ${f.evidence} (${f.fix})`)
      if (f.verification) lines.push(`     ${verificationLine(f.verification)}`)
    })
  }
  lines.push(`replay: TRAINABILITY_SEED=${record.seed} TRAINABILITY_BACKEND=${record.backend}`)
  return lines.join('\n')
}

/** The one line that says the wall-clock budget stopped the check, and where. */
function budgetLine({ record, timeoutMs, budget }: MessageParts): string | undefined {
  const what = budget ?? (record.stoppedBy === 'timeout' ? stoppedAfter(record.epochs) : undefined)
  if (what === undefined) return undefined
  return `stopped by the ${timeoutMs === undefined ? 'wall-clock' : `${timeoutMs} ms`} budget ${what}; raise timeoutMs to train longer`
}

/** `after 12 epochs`; `before its first epoch ended` for a run the budget stopped inside epoch 1. */
export function stoppedAfter(epochs: number): string {
  return epochs === 0 ? 'before its first epoch ended' : `after ${count(epochs, 'epoch')}`
}

/** `verified: at lr 0.01 the same run reaches 0.0081 at epoch 38`, or what the fix left unchanged. */
export function verificationLine(v: Verification): string {
  return `${v.helped ? 'verified' : 'tried'}: ${v.outcome}`
}

/** A check's verdict with its rendered message. */
export function checkResult(parts: MessageParts): CheckResult {
  return { pass: parts.pass, record: parts.record, findings: parts.findings, message: renderMessage(parts), curves: checkCurves(parts) }
}

/** The picture's data: the message's curves (the record's loss by default) and the picture-only ones, goal, decision. */
function checkCurves({ record, curves, plotted = [], goal, decidedEpoch }: MessageParts): CheckCurves {
  const drawn = [...(curves ?? lossCurve(record)), ...plotted]
  return { curves: drawn, ...(goal && { goal }), ...(decidedEpoch !== undefined && { decidedEpoch }) }
}

/** A result's picture: the curves its check drew, or (a result built without them) the record's loss alone. */
export function resultCurves(result: CheckResult): CheckCurves {
  return result.curves ?? { curves: lossCurve(result.record) }
}

/** The record's loss per epoch: what a check draws when it names no curves of its own. */
const lossCurve = (record: TrainingRecord): CurveData[] => [{ label: 'loss', losses: record.losses }]
