// Verification (issue 10, DESIGN rule 6): a likely cause is verified when its fix, applied alone to the same run under
// the same seed, makes the failing check succeed. Every verified line printed must be true: these tests re-apply the
// named fix by hand, through the plain public API, and check the numbers the line prints.
import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, type Finding } from 'trainability'
import { describe, expect, test } from 'vitest'
import { table, unscaledPair } from './fixtures/models.js'
import { esc, sig4 } from './fixtures/derive.js'

/** Two standardized features and a smooth target: any sane rate fits it. */
const regression = (() => {
  const x = table(32, 2, 17).map((r) => r.map((u) => (u - 0.5) * 3.4))
  return { x, y: x.map(([a, b]) => [2 * a! - b!]) }
})()

/** tanh MLP on the regression data, plain SGD at `lr`: at lr 3 the loss diverges. */
const tanhNet = (lr: number) => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1 })],
  })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(lr) })
  return model
}

/** One sigmoid unit with Adam on two features ×100: the features, not the rate, keep it from learning. */
const sigmoidUnit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

const verifiedOf = (findings: Finding[]): Finding | undefined => findings.find((f) => f.verification?.helped)

describe('diagnose() verifies its causes', () => {
  test('a verified learning rate is true: the same run compiled by hand at that rate reaches the printed loss at the printed epoch', async () => {
    const { findings } = await diagnose(tanhNet(3), regression, { maxEpochs: 60 })
    const top = findings[0]!
    expect(top.id).toBe('C5')
    expect(top.verification?.helped).toBe(true)
    const m = /^at lr (\S+) the same run reaches (\S+) at epoch (\d+)/.exec(top.verification!.outcome)
    expect(m, top.verification!.outcome).not.toBeNull()
    const [, lr, loss, epoch] = m!
    expect(Number(lr)).toBeCloseTo(0.3, 12) // a tenth of the rate that diverged
    expect(top.verification!.fix).toBe(`{ learningRate: ${lr} }`)
    // By hand: the user's own model compiled at the printed rate, trained the same way without verification.
    const { record } = await diagnose(tanhNet(Number(lr)), regression, { maxEpochs: 60, verify: false })
    expect(record.epochs).toBe(Number(epoch))
    expect(sig4(record.losses[Number(epoch) - 1]!)).toBe(sig4(Number(loss)))
  })

  test('the top guess was wrong: the verified cause (C1) moves first and what it fixed is marked a consequence', async () => {
    const data = unscaledPair()
    const plain = await diagnose(sigmoidUnit, data, { maxEpochs: 50, verify: false })
    expect(plain.findings[0]?.id).not.toBe('C1')
    expect(plain.findings.some((f) => f.id === 'C1')).toBe(true)
    const { findings } = await diagnose(sigmoidUnit, data, { maxEpochs: 50 })
    expect(findings[0]).toMatchObject({ id: 'C1', verification: { helped: true, fix: '{ model, preprocess: scalers.standard() }' } })
    const m = /^with scalers\.standard\(\) fitted on the training set the same run reaches (\S+) at epoch (\d+)/.exec(findings[0]!.verification!.outcome)
    expect(m, findings[0]!.verification!.outcome).not.toBeNull()
    // By hand: the plain public form of the fix.
    const byHand = await diagnose({ model: sigmoidUnit, preprocess: (await import('trainability')).scalers.standard() }, data, { maxEpochs: 50, verify: false })
    expect(sig4(byHand.record.losses[Number(m![2]) - 1]!)).toBe(sig4(Number(m![1])))
    // The errors that ranked above it before are gone in the fixed run: consequences, said so.
    const was = plain.findings[0]!
    const now = findings.find((f) => f.id === was.id && f.title === was.title)
    expect(now?.evidence).toMatch(/\(a consequence: gone with scalers\.standard\(\) fitted on the training set\)$/)
  })

  test('verify: false gives the unverified findings, in the same order', async () => {
    const off = await diagnose(tanhNet(3), regression, { maxEpochs: 60, verify: false })
    expect(off.findings.length).toBeGreaterThan(0)
    expect(off.findings.every((f) => f.verification === undefined && !f.evidence.includes('a consequence: gone'))).toBe(true)
    const on = await diagnose(tanhNet(3), regression, { maxEpochs: 60 })
    expect(on.record.losses).toEqual(off.record.losses)
    expect(on.findings.map((f) => f.id).sort()).toEqual(off.findings.map((f) => f.id).sort())
  })

  test('deterministic: the same seed prints the same verified text', async () => {
    const a = await diagnose(tanhNet(3), regression, { maxEpochs: 60, seed: 7 })
    const b = await diagnose(tanhNet(3), regression, { maxEpochs: 60, seed: 7 })
    expect(verifiedOf(a.findings)?.verification).toBeDefined()
    // Layer names count up across models (dense_Dense17, dense_Dense21): everything else is identical.
    const shown = (fs: Finding[]): unknown => fs.map((f) => ({ ...f, evidence: f.evidence.replace(/\w+_\w+\d+/g, 'layer') }))
    expect(shown(b.findings)).toEqual(shown(a.findings))
  })

  test('no leaks: verification re-runs dispose everything they build', async () => {
    await diagnose(sigmoidUnit, unscaledPair(), { maxEpochs: 20 }) // warm-up: kernels and backend state
    const before = tf.memory().numTensors
    const { findings } = await diagnose(sigmoidUnit, unscaledPair(), { maxEpochs: 20 })
    expect(findings.some((f) => f.verification)).toBe(true)
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('failing checks verify their causes; passing checks pay nothing', () => {
  test('toOverfitTinyDataset: the verified line names the rate at which the same check passes, and it does', async () => {
    const result = await checks.overfit(tanhNet(3), regression, { maxEpochs: 200 })
    expect(result.pass).toBe(false)
    const line = /\n {5}verified: at lr (\S+) the same run passes: (reached \S+ at epoch \d+)/.exec(result.message)
    expect(line, result.message).not.toBeNull()
    const byHand = await checks.overfit(tanhNet(Number(line![1])), regression, { maxEpochs: 200, verify: false })
    expect(byHand.pass).toBe(true)
    expect(byHand.message).toMatch(new RegExp(esc(line![2]!)))
  })

  test('a passing check builds its model once; a failing one rebuilds it for each fix it tries', async () => {
    let built = 0
    const counted = (lr: number) => () => {
      built++
      return tanhNet(lr)()
    }
    const pass = await checks.overfit(counted(0.1), regression, { maxEpochs: 300 })
    expect(pass.pass).toBe(true)
    expect(built).toBe(1)
    built = 0
    const fail = await checks.overfit(counted(3), regression, { maxEpochs: 200 })
    expect(fail.pass).toBe(false)
    expect(built).toBeGreaterThan(1)
    built = 0
    await checks.overfit(counted(3), regression, { maxEpochs: 200, verify: false })
    expect(built).toBe(1)
  })

  test('toReduceLossMonotonically: a rising loss verified at a lower rate', async () => {
    const result = await checks.monotonic(tanhNet(3), regression, { maxEpochs: 30 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C5', verification: { helped: true } })
    expect(result.message).toMatch(/1\. C5 learning rate too high: .*\n {5}verified: at lr 0\.3 the same run passes: loss \S+ → \S+ over \d+ epochs/)
  })
})
