// What every real-model verdict test asserts: a bug makes its matcher fail with the expected checklist id FIRST
// and the message says so in words; a healthy model raises no error or warning in diagnose().
import type { CheckResult, ChecklistId, Diagnosis } from 'trainability'
import { expect } from 'vitest'
import type { BugCase } from './models/common.js'

/** Words a message naming each cause must contain, whatever its exact phrasing. */
const WORDS: Partial<Record<ChecklistId, RegExp>> = {
  C1: /scal|standardi[sz]|normali[sz]/i,
  C3: /activation|softmax|sigmoid|logit|probabilit/i,
  C4: /label|target|one-hot/i,
  C5: /learning rate|lr /i,
  C6: /learning rate|lr /i,
  C10: /gradient/i,
  C11: /initiali[sz]/i,
  C15: /trainable|frozen|never change|not change/i,
}

/** The check failed (what `.not` asserts), its first likely cause is the bug's id, and the message says so. */
export function expectCaught(result: CheckResult, bug: BugCase): void {
  expect(result.pass, result.message).toBe(false)
  expect(result.findings[0]?.id, `first cause for ${bug.name}\n${result.message}`).toBe(bug.expected)
  expect(result.message).toMatch(new RegExp(`1\\. ${bug.expected} `))
  const words = WORDS[bug.expected]
  if (words !== undefined) expect(result.message).toMatch(words)
}

/** diagnose() on a healthy model: every finding at most `info`. */
export function expectNoAlarm(diagnosis: Diagnosis): void {
  const alarms = diagnosis.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id} ${f.severity} ${f.title}: ${f.evidence}`)
  expect(alarms, alarms.join('\n')).toEqual([])
}

/** Conv layers are ~50× slower on tfjs's CPU backend than on native TensorFlow. */
export const onCpu = process.env.TRAINABILITY_BACKEND === 'cpu'
