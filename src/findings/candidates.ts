import type { Finding } from '../types.js'
import { asNote, type CauseKind } from './catalogue.js'

/** Findings raised as candidates for verification: they stand only when their fix, tried alone, made the run succeed. */
const CANDIDATES = new Set<CauseKind>(['frozenWeights', 'unlistedVariables', 'tooLittleCapacity'])

/**
 * diagnose()'s candidate causes (frozen or unlisted weights, too little capacity) are notes until their fix under the
 * same seed succeeds: unverified (verification off, out of budget, or it did not help) they follow the causes that stand.
 */
export function unverifiedCandidates(findings: Finding[]): Finding[] {
  const note = (f: Finding): boolean => CANDIDATES.has(f.kind) && f.severity !== 'info' && f.verification?.helped !== true
  return [...findings.filter((f) => !note(f)), ...findings.filter(note).map(asNote)]
}

/**
 * A verified capacity fix ranks after the other errors and warnings that stand: more units also fit around outliers,
 * unscaled features or a poor start, so capacity explains the failure only where the evidence shows nothing else.
 */
export function capacityLast(findings: Finding[]): Finding[] {
  const capacity = (f: Finding): boolean => f.kind === 'tooLittleCapacity' && f.verification?.helped === true
  const standing = (f: Finding): boolean => !capacity(f) && (f.severity === 'error' || f.severity === 'warning') && !/a consequence/.test(f.evidence)
  const at = findings.findIndex(capacity)
  if (at < 0 || !findings.some(standing)) return findings
  const rest = findings.filter((f) => !capacity(f))
  const after = rest.reduce((last, f, i) => (standing(f) ? i : last), -1)
  return [...rest.slice(0, after + 1), ...findings.filter(capacity), ...rest.slice(after + 1)]
}
