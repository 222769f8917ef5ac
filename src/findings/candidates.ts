import type { Finding } from '../types.js'
import { CAPACITY } from './capacity.js'
import { FROZEN, UNLISTED } from './frozen.js'

/** Findings raised as candidates for verification: they stand only when their fix, tried alone, made the run succeed. */
const CANDIDATES = new Set([FROZEN, UNLISTED, CAPACITY])

/**
 * diagnose()'s candidate causes (frozen or unlisted weights, too little capacity) are notes until their fix under the
 * same seed succeeds: unverified (verification off, out of budget, or it did not help) they follow the causes that stand.
 */
export function unverifiedCandidates(findings: Finding[]): Finding[] {
  const note = (f: Finding): boolean => CANDIDATES.has(f.title) && f.severity !== 'info' && f.verification?.helped !== true
  return [...findings.filter((f) => !note(f)), ...findings.filter(note).map((f) => ({ ...f, severity: 'info' as const }))]
}
