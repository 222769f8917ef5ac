// Verification (issue 10, DESIGN rule 6): a likely cause is verified when its fix, applied alone to the same run under
// the same seed, makes the failing check succeed. Every verified line printed must be true: these tests re-apply the
// named fix by hand, through the plain public API, and check the numbers the line prints.
import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, type CustomTrainable, type Finding } from 'trainability'
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
    // Under .not the failure is the passing assertion: its causes are never printed, so they are not verified.
    built = 0
    await expect(counted(3)).not.toOverfitTinyDataset(regression, { maxEpochs: 200 })
    expect(built).toBe(1)
    // The same failing check through a positive matcher verifies: its message is the one read.
    built = 0
    await expect(expect(counted(3)).toOverfitTinyDataset(regression, { maxEpochs: 200 })).rejects.toThrow(/\n {5}verified: at lr /)
    expect(built).toBeGreaterThan(1)
  })

  test('a rate verified only at its second step replaces the fix text, which named the first', async () => {
    const result = await checks.overfit(tanhNet(30), regression, { maxEpochs: 200 })
    const line = /\n {2}1\. C5 [^\n]* at lr 30 \((\{ learningRate: (\S+) \}), verified; at lr 3 it fell short\)\n {5}verified: at lr (\S+) the same run passes/.exec(result.message)
    expect(line, result.message).not.toBeNull()
    expect(line![2]).toBe(line![3])
    expect((await checks.overfit(tanhNet(3), regression, { maxEpochs: 200, verify: false })).pass).toBe(false)
    expect((await checks.overfit(tanhNet(Number(line![2])), regression, { maxEpochs: 200, verify: false })).pass).toBe(true)
  })

  test('toReduceLossMonotonically: a rising loss verified at a lower rate', async () => {
    const result = await checks.monotonic(tanhNet(3), regression, { maxEpochs: 30 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C5', verification: { helped: true } })
    expect(result.message).toMatch(/1\. C5 learning rate too high: .*\n {5}verified: at lr 0\.3 the same run passes: loss \S+ → \S+ over \d+ epochs/)
  })
})

// Every check whose verdict a fix can change verifies its causes (the verify flag in its CheckSpec). Each test below
// reads the verified line a failing check prints, applies the named fix by hand to the user's own code, and checks
// that the same check then passes with the numbers the line printed.

/** `1. C9 …\n     verified: <fix> the same run passes: <summary>` → the fix label and the summary. */
function verifiedLine(message: string, id: string): { label: string; summary: string } {
  const m = new RegExp(`\\d\\. ${id} [^\\n]*\\n {5}verified: (.+?) the same run passes: ([^\\n]+)`).exec(message)
  expect(m, message).not.toBeNull()
  return { label: m![1]!, summary: m![2]! }
}

/** Layer names count up across models (dense_Dense4 vs dense_Dense9): the text around them is what must match. */
const unnamed = (text: string): string => text.replace(/\w+_\w+\d+/g, 'layer')

/** One linear unit, MSE and plain SGD at `lr`: at lr 10 every weight overflows within a few dozen epochs. */
const linearUnit = (lr: number) => (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(lr) })
  return model
}

/** Two tanh layers whose kernels start at 0 (or at glorotUniform, biases 0: the fix, written by hand). */
const zeroKernels = (init: 'zeros' | 'glorotUniform') => (): tf.LayersModel => {
  const hidden = (inputShape?: number[]) => tf.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: init, biasInitializer: 'zeros', ...(inputShape ? { inputShape } : {}) })
  const model = tf.sequential({ layers: [hidden([2]), hidden(), tf.layers.dense({ units: 1, kernelInitializer: 'glorotUniform' })] })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.01) })
  return model
}

/** A ReLU layer whose biases start at −20: every unit is dead before the first step (biases 0 and heNormal: the fix). */
const deadStart = (fixed: boolean) => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [2], activation: 'relu', ...(fixed ? { kernelInitializer: 'heNormal', biasInitializer: 'zeros' } : { biasInitializer: tf.initializers.constant({ value: -20 }) }) }),
      tf.layers.dense({ units: 1, kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' }),
    ],
  })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.01) })
  return model
}

/** A linear output unit fed to binary cross-entropy (or, fixed, a sigmoid one), on one feature in [−0.5, 0.5]. */
const bceUnit = (activation?: 'sigmoid') => (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], activation })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(0.1) })
  return model
}
const oneFeature = (() => {
  const x = table(32, 1, 11).map(([u]) => [u! - 0.5])
  return { x, y: x.map(([v]) => (v! > 0.1 ? 1 : 0)) }
})()

describe('every verifiable check verifies its causes, and each verified line is true', () => {
  test('curve: toStayFinite names a rate at which the same check stays finite, and it does', async () => {
    const result = await checks.stayFinite(linearUnit(10), regression, { maxEpochs: 60 })
    expect(result.pass).toBe(false)
    const { label, summary } = verifiedLine(result.message, 'C5')
    const lr = Number(/^at lr (\S+)$/.exec(label)![1])
    expect(lr).toBeCloseTo(1, 12) // a tenth of the rate that overflowed
    const byHand = await checks.stayFinite(linearUnit(lr), regression, { maxEpochs: 60, verify: false })
    expect(byHand.pass).toBe(true)
    expect(byHand.message).toContain(summary)
  })

  test('seeds: toTrainAcrossSeeds verifies the rate that every seed then trains at', async () => {
    const result = await checks.acrossSeeds(linearUnit(1), regression, { maxEpochs: 100 })
    expect(result.pass).toBe(false)
    const { label, summary } = verifiedLine(result.message, 'C5')
    expect(summary).toBe('5 of 5 seeds passed (100%)')
    const byHand = await checks.acrossSeeds(linearUnit(Number(/^at lr (\S+)$/.exec(label)![1])), regression, { maxEpochs: 100, verify: false })
    expect(byHand.pass).toBe(true)
  })

  test('model: toHaveNoDeadUnits, toHaveHealthyGradients and toDependOnInput verify re-initialization, and the re-initialized model passes', async () => {
    const dead = await checks.noDeadUnits(deadStart(false), regression, { maxEpochs: 20 })
    expect(dead.pass).toBe(false)
    const d = verifiedLine(dead.message, 'C9')
    expect(d.label).toBe('with he/glorot initialization (biases 0)')
    const deadByHand = await checks.noDeadUnits(deadStart(true), regression, { maxEpochs: 20, verify: false })
    expect(deadByHand.pass).toBe(true)
    expect(unnamed(deadByHand.message)).toContain(unnamed(d.summary))

    const flat = await checks.healthyGradients(zeroKernels('zeros'), regression)
    expect(flat.pass).toBe(false)
    const g = verifiedLine(flat.message, 'C10')
    const gradientsByHand = await checks.healthyGradients(zeroKernels('glorotUniform'), regression, { verify: false })
    expect(gradientsByHand.pass).toBe(true)
    expect(unnamed(gradientsByHand.message)).toContain(unnamed(g.summary)) // the same norms: the fix is the same initializers

    const cut = await checks.dependOnInput(zeroKernels('zeros'), regression, { maxEpochs: 30 })
    expect(cut.pass).toBe(false)
    const c = verifiedLine(cut.message, 'C11')
    const dependsByHand = await checks.dependOnInput(zeroKernels('glorotUniform'), regression, { maxEpochs: 30, verify: false })
    expect(dependsByHand.pass).toBe(true)
    expect(dependsByHand.message).toContain(c.summary)
  })

  test('config: toStartNearChanceLoss and toOutputValidProbabilities verify the output activation the loss wants', async () => {
    const chance = await checks.startNearChance(bceUnit(), oneFeature)
    expect(chance.pass).toBe(false)
    const c = verifiedLine(chance.message, 'C3')
    expect(c.label).toBe("with activation 'sigmoid' on the output layer")
    const chanceByHand = await checks.startNearChance(bceUnit('sigmoid'), oneFeature, { verify: false })
    expect(chanceByHand.pass).toBe(true)
    expect(chanceByHand.message).toContain(c.summary)

    const probabilities = await checks.probabilities(bceUnit(), oneFeature)
    expect(probabilities.pass).toBe(false)
    const p = verifiedLine(probabilities.message, 'C3')
    expect(p.label).toBe("with activation 'sigmoid' on the output layer")
    const probabilitiesByHand = await checks.probabilities(bceUnit('sigmoid'), oneFeature, { verify: false })
    expect(probabilitiesByHand.pass).toBe(true)
    expect(probabilitiesByHand.message).toContain(p.summary)
  })

  test('data: toBeatBaseline, toBeScaleInvariant and toTolerateLearningRates verify standardization, and the standardized subject passes', async () => {
    const { scalers } = await import('trainability')
    const data = unscaledPair()
    const standardized = { model: sigmoidUnit, preprocess: scalers.standard() }
    const baseline = await checks.beatsBaseline(sigmoidUnit, data, { maxEpochs: 50 })
    expect(baseline.pass).toBe(false)
    const b = verifiedLine(baseline.message, 'C1')
    expect(b.label).toBe('with scalers.standard() fitted on the training set')
    const baselineByHand = await checks.beatsBaseline(standardized, data, { maxEpochs: 50, verify: false })
    expect(baselineByHand.pass).toBe(true)
    expect(baselineByHand.message).toContain(b.summary)

    const scale = await checks.scaleInvariance(sigmoidUnit, data, { maxEpochs: 50 })
    expect(scale.pass).toBe(false)
    expect(verifiedLine(scale.message, 'C1').label).toBe('with scalers.standard() fitted on the training set')
    expect((await checks.scaleInvariance(standardized, data, { maxEpochs: 50, verify: false })).pass).toBe(true)

    const rates = await checks.learningRates(sigmoidUnit, data, { maxEpochs: 50 })
    expect(rates.pass).toBe(false)
    const r = verifiedLine(rates.message, 'C1')
    // The check sets the rates itself: a learning-rate fix is never tried on it.
    expect(rates.findings.every((f) => !/^\{ learningRate/.test(f.verification?.fix ?? ''))).toBe(true)
    const ratesByHand = await checks.learningRates(standardized, data, { maxEpochs: 50, verify: false })
    expect(ratesByHand.pass).toBe(true)
    expect(ratesByHand.message).toContain(r.summary)
  })
})

describe('fixes beyond rate, scaling, activation and initialization', () => {
  /** A small tanh regressor whose layers are all frozen (or, fixed, trainable as built). */
  const frozen = (freeze: boolean) => (): tf.LayersModel => {
    const model = tanhNet(0.1)()
    if (freeze) for (const layer of model.layers) layer.trainable = false
    model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) })
    return model
  }

  test('C15: a model with every layer frozen is verified by unfreezing, and the unfrozen model passes', async () => {
    const result = await checks.overfit(frozen(true), regression, { maxEpochs: 200 })
    expect(result.pass).toBe(false)
    expect(result.message).toContain('did not train: nothing to train')
    const { label, summary } = verifiedLine(result.message, 'C15')
    expect(label).toBe('with every layer trainable')
    expect(result.findings[0]?.verification?.fix).toBe('layer.trainable = true on the frozen layers')
    const byHand = await checks.overfit(frozen(false), regression, { maxEpochs: 200, verify: false })
    expect(byHand.pass).toBe(true)
    expect(byHand.message).toContain(summary) // the same weights, the same run
  })

  test('C15 without a mechanical fix (verify: false, or a custom trainable) keeps the unverified failure', async () => {
    const off = await checks.overfit(frozen(true), regression, { maxEpochs: 50, verify: false })
    expect(off.pass).toBe(false)
    expect(off.message).toContain('did not train: nothing to train')
    expect(off.findings.every((f) => f.verification === undefined)).toBe(true)
  })

  /** Linear regression written by hand with a squared error that broadcasts y against predict(x) as given. */
  const handWrittenRegression = (): CustomTrainable => {
    const w = tf.variable(tf.randomNormal([2, 1], 0, 0.1), true, 'w')
    const b = tf.variable(tf.zeros([1]), true, 'b')
    const predict = (x: tf.Tensor): tf.Tensor => tf.add(tf.matMul(x as tf.Tensor2D, w), b)
    return {
      variables: [w, b],
      predict,
      loss: (x, y) => tf.tidy(() => tf.mean(tf.square(tf.sub(predict(x), y))) as tf.Scalar),
      inputShape: [2],
      outputUnits: 1,
      task: 'regression',
    }
  }

  test('C4: targets shaped [n] against [n, 1] predictions are verified by reshaping y, and the reshaped data passes', async () => {
    const flat = { x: regression.x, y: regression.y.map(([v]) => v!) }
    const result = await checks.overfit(handWrittenRegression, flat, { maxEpochs: 300, optimizer: 'adam', learningRate: 0.1 })
    expect(result.pass).toBe(false)
    const { label, summary } = verifiedLine(result.message, 'C4')
    expect(label).toBe('with y reshaped to [-1, 1]')
    const byHand = await checks.overfit(handWrittenRegression, { x: flat.x, y: flat.y.map((v) => [v]) }, { maxEpochs: 300, optimizer: 'adam', learningRate: 0.1, verify: false })
    expect(byHand.pass).toBe(true)
    expect(byHand.message).toContain(summary)
  })
})
