import { finalLoss } from '../record.js'
import { cause } from '../findings/catalogue.js'
import { count, fmt } from '../format.js'
import { stoppedAfter } from '../message.js'
import { openSession } from '../run.js'
import type { Finding } from '../types.js'
import { percent } from './args.js'
import { causes } from './probed.js'
import { OVERFIT_KINDS, overfitGoal, overfitMarks, overfitSummary, overfitTrial, type OverfitOptions, type OverfitTrial } from './overfit.js'

import { defineCheck } from './define.js'

export interface SeedsOptions extends OverfitOptions {
  /** Seeds to run the overfit test under. Default: five consecutive seeds from the run's seed (42–46 unless `seed` or `TRAINABILITY_SEED` moves them). */
  seeds?: number[]
  /** Share of the seeds that must pass. Default 1: every seed. */
  minSuccessRate?: number
}

const DEFAULT_SEED_COUNT = 5

/**
 * C11: the overfit test (C7) passes under many seeds, not just a lucky one. A model whose result depends on its
 * initialization (too few units, dead ReLUs, poor init) fails here and names the seeds that replay the failure.
 *
 * @example
 * await expect(buildModel).toTrainAcrossSeeds(xor, { seeds: [1, 2, 3, 4, 5], minSuccessRate: 0.8 })
 */
export const acrossSeeds = defineCheck<SeedsOptions>()({
  matcher: 'toTrainAcrossSeeds',
  ids: ['C11'],
  dataset: 'optional',
  defaults: { minSuccessRate: 1 },
  runs: (o) => (Array.isArray(o.seeds) && o.seeds.length > 0 ? o.seeds.length : DEFAULT_SEED_COUNT),
  options: {
    kinds: {
      ...OVERFIT_KINDS,
      seeds: { kind: 'array', of: { kind: 'number', integer: true }, items: 'integer seeds', distinct: true, example: [1, 2, 3, 4, 5] },
      minSuccessRate: { kind: 'number', above: 0, max: 1, example: 0.8, note: '4 seeds in 5' },
    },
  },
  goal: 'overfit its training samples under every seed',
  verify: true,
  async run(subject, data, options) {
    const { minSuccessRate } = options
    const session = await openSession(subject, options)
    const seeds = options.seeds === undefined ? Array.from({ length: DEFAULT_SEED_COUNT }, (_, i) => session.seed + i) : options.seeds
    // One budget for all seeds: a seed starts only while time is left (the first always does), so the budget cuts at
    // most one run short and the seeds after it are not run, instead of each seed getting a budget of its own.
    const trials: OverfitTrial[] = []
    for (const seed of seeds) {
      if (trials.length > 0 && session.budget.left() <= 0) break
      trials.push(await overfitTrial(session, data, options, { seed }))
    }
    const notRun = seeds.slice(trials.length)
    const passedTrials = trials.filter((t) => t.pass)
    // A seed the budget stopped before it met the goal is undecided: it neither passed nor showed a seed that fails.
    const cut = trials.find((t) => !t.pass && t.outcome.record.stoppedBy === 'timeout')
    const failed = trials.filter((t) => !t.pass && t !== cut)
    const passed = passedTrials.length
    // At least one seed: a share above 0 of a few seeds must not round down to none (1e-12 of 5 seeds would pass vacuously).
    const needed = Math.max(1, Math.ceil(minSuccessRate * seeds.length - 1e-9))
    // Undecided seeds count as not passed: the check claims only what the runs it finished show.
    const pass = passed >= needed
    const shown = failed[0] ?? cut ?? trials[0]!
    const rows = [
      ...trials.map((t) => {
        const seed = t.outcome.record.seed
        const mark = t.pass ? '✓' : '✗'
        const note = t === cut ? '  (cut short by the budget)' : t.pass ? '' : `  (replay: TRAINABILITY_SEED=${seed})`
        return `${mark} seed ${seed}  ${overfitSummary(t)}${note}`
      }),
      ...notRun.map((seed) => `– seed ${seed}  not run`),
    ]
    const undecided = (cut ? 1 : 0) + notRun.length
    const allowed = seeds.length - needed
    const verdict = undecided === 0
      ? ''
      : pass
        ? `, the ${needed} required, before the budget ran out`
        : failed.length > allowed
          ? `; ${failed.length} failed outright, more than the ${allowed} allowed`
          : `; ${needed} required, and the ${count(undecided, 'seed')} the budget stopped count${undecided === 1 ? 's' : ''} as not passed`
    const findings = pass ? [] : failed.length > 0 ? seedFindings(passedTrials, failed) : cut ? causes(cut.outcome, []) : []
    return {
      pass,
      expectation: `${overfitGoal(shown)} under at least ${needed} of ${seeds.length} seeds (${seedList(seeds)})`,
      details: [`${passed} of ${seeds.length} seeds passed (${percent(passed / seeds.length)})${verdict}`, ...rows],
      record: shown.outcome.record,
      outcome: shown.outcome,
      findings,
      budget: budgetStop(trials.length, seeds.length, cut, notRun),
      curves: trials.map((t) => ({ label: `seed ${t.outcome.record.seed}`, losses: t.outcome.record.losses })),
      // One goal for every seed; no single decided epoch, each seed stopped at its own.
      goal: overfitMarks(shown).goal,
    }
  },
})

/** `in seed 44 after 120 epochs`; `after 3 of 5 seeds (seed 44 cut short after 120 epochs): seeds 45, 46 not run`. */
function budgetStop(ran: number, total: number, cut: OverfitTrial | undefined, notRun: number[]): string | undefined {
  const where = cut && `seed ${cut.outcome.record.seed} ${stoppedAfter(cut.outcome.record.epochs)}`
  if (notRun.length === 0) return where && `in ${where}`
  return `after ${ran} of ${total} seeds${where ? ` (${where})` : ''}: ${notRun.length === 1 ? 'seed' : 'seeds'} ${notRun.join(', ')} not run`
}


/** `42–46` for a consecutive run, else the seeds listed. */
function seedList(seeds: number[]): string {
  const consecutive = seeds.length > 2 && seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1)
  return consecutive ? `${seeds[0]}–${seeds[seeds.length - 1]}` : seeds.join(', ')
}

/** C11 when the verdict flips with the seed; what the first failing run shows either way. */
function seedFindings(passed: OverfitTrial[], failed: OverfitTrial[]): Finding[] {
  if (passed.length === 0) return causes(failed[0]!.outcome, [])
  const final = (t: OverfitTrial): number => finalLoss(t.outcome.record)
  const seedsOf = (ts: OverfitTrial[]): string => ts.map((t) => t.outcome.record.seed).join(', ')
  const worst = Math.max(...failed.map(final))
  const c11 = cause.seedDependent(`passes under seed${passed.length > 1 ? 's' : ''} ${seedsOf(passed)}, fails under ${seedsOf(failed)} ` +
      `(final loss ${fmt(Math.max(...passed.map(final)))} vs up to ${fmt(worst)})`,
    { replay: failed[0]!.outcome.record.seed },
  )
  // The same learning rate trained under another seed, so the curve's C5/C6 reading is contradicted.
  return causes(failed[0]!.outcome, [c11], ['C5', 'C6'])
}
