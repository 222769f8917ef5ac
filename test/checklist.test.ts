import * as tf from '@tensorflow/tfjs'
import { checks, type CheckResult } from 'trainability'
import { describe, expect, test } from 'vitest'
import { brokenFor, healthy, healthyMlp, type Specimen } from './fixtures/corpus.js'

const data = (s: Specimen) => s.data as { x: number[][]; y: number[] }
const custom = healthy.find((s) => s.name.startsWith('custom'))!

type Check = (subject: never, dataset?: never, options?: never) => Promise<CheckResult>

/** Each matcher: a healthy pass, a broken fail whose message names the rule, numbers and top cause, and `.not`. */
const cases: { matcher: string; check: Check; id: string; rule: RegExp; numbers: RegExp; cause: RegExp; healthy?: Specimen }[] = [
  {
    matcher: 'toStartNearChanceLoss', check: checks.startNearChance as Check, id: 'C3',
    rule: /^expected model to start near its chance loss 0\.6931 \(within 50%\) with an output that fits sigmoidCrossEntropy$/m,
    numbers: /initial loss \d\.\d+ \([\d.]+% from chance\)/,
    cause: /1\. C3 loss\/activation mismatch: sigmoid output fed to sigmoidCrossEntropy, which expects logits/,
  },
  {
    matcher: 'toUpdateAllTrainableWeights', check: checks.updateAllTrainableWeights as Check, id: 'C15',
    rule: /^expected model to update every trainable weight, and no frozen one, within 5 steps$/m,
    numbers: /2 of 3 trainable variables changed after 5 steps/,
    cause: /1\. C15 trainable weights never change: variables\[2\] unchanged after 5 steps; no gradient reaches variables\[2\]/,
    healthy: custom,
  },
  {
    matcher: 'toStayFinite', check: checks.stayFinite as Check, id: 'C5',
    rule: /^expected model to keep loss, weights and gradients finite for 100 epochs$/m,
    // cpu: a gradient overflows first; tensorflow: the loss does, with gradients still finite.
    numbers: /loss became (Infinity|NaN) at epoch \d+([\s\S]*first non-finite (gradient|weight): dense_Dense\d+\/\w+ (at|after) epoch \d+)?/,
    cause: /1\. C5 training diverges to NaN\/Infinity: (dense_Dense\d+\/\w+|the loss) went non-finite at epoch \d+ at lr 3 \(try lr 0\.3/,
  },
  {
    matcher: 'toHaveHealthyGradients', check: checks.healthyGradients as Check, id: 'C10',
    rule: /^expected model to have per-layer gradient norms in \[1e-6, 1000\] spreading at most 10000× across depth$/m,
    numbers: /spread [\d.]+e\d+ between dense_Dense\d+ and dense_Dense\d+/,
    cause: /1\. C10 vanishing gradients: dense_Dense\d+ gets a gradient norm of [\d.]+e-\d+ while dense_Dense\d+ gets/,
  },
  {
    matcher: 'toHaveNoDeadUnits', check: checks.noDeadUnits as Check, id: 'C9',
    rule: /^expected model to keep dead or saturated units below 50% of every hidden layer after 50 epochs$/m,
    numbers: /dense_Dense\d+ \(relu, 16 units\): 100% dead, 0% saturated/,
    cause: /1\. C9 dead ReLU units: 100% of the 16 units of dense_Dense\d+ never activate on 32 samples after 50 epochs/,
  },
  {
    matcher: 'toDependOnInput', check: checks.dependOnInput as Check, id: 'C8',
    rule: /^expected model to depend on its input: varied predictions \(spread ≥ 1e-4\) and a non-zero input gradient per output unit$/m,
    numbers: /after 100 epochs: output spread 0, mean ‖∂output\/∂input‖₁ 0 per output unit, 1 distinct predicted class/,
    cause: /1\. C8 the input does not reach the output: one class predicted for all 32 samples/,
  },
  {
    matcher: 'toBeBatchIndependent', check: checks.batchIndependent as Check, id: 'C16',
    rule: /^expected model to keep samples independent: ∂output_i\/∂x_j = 0 for j ≠ i$/m,
    numbers: /largest cross-sample gradient [\d.]+, own-sample [\d.]+/,
    cause: /1\. C16 samples leak into each other: \|∂output_i\/∂x_j\| reaches [\d.]+ for j ≠ i/,
    healthy: custom,
  },
]

describe.each(cases)('$matcher', ({ matcher, check, id, rule, numbers, cause, healthy: good = healthyMlp }) => {
  const bad = brokenFor(id as never)
  const run = (s: Specimen) => expect(s.subject) as unknown as Record<string, (...a: unknown[]) => Promise<void>> & { not: Record<string, (...a: unknown[]) => Promise<void>> }

  test('passes on a healthy model', async () => {
    await run(good)[matcher]!(data(good), good.options)
  })

  test(`fails on the ${id} specimen with the rule, the numbers and the cause`, async () => {
    const before = tf.memory().numTensors
    const result = await check(bad.subject as never, data(bad) as never, bad.options as never)
    expect(tf.memory().numTensors).toBe(before)
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe(id)
    expect(result.message).toMatch(rule)
    expect(result.message).toMatch(numbers)
    expect(result.message).toMatch(cause)
    expect(result.message).toMatch(/^replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=\w+$/m)
    expect(result.message.match(/^ {2}\d\. /gm)?.length ?? 0).toBeLessThanOrEqual(3)
  })

  test('.not reads right both ways', async () => {
    await run(bad).not[matcher]!(data(bad), bad.options)
    await expect(run(good).not[matcher]!(data(good), good.options)).rejects.toThrow(/, but it did/)
  })
})

describe('chance loss details', () => {
  test('wrongly encoded labels fail with C4 first', async () => {
    const c4 = brokenFor('C4')
    const result = await checks.startNearChance(c4.subject, data(c4))
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C4')
    expect(result.record.stoppedBy).toBe('untrainable')
    expect(result.message).toMatch(/^ {2}did not train: labels are class ids, the loss wants 0\/1 {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/1\. C4 labels are class ids, the loss wants 0\/1: binaryCrossentropy needs labels in \[0, 1\], got class ids 0\.\.2 \(for 3 classes use 3 softmax output units with loss 'sparseCategoricalCrossentropy'\)/)
  })

  test('every built-in loss has a chance value: hinge scores 1 at an output of 0, MAE the median’s error', async () => {
    // hinge on ±1 labels: an output of 0, favouring no class, scores max(0, 1 − y·0) = 1.
    const hinge = () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
      m.compile({ loss: 'hinge', optimizer: 'sgd' })
      return m
    }
    const signs = { x: data(healthyMlp).x, y: data(healthyMlp).y.map((v) => (v === 1 ? 1 : -1)) }
    const result = await checks.startNearChance(hinge, signs, { tolerance: 1 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/start near its chance loss 1 \(within 100%\)/)
    // MAE: the best constant is the median; targets 1..5 are 1.2 from their median 3 on average.
    const mae = () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] })
      m.compile({ loss: 'meanAbsoluteError', optimizer: 'sgd' })
      return m
    }
    const targets = { x: [[1], [2], [3], [4], [5]], y: [1, 2, 3, 4, 5] }
    const centered = await checks.startNearChance(mae, { x: targets.x, y: targets.y.map((v) => v - 3) })
    expect(centered.message).toMatch(/start near its chance loss 1\.2 \(within 50%\)/)
    expect(centered.pass).toBe(true) // zero kernel: output 0 = the median of the centered targets
    // Uncentered: the untrained output (0) is 3 away from targets of std 1.41: C1 says to move the bias or scale y.
    const offset = await checks.startNearChance(mae, targets)
    expect(offset.pass).toBe(false)
    expect(offset.findings[0]).toMatchObject({ id: 'C1', title: 'targets far from the untrained output' })
    expect(offset.message).toMatch(/targets average 3 \(std 1\.414\) while the untrained output averages 0 \(start the output bias at mean\(y\) \(biasInitializer: tf\.initializers\.constant\(\{ value: 3 \}\)\), or standardize the targets\)/)
  })

  test('a custom trainable whose loss has no known chance value needs { chance }', async () => {
    await expect(checks.startNearChance(custom.subject, data(custom), custom.options)).rejects.toThrow(/pass \{ chance: <expected initial loss> \}/)
  })
})
