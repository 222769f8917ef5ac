import { findingsOf, rank } from '../findings/index.js'
import { probes, type Evidence } from '../probes/evidence.js'
import type { RunOutcome, RunRequest, Session } from '../run.js'
import type { Finding } from '../types.js'

export interface ProbedOutcome extends RunOutcome {
  evidence: Evidence
}

/** A run with every probe attached, so a failing check can show causes earned by evidence. */
export async function probedRun(session: Session, request: RunRequest): Promise<ProbedOutcome> {
  const probe = probes()
  const outcome = await session.run({ ...request, observers: [...(request.observers ?? []), probe.observer] })
  return { ...outcome, evidence: probe.evidence }
}

/** The check's own findings first, then what the probes show, ranked; one finding per checklist id. */
export function causes(outcome: ProbedOutcome, own: Finding[] = [], reachedGoal = false): Finding[] {
  const all = rank([...own, ...findingsOf(outcome, reachedGoal, outcome.evidence).filter((f) => !own.some((o) => o.id === f.id))])
  return all.filter((f, i) => all.findIndex((g) => g.id === f.id) === i)
}
