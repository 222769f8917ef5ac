import { finalLoss } from './record.js'
import { count, fmt } from './format.js'
import type { Diagnosis } from './diagnose.js'
import { asNote, fixFor } from './findings/catalogue.js'
import type { Fix, FixContext, FixKind, FixTarget } from './findings/fixes.js'
import { Untrainable } from './untrainable.js'
import type { ChecklistId, Finding } from './types.js'

/**
 * Intervene, don't guess: a likely cause is verified when its fix, and only that fix, applied to the failing run
 * under the same seed and backend makes it succeed. Verified causes rank first; a cause whose fix did not help is
 * demoted to a note when that fix is its own counterfactual (see Fix.decisive) and the re-run did no better at all, and says so; a finding that is gone from the fixed run is marked a consequence of the verified cause.
 */

/** What one re-run with a fix did. */
export interface Trial {
  /** The re-run met the failing check's criterion. */
  helped: boolean
  /** The re-run did no better than the failing run: the fix changed nothing that matters (else, short of `helped`, it is inconclusive). */
  refuted: boolean
  /** Completes "<fix label> the same run …": `reaches 0.0081 at epoch 38`. */
  outcome: string
  /** The failing run's final loss, for a fix that fell short: the reader judges "better" from both numbers. */
  without?: number
  /** What the re-run's own probes found, to tell consequences of the fixed cause. */
  findings: Finding[]
}

/** Re-runs the failing check on a fixed target within `timeoutMs`. */
export type Rerun<D> = (target: FixTarget<D>, timeoutMs: number) => Promise<Trial>

/** At most this many fixes are tried: each costs up to one more run of the check. */
export const MAX_CANDIDATES = 3

interface Candidate {
  fix: Fix
  findings: Finding[]
  stage: number
  order: number
}

/**
 * The findings re-ranked by what their fixes did, trying at most MAX_CANDIDATES fixes in the order their evidence first
 * appeared, within `budgetMs`, and stopping at the first that works (the earliest cause whose fix works is the root).
 */
export async function verifyCauses<D>(
  findings: Finding[],
  ctx: FixContext,
  target: FixTarget<D>,
  rerun: Rerun<D>,
  budgetMs: number,
  skip: readonly FixKind[] = [],
): Promise<Finding[]> {
  const candidates = candidatesOf(findings, ctx, skip)
  if (candidates.length === 0) return findings
  const start = Date.now()
  const tried = new Map<string, { fix: Fix; trial: Trial }>()
  let fixed: { fix: Fix; trial: Trial } | undefined
  for (const c of candidates) {
    if (c.fix.already) {
      tried.set(c.fix.key, { fix: c.fix, trial: { helped: false, refuted: true, outcome: c.fix.already, findings: [] } })
      continue
    }
    // A fix with further steps (a rate ÷10, then ÷100…) is tried step by step; the last step tried speaks for it.
    let step: Fix | undefined = c.fix
    let last: { fix: Fix; trial: Trial } | undefined
    let outOfTime = false
    while (step) {
      const left = budgetMs - (Date.now() - start)
      if (left <= 0) {
        outOfTime = true
        break
      }
      let trial: Trial
      try {
        trial = await rerun(step.apply(target), left)
      } catch (error) {
        // The fix cannot be applied to this model (NotEditable), or the re-run could not run at all (a factory that hands
        // out a variable the first run disposed): nothing is verified either way, and the failing check's report stands.
        if (!(error instanceof Untrainable)) break
        trial = { helped: false, refuted: true, outcome: `cannot train: ${error.findings[0]?.title ?? 'its configuration'}`, findings: error.findings }
      }
      last = { fix: step, trial }
      if (trial.helped) break
      step = step.next?.()
    }
    if (last) tried.set(c.fix.key, last)
    if (last?.trial.helped) {
      fixed = last
      break
    }
    if (outOfTime) break
  }
  return rerank(findings, ctx, tried, fixed)
}

function rerank(findings: Finding[], ctx: FixContext, tried: Map<string, { fix: Fix; trial: Trial }>, fixed: { fix: Fix; trial: Trial } | undefined): Finding[] {
  const verified: Finding[] = []
  const rest: Finding[] = []
  const failed: Finding[] = []
  const remaining = new Set<ChecklistId>((fixed?.trial.findings ?? []).filter(severe).map((f) => f.id))
  for (const f of findings) {
    const fix = severe(f) ? fixFor(f, ctx) : undefined
    const t = fix && tried.get(fix.key)
    if (t) {
      const said = t.fix.already ?? `${t.fix.label} the same run ${t.trial.outcome}`
      const outcome = t.trial.helped ? said : `${said} (${t.trial.refuted ? 'the fix did not help' : `${t.trial.without === undefined ? '' : `${fmt(t.trial.without)} without the fix; `}short of the goal`})`
      const verification = { fix: t.fix.code, outcome, helped: t.trial.helped }
      // The fix text names the first step (lr ÷10); when only a further step passed, the text would advise one that failed.
      if (t.trial.helped) verified.push({ ...f, verification, ...(t.fix.key === fix.key ? {} : { fix: `${t.fix.code}, verified; ${fix.label} it fell short` }) })
      // A cause its own counterfactual did not improve at all is refuted as the cause of this failure: it stays, as a note.
      else if (t.fix.decisive && t.trial.refuted) failed.push(asNote({ ...f, verification }))
      else rest.push({ ...f, verification })
    } else if (fixed && severe(f) && !remaining.has(f.id) && !/a consequence of/.test(f.evidence)) {
      rest.push({ ...f, evidence: `${f.evidence} (a consequence: gone ${fixed.fix.label})` })
    } else {
      rest.push(f)
    }
  }
  return [...verified, ...rest, ...failed]
}

const severe = (f: Finding): boolean => f.severity === 'error' || f.severity === 'warning'

/** Warnings and errors with a mechanical fix, one per fix, in the order their evidence first appeared. */
function candidatesOf(findings: Finding[], ctx: FixContext, skip: readonly FixKind[]): Candidate[] {
  const byKey = new Map<string, Candidate>()
  findings.forEach((f, order) => {
    if (!severe(f)) return
    const fix = fixFor(f, ctx)
    if (!fix || skip.includes(fix.kind)) return
    const known = byKey.get(fix.key)
    if (known) known.findings.push(f)
    else byKey.set(fix.key, { fix, findings: [f], stage: stageOf(f, ctx), order })
  })
  return [...byKey.values()].sort((a, b) => a.stage - b.stage || a.order - b.order).slice(0, MAX_CANDIDATES)
}

/**
 * The training step at which a finding's evidence first appeared: the data, the config and the initial weights before
 * any step (0); the first gradients at step 1; a rising or diverging loss at the epoch it first rose; what is read on
 * the trained model (dead units, a plateau, a precision stall) after the last epoch.
 */
function stageOf(f: Finding, { record, evidence }: FixContext): number {
  const end = record.epochs + 1
  switch (f.id) {
    case 'C1': case 'C2': case 'C3': case 'C4': case 'C11': case 'C14': case 'C15': case 'C16':
      return 0
    case 'C10':
      return 1
    case 'C9':
      return (evidence?.activations.initial ?? []).some((l) => l.dead > 0.5 || l.saturated > 0.5) ? 0 : end
    case 'C5': {
      const losses = record.losses
      const at = losses.findIndex((l, i) => !Number.isFinite(l) || (i > 0 && l > losses[i - 1]!))
      return at < 0 ? end : at + 1
    }
    default:
      return end
  }
}

/** Share of the failing run's remaining loss (relative to chance) a fix must remove when the re-run misses the goal. */
const HALF = 0.5

/**
 * A diagnosis re-run with a fix, judged against the failing one: it helped when it reached the goal, or ended finite,
 * below chance and with at most half the failing run's remaining loss, both measured as a share of their chance loss
 * (a fix may change the loss, e.g. a cross-entropy for a squared error, so raw values do not compare). A diverged run
 * counts as chance.
 */
export function diagnosisTrial(before: Diagnosis, after: Diagnosis): Trial {
  const { record } = after
  const last = finalLoss(record)
  const goal = record.stoppedBy === 'goal'
  const was = relative(before)
  const now = relative(after)
  const helped = goal || (Number.isFinite(last) && now < Math.min(HALF * (Number.isFinite(was) ? was : 1), 1))
  const accuracy = record.accuracy === undefined ? '' : `, accuracy ${fmt(record.accuracy * 100)}%`
  const outcome = !Number.isFinite(last)
    ? `still became ${last} at epoch ${record.losses.findIndex((l) => !Number.isFinite(l)) + 1}`
    : helped
      ? `reaches ${fmt(last)} at epoch ${record.epochs}${accuracy}${goal ? ' (the goal)' : ''}`
      : `still ends at ${fmt(last)} after ${count(record.epochs, 'epoch')}${accuracy}`
  return { helped, refuted: !helped && !(now < was), outcome, findings: after.findings, without: finalLoss(before.record) }
}

/** The final loss as a share of the loss a model ignoring its input scores (else of the run's first loss). */
function relative({ record, evidence }: Diagnosis): number {
  const last = finalLoss(record)
  const first = record.losses[0]
  const scale = evidence.chance !== undefined && evidence.chance > 0 ? evidence.chance : first !== undefined && Number.isFinite(first) && first > 0 ? first : undefined
  return Number.isFinite(last) && scale !== undefined ? last / scale : Number.POSITIVE_INFINITY
}
