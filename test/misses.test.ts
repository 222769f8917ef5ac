import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, scalers, type Finding } from 'trainability'
import { describe, expect, test } from 'vitest'
import { table } from './fixtures/models.js'

// Issue 10, "Known misses to fix on the way": each miss with the case the issue describes.

const list = (findings: Finding[]): string => findings.map((f) => `${f.id} ${f.severity}: ${f.title}: ${f.evidence}`).join('\n')

/** Prices-like raw features (means 50 and 200, stds about 29 and 58), labelled by a linear rule on them. */
function raw(rows: number, salt: number): { x: number[][]; y: number[] } {
  const x = table(rows, 2, salt).map(([a, b]) => [50 + 100 * (a! - 0.5), 200 + 200 * (b! - 0.5)])
  return { x, y: x.map(([a, b]) => ((a! - 50) / 29 + (b! - 200) / 58 > 0 ? 1 : 0)) }
}

/** Each column shifted by its mean and divided by its std, both taken from `from`. */
function standardized(x: number[][], from: number[][]): number[][] {
  const cols = from[0]!.length
  const mean = Array.from({ length: cols }, (_, j) => from.reduce((s, r) => s + r[j]!, 0) / from.length)
  const std = Array.from({ length: cols }, (_, j) => Math.sqrt(from.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / from.length))
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!))
}

const unit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

describe('C14 vs C13 in diagnose()', () => {
  const train = raw(64, 1)
  const validation = raw(32, 2)

  test('a validation set left in raw units while training is standardized is C14, not C13', async () => {
    const data = { train: { x: standardized(train.x, train.x), y: train.y }, validation }
    const { findings } = await diagnose(unit, data, { maxEpochs: 40 })
    expect(findings[0]?.id, list(findings)).toBe('C14')
    expect(findings[0]?.severity).toBe('error')
    // Raw validation sits near (50, 200) in units where training lies within a few stds of 0: far, in training stds.
    const [, far, near] = /validation samples lie ([\d.e+]+) training standard deviations from the training mean vs ([\d.]+) for training samples/.exec(findings[0]!.evidence) ?? []
    expect(Number(far)).toBeGreaterThan(10 * Number(near))
  })

  test('a validation set standardized with its own statistics before a preprocess fitted on train is C14', async () => {
    // The subject standardizes with the training statistics; the validation set was already standardized by hand with its
    // own, so it is transformed twice and lands near −50/29 and −200/58 training stds.
    const subject = { model: unit, preprocess: scalers.standard() }
    const data = { train, validation: { x: standardized(validation.x, validation.x), y: validation.y } }
    const { findings } = await diagnose(subject, data, { maxEpochs: 40 })
    expect(findings[0]?.id, list(findings)).toBe('C14')
    // The gap training opens on shifted data cannot be told from overfitting: C13, if raised, follows as a consequence.
    for (const f of findings.filter((f) => f.id === 'C13')) {
      expect(f.severity).toBe('warning')
      expect(f.evidence).toMatch(/likely a consequence of the data difference \(C14\)$/)
    }
  })

  test('diagnose() and toGeneralize read C14 from the same measurement: the same evidence under the same seed', async () => {
    const data = { train: { x: standardized(train.x, train.x), y: train.y }, validation }
    const { findings } = await diagnose(unit, data, { maxEpochs: 10, verify: false })
    const check = await checks.generalization(unit, data, { maxEpochs: 10, verify: false })
    expect(check.pass).toBe(false)
    const fromCheck = check.findings.find((f) => f.id === 'C14')
    expect(fromCheck, list(check.findings)).toBeDefined()
    expect(findings.find((f) => f.id === 'C14')?.evidence).toBe(fromCheck!.evidence)
  })

  test('the same split preprocessed alike raises no C14', async () => {
    const subject = { model: unit, preprocess: scalers.standard() }
    const { findings } = await diagnose(subject, { train, validation }, { maxEpochs: 40 })
    expect(findings.map((f) => f.id), list(findings)).not.toContain('C14')
    expect(findings.filter((f) => f.severity !== 'info'), list(findings)).toEqual([])
  })
})
