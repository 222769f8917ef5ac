import type { Finding, Severity } from '../types.js'

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** Errors before warnings before notes; within a severity, the higher score first. */
export function rank<F extends Finding>(findings: F[]): F[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.score - a.score)
}
