import { findingsOf, rank } from '../findings/index.js'
import { rootCausesFirst } from '../findings/order.js'
import { shared, type Watch } from '../cache.js'
import { probes, type Evidence } from '../probes/evidence.js'
import type { RunOutcome, RunRequest, Session } from '../run.js'
import type { ChecklistId, Finding } from '../types.js'

export interface ProbedOutcome extends RunOutcome {
  evidence: Evidence
}

/**
 * A run with every probe attached, so a failing check can show causes earned by evidence. A request with no goal and no
 * hooks of its own is shared with the other checks that need the same run (src/cache.ts); a check that must watch the
 * run passes a `watch` (read-only hooks, which may stop the run) rather than hooks, and reads what it saw in `seen`.
 */
export function probedRun(session: Session, request: RunRequest): Promise<ProbedOutcome>
export function probedRun<T>(session: Session, request: RunRequest, watch: Watch<T>): Promise<ProbedOutcome & { seen: T }>
export function probedRun<T>(session: Session, request: RunRequest, watch?: Watch<T>): Promise<ProbedOutcome & { seen?: T }> {
  return shared(session, request, watch, async () => {
    const probe = probes()
    const watching = watch?.start()
    const outcome = await session.run({ ...request, observers: [...(request.observers ?? []), ...(watching ? [watching.observer] : []), probe.observer] })
    return { ...outcome, evidence: probe.evidence, seen: watching?.seen() }
  })
}

/**
 * A failing check's likely causes: its own findings first (unless they are symptoms of a root cause seen, which then leads), then what the run's probes show on other
 * checklist items, ranked, one per id; leaves out the ids the check's own evidence contradicts (C6 when the same
 * learning rate trained under another seed).
 */
export function causes(outcome: RunOutcome & { evidence?: Evidence }, own: Finding[] = [], contradicted: ChecklistId[] = []): Finding[] {
  // A rate the check itself found too high is not also too low, nor the reverse.
  const opposite: ChecklistId[] = own.some((f) => f.id === 'C5') ? ['C6'] : own.some((f) => f.id === 'C6') ? ['C5'] : []
  const seen = findingsOf(outcome, false, outcome.evidence).filter((f) => !own.some((o) => o.id === f.id) && !contradicted.includes(f.id) && !opposite.includes(f.id))
  // The check's own finding is the rule it just tested, with its numbers: it leads.
  const all = [...rank(own), ...seen]
  return rootCausesFirst(all.filter((f, i) => all.findIndex((g) => g.id === f.id) === i))
}
