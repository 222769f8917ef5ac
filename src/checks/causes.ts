import { findingsOf, rank } from '../findings.js'
import type { RunOutcome } from '../run.js'
import type { ChecklistId, Finding } from '../types.js'

/**
 * A failing check's likely causes: its own findings, then what the run shows on other checklist items, ranked;
 * leaves out the ids the check's own evidence contradicts (C6 when the same learning rate trained under another seed).
 */
export function causesOf(outcome: RunOutcome, own: Finding[], contradicted: ChecklistId[] = []): Finding[] {
  const seen = findingsOf(outcome, false).filter((f) => !own.some((o) => o.id === f.id) && !contradicted.includes(f.id))
  return rank([...own, ...seen])
}
