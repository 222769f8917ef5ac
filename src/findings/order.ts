import type { ChecklistId, Finding } from '../types.js'

/**
 * Symptoms a root cause produces, from the checklist's own causal chain: features far off unit scale make gradients
 * explode and the loss diverge (C1 → C10, C5); too large a step kills ReLUs (C5 → C9); a loss that barely moved has
 * not yet learned to tell inputs apart (C6 → C8); inputs identical across samples put every sample on the same side of
 * every ReLU and leave nothing to fit (C8 → C9, C10, C6, C7). When both are seen, the root cause is the one to fix first.
 */
interface Chain {
  of: ChecklistId[]
  when: (cause: Finding) => boolean
  /** A symptom that is a root cause of its own stays where it is (an input cut off from the output stalls the loss). */
  unless?: (symptom: Finding) => boolean
  name: string
}
const CONSEQUENCES: Partial<Record<ChecklistId, Chain>> = {
  C1: { of: ['C5', 'C10'], when: (f) => f.severity === 'error', name: 'the unscaled features' },
  C5: { of: ['C9'], when: (f) => f.severity === 'error', name: 'the learning rate' },
  C6: { of: ['C8'], when: (f) => f.severity === 'error', unless: (f) => f.kind === 'inputCutOff' || f.kind === 'identicalInputs', name: 'a loss that has barely moved' },
  C8: { of: ['C9', 'C10', 'C6', 'C7'], when: (f) => f.kind === 'identicalInputs', name: 'identical inputs' },
}

/** Moves each symptom right after its root cause, saying so in its evidence; otherwise keeps the order given. */
export function rootCausesFirst(findings: Finding[]): Finding[] {
  const out = [...findings]
  for (const [id, rule] of Object.entries(CONSEQUENCES) as [ChecklistId, Chain][]) {
    const at = out.findIndex((f) => f.id === id && rule.when(f))
    if (at < 0) continue
    const before = out.slice(0, at).filter((f) => rule.of.includes(f.id) && !rule.unless?.(f))
    if (before.length === 0) continue
    const rest = out.filter((f) => !before.includes(f))
    const moved = before.map((f) => ({ ...f, evidence: `${f.evidence}; likely a consequence of ${rule.name} (${id})` }))
    rest.splice(rest.indexOf(out[at]!) + 1, 0, ...moved)
    out.splice(0, out.length, ...rest)
  }
  return out
}
