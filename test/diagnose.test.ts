import * as tf from '@tensorflow/tfjs'
import { diagnose, type Finding } from 'trainability'
import { afterAll, describe, expect, test } from 'vitest'
import { broken, healthy } from './fixtures/corpus.js'

const confusion: [string, string, string][] = []

afterAll(() => {
  const width = Math.max(...confusion.map(([name]) => name.length))
  console.log(['diagnose() confusion table: expected id → top finding', ...confusion.map(([name, want, got]) => `  ${name.padEnd(width)}  ${want.padEnd(7)} → ${got}${want === got ? '' : '   ✗'}`)].join('\n'))
})

/**
 * The numbers in a piece of evidence once names are taken out: identifiers with digits in them (dense_Dense12/kernel,
 * conv2d_Conv2D3, float16, C9) and indices (variables[2], kernel[0]) are not measurements.
 */
function measurements(evidence: string): string[] {
  const unnamed = evidence.replace(/[A-Za-z_][\w/]*\d[\w/]*/g, ' ').replace(/\[\d+(, *\d+)*\]/g, ' ')
  return unnamed.match(/(?<![\w.])[-−]?\d+(\.\d+)?(e[+-]?\d+)?%?/g) ?? []
}

test('measurements: a layer name alone is not a measurement', () => {
  expect(measurements('dense_Dense12/kernel unchanged after training')).toEqual([])
  expect(measurements('variables[2] unchanged; C9 in float16')).toEqual([])
  expect(measurements('dense_Dense3 gets a gradient norm of 1.2e-9 while dense_Dense1 gets 0.5')).toEqual(['1.2e-9', '0.5'])
  expect(measurements('loss moved 0.02% over 300 epochs')).toEqual(['0.02%', '300'])
})

const top = (findings: Finding[]): string => (findings[0] ? `${findings[0].id} (${findings[0].severity})` : 'none')

describe('diagnose() on the broken corpus: the top finding names the checklist id', () => {
  test.each(broken.map((s) => [s.expected!, s.name, s] as const))('%s %s', async (id, _, specimen) => {
    const before = tf.memory().numTensors
    const { findings } = await diagnose(specimen.subject, specimen.data, specimen.options)
    expect(tf.memory().numTensors).toBe(before)
    confusion.push([specimen.name, id, findings[0]?.id ?? 'none'])
    expect(findings[0]?.id, findings.map((f) => `${f.id} ${f.severity} ${f.score}: ${f.evidence}`).join('\n')).toBe(id)
    // Earned by numbers: every finding's evidence quotes a measurement, not only digits inside a name.
    for (const f of findings) expect(measurements(f.evidence), `${f.id}: ${f.evidence}`).not.toEqual([])
  })
})

describe('diagnose() on healthy models: nothing above info', () => {
  test.each(healthy.map((s) => [s.name, s] as const))('%s', async (_, specimen) => {
    const { findings } = await diagnose(specimen.subject, specimen.data, specimen.options)
    confusion.push([specimen.name, 'healthy', findings.filter((f) => f.severity !== 'info')[0]?.id ?? 'healthy'])
    expect(findings.filter((f) => f.severity !== 'info'), top(findings)).toEqual([])
  })
})
