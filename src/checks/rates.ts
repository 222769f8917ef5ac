import { typeError } from '../errors.js'
import { cause } from '../findings/catalogue.js'
import { finalLoss } from '../record.js'
import type { Budget } from '../budget.js'
import { count, fmt } from '../format.js'
import { stoppedAfter } from '../message.js'
import { openSession, type RunOutcome } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { causes } from './probed.js'

import { defineCheck } from './define.js'

export interface RatesOptions extends RunOptions {
  /** Learning rates to train at, each in a fresh run under the same seed. Default: the model's own rate ÷3, ×1 and ×3. */
  rates?: number[]
  /** Smallest fall of the loss from the first epoch to the last, relative to the first, that counts as training. Default 0.05. */
  minDrop?: number
}

/** `cut`: the budget stopped the run before it showed a fall of minDrop; `unrun`: no time was left to start it. */
type Verdict = 'ok' | 'diverged' | 'plateau' | 'cut' | 'unrun'

interface Trial {
  rate: number
  /** Absent when the rate was not run. */
  outcome?: RunOutcome
  verdict: Verdict
  /** Relative fall of the loss, first epoch to last (negative: it rose). */
  drop: number
  /** First non-finite epoch (1-based), if any. */
  nonFinite?: number
}

const DEFAULT_SPREAD = 3
/** The model's own rate, ÷ DEFAULT_SPREAD and × DEFAULT_SPREAD. */
const DEFAULT_SPREAD_RUNS = 3

/**
 * C5/C6: the model trains at every listed learning rate. Each rate gets a fresh run under the same seed and is
 * classified as ok, diverged (a non-finite loss, or ending above where it started) or plateau (the loss fell by less
 * than `minDrop`). Reports the working range among the rates tried.
 *
 * @example
 * await expect(buildModel).toTolerateLearningRates(data, { rates: [1e-3, 1e-2, 1e-1] })
 */
export const learningRates = defineCheck<RatesOptions>()({
  matcher: 'toTolerateLearningRates',
  ids: ['C5', 'C6'],
  dataset: 'optional',
  defaults: { minDrop: 0.05, maxEpochs: 100 },
  runs: (o) => (Array.isArray(o.rates) && o.rates.length > 0 ? o.rates.length : DEFAULT_SPREAD_RUNS),
  options: {
    kinds: {
      rates: { kind: 'array', of: { kind: 'number', above: 0 }, items: 'learning rates', example: [1e-3, 1e-2, 1e-1] },
      minDrop: { kind: 'number', above: 0, below: 1, example: 0.05, note: 'a 5% fall' },
    },
  },
  goal: 'train at every learning rate tried',
  // The check sets the rates itself: a fix of the model's rate changes what it tries, not whether the model tolerates them.
  verify: { skip: ['learningRate'] },
  async run(subject, data, options) {
    const { minDrop } = options
    const { maxEpochs } = options
    // The rates share the check's budget fairly: each run gets the time left over the runs left, so one slow rate
    // cannot starve the rest, and a rate that stops early (diverged) leaves its share to the others.
    let budget: Budget | undefined
    const train = async (rate: number | undefined, runsLeft: number): Promise<RunOutcome> => {
      const session = await openSession(subject, { ...options, learningRate: rate })
      budget = session.budget
      return session.run({ dataset: data, maxEpochs, timeoutMs: Math.max(0, budget.left()) / runsLeft })
    }
    const trials: Trial[] = []
    let rates = options.rates === undefined ? undefined : [...new Set(options.rates)]
    if (!rates) {
      const own = await train(options.learningRate, DEFAULT_SPREAD_RUNS)
      const lr = own.record.learningRate
      if (lr === undefined) throw typeError(`the model's optimizer (${own.record.optimizer}) has no learningRate to vary; pass { rates: [1e-3, 1e-2, 1e-1] }`)
      trials.push(judge(lr, own, minDrop))
      rates = [lr / DEFAULT_SPREAD, lr, lr * DEFAULT_SPREAD]
    }
    const pending = rates.filter((rate) => !trials.some((t) => t.rate === rate))
    for (const [i, rate] of pending.entries()) {
      // The first run always starts; later ones only while time is left.
      const outOfTime = trials.length > 0 && budget !== undefined && budget.left() <= 0
      trials.push(outOfTime ? { rate, verdict: 'unrun', drop: Number.NaN } : judge(rate, await train(rate, pending.length - i), minDrop))
    }
    trials.sort((a, b) => a.rate - b.rate)
    const failed = trials.filter((t) => t.verdict !== 'ok')
    const pass = failed.length === 0
    // What the message explains: a rate that failed on its own, else one the budget stopped, else the first.
    const decided = failed.filter((t) => t.verdict === 'diverged' || t.verdict === 'plateau')
    const shown = decided[0] ?? failed.find((t) => t.outcome) ?? trials.find((t) => t.outcome)!
    const width = Math.max(...trials.map((u) => fmt(u.rate).length))
    const undecided = failed.length - decided.length
    const details = [workingRange(trials), ...trials.map((t) => row(t, width))]
    if (undecided > 0) details.push(`${count(undecided, 'rate')} the budget stopped ${undecided === 1 ? 'counts' : 'count'} as not verified: the check claims only what the runs it finished show`)
    return {
      pass,
      expectation: `train at every learning rate of ${trials.map((t) => fmt(t.rate)).join(', ')} (loss falls ≥ ${fmt(minDrop * 100)}% in ${maxEpochs} epochs, never diverges)`,
      details,
      record: shown.outcome!.record,
      outcome: shown.outcome,
      findings: pass ? [] : decided.length > 0 ? rateFindings(trials, minDrop) : causes(shown.outcome!, []),
      budget: budgetStop(trials),
      curves: trials.filter((t) => t.outcome).map((t) => ({ label: `lr ${fmt(t.rate)}`, losses: t.outcome!.record.losses })),
    }
  },
})

/** `at lr 0.3 after 12 epochs; lr 0.9 not run`, over the rates tried in order of rate. */
function budgetStop(trials: Trial[]): string | undefined {
  const cut = trials.filter((t) => t.outcome?.record.stoppedBy === 'timeout')
  const unrun = trials.filter((t) => t.verdict === 'unrun')
  if (cut.length === 0 && unrun.length === 0) return undefined
  const pieces = cut.map((t) => `at lr ${fmt(t.rate)} ${stoppedAfter(t.outcome!.record.epochs)}`)
  if (unrun.length > 0) pieces.push(`lr ${unrun.map((t) => fmt(t.rate)).join(', ')} not run`)
  return pieces.join('; ')
}


function judge(rate: number, outcome: RunOutcome, minDrop: number): Trial {
  const losses = outcome.record.losses
  const first = losses[0] ?? Number.NaN
  const last = finalLoss({ losses })
  const bad = losses.findIndex((l) => !Number.isFinite(l))
  const drop = (first - last) / (Math.abs(first) || 1)
  // No epoch shows no fall: a plateau of length 0, not a pass.
  const judged: Verdict = bad >= 0 || last > first ? 'diverged' : !(drop >= minDrop) ? 'plateau' : 'ok'
  // A loss that already fell by minDrop, or went non-finite, is decided; rising or flat after fewer epochs than asked is not.
  const verdict = outcome.record.stoppedBy === 'timeout' && judged !== 'ok' && bad < 0 ? 'cut' : judged
  return { rate, outcome, verdict, drop, nonFinite: bad >= 0 ? bad + 1 : undefined }
}

function row(t: Trial, width: number): string {
  const label = `lr ${fmt(t.rate).padEnd(width)}`
  if (!t.outcome) return `– ${label}  not run`
  const losses = t.outcome.record.losses
  const move = `${fmt(losses[0] ?? Number.NaN)} → ${fmt(finalLoss({ losses }))}`
  if (t.verdict === 'ok') return `✓ ${label}  loss ${move} (−${fmt(t.drop * 100)}%)`
  if (t.verdict === 'cut') return `✗ ${label}  cut short by the budget ${stoppedAfter(losses.length)}${losses.length ? `: loss ${move}` : ''}, not judged`
  if (t.nonFinite) return `✗ ${label}  diverged: loss became ${losses[t.nonFinite - 1]} at epoch ${t.nonFinite}`
  if (t.verdict === 'diverged') return `✗ ${label}  diverged: loss rose ${move}`
  return `✗ ${label}  plateau: loss moved ${fmt(t.drop * 100)}% (${move})`
}

/** `trains at lr 0.01 to 1`, over the rates tried; gaps are listed rather than bridged. */
function workingRange(trials: Trial[]): string {
  const ok = trials.filter((t) => t.verdict === 'ok')
  if (ok.length === 0) return 'trains at none of the rates tried'
  const first = trials.indexOf(ok[0]!)
  const contiguous = trials.slice(first, first + ok.length).every((t) => t.verdict === 'ok')
  if (ok.length === 1) return `trains at lr ${fmt(ok[0]!.rate)} only`
  return contiguous ? `trains at lr ${fmt(ok[0]!.rate)} to ${fmt(ok[ok.length - 1]!.rate)}` : `trains at lr ${ok.map((t) => fmt(t.rate)).join(', ')}`
}

/** C5 for rates that diverge, C6 for rates that stall, each pointing at the nearest rate that trained. */
function rateFindings(trials: Trial[], minDrop: number): Finding[] {
  // Diverged and plateau trials ran: only a run's own curve decides them.
  const ok = trials.filter((t) => t.verdict === 'ok')
  const diverged = trials.filter((t) => t.verdict === 'diverged')
  const stalled = trials.filter((t) => t.verdict === 'plateau')
  const own: Finding[] = []
  if (diverged.length > 0) {
    const low = diverged[0]!
    const safe = ok.filter((t) => t.rate < low.rate).pop()
    const how = low.nonFinite ? `loss became ${low.outcome!.record.losses[low.nonFinite - 1]} at epoch ${low.nonFinite}` : `loss rose ${fmt(-low.drop * 100)}% over ${low.outcome!.record.epochs} epochs`
    own.push(cause.divergesAtRate(
      `${how} at lr ${fmt(low.rate)}` + (diverged.length > 1 ? `; also diverges at lr ${diverged.slice(1).map((t) => fmt(t.rate)).join(', ')}` : ''),
      { rate: low.rate, safe: safe?.rate },
    ))
  }
  if (stalled.length > 0) {
    const high = stalled[stalled.length - 1]!
    const works = ok.find((t) => t.rate > high.rate)
    own.push(cause.stallsAtRate(`loss moved ${fmt(high.drop * 100)}% (< ${fmt(minDrop * 100)}%) over ${high.outcome!.record.epochs} epochs at lr ${fmt(high.rate)}` +
        (stalled.length > 1 ? `; also stalls at lr ${stalled.slice(0, -1).map((t) => fmt(t.rate)).join(', ')}` : ''),
      { works: works?.rate },
    ))
  }
  const worst = (diverged[0] ?? stalled[stalled.length - 1])!
  return causes(worst.outcome!, own)
}
