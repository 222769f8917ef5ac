import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { Finding, TrainingRecord } from '../types.js'
import { asNote } from './catalogue.js'

/**
 * The data findings a model can train through: features off unit scale (C1), far values in a feature (C2). Not far
 * targets: under a squared error they set the chance loss themselves, so a loss below half of it may be them fitted.
 */
const ofFeatures = (f: Finding): boolean => (f.id === 'C1' || f.id === 'C2') && f.kind !== 'targetOutliers'

/**
 * diagnose() asks why a model did not train. A run whose final loss is at most half its chance loss (the bar a fix must
 * clear in verify.ts, and the corpus's "learned") has learned, so the features' scale and far values did not stop it:
 * those findings are notes there, saying so, and are not verified, as the few lit pixels of images a robust z-score
 * calls far, or dark pixels whose rms is small, are what such a model learns from. A check that fails on something
 * else than the loss (saturated units, scale invariance) keeps them as causes: it does not call this.
 */
export function learnedDespiteData(findings: Finding[], record: TrainingRecord, evidence?: Evidence): Finding[] {
  const chance = evidence?.chance
  const last = record.losses[record.losses.length - 1]
  if (chance === undefined || !(chance > 0) || last === undefined || !(last <= chance / 2)) return findings
  const note = `training reached ${fmt(last)}, below half the chance loss ${fmt(chance)}: the model learned in spite of them`
  return findings.map((f) => (ofFeatures(f) && f.severity !== 'info' ? { ...asNote(f), evidence: `${f.evidence}; ${note}` } : f))
}
