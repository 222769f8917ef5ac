import * as tf from '@tensorflow/tfjs'
import { diagnose, type Finding } from 'trainability'
import { afterAll, describe, expect, test } from 'vitest'
import { broken, healthy } from './fixtures/corpus.js'

const confusion: [string, string, string][] = []

afterAll(() => {
  const width = Math.max(...confusion.map(([name]) => name.length))
  console.log(['diagnose() confusion table: expected id → top finding', ...confusion.map(([name, want, got]) => `  ${name.padEnd(width)}  ${want.padEnd(7)} → ${got}${want === got ? '' : '   ✗'}`)].join('\n'))
})

const top = (findings: Finding[]): string => (findings[0] ? `${findings[0].id} (${findings[0].severity})` : 'none')

describe('diagnose() on the broken corpus: the top finding names the checklist id', () => {
  test.each(broken.map((s) => [s.expected!, s.name, s] as const))('%s %s', async (id, _, specimen) => {
    const before = tf.memory().numTensors
    const { findings } = await diagnose(specimen.subject, specimen.data, specimen.options)
    expect(tf.memory().numTensors).toBe(before)
    confusion.push([specimen.name, id, findings[0]?.id ?? 'none'])
    expect(findings[0]?.id, findings.map((f) => `${f.id} ${f.severity} ${f.score}: ${f.evidence}`).join('\n')).toBe(id)
    expect(findings[0]?.evidence).toMatch(/\d/) // earned by numbers
  })
})

describe('diagnose() on healthy models: nothing above info', () => {
  test.each(healthy.map((s) => [s.name, s] as const))('%s', async (_, specimen) => {
    const { findings } = await diagnose(specimen.subject, specimen.data, specimen.options)
    confusion.push([specimen.name, 'healthy', findings.filter((f) => f.severity !== 'info')[0]?.id ?? 'healthy'])
    expect(findings.filter((f) => f.severity !== 'info'), top(findings)).toEqual([])
  })
})
