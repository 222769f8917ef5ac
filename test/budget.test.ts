import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, withSeed, type CheckResult, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic } from './fixtures/models.js'

// No timing assertions: every step of these models lasts at least STEP_MS (a busy wait, as a slow model's would), so a
// budget bounds the number of steps that fit in it. Steps after a run's first start only before its deadline, one after
// another, so a check whose runs share one budget of BUDGET ms takes at most BUDGET / STEP_MS + 1 of them, plus the first
// step of each run (always taken). Runs that each got the whole budget would take about BUDGET / STEP_MS each.
const BUDGET = 300
const STEP_MS = 5
const NEVER = 1e9 // epochs: only the budget ends these runs

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) { /* a slow step */ }
}

/**
 * A factory of hand-written logistic units whose every step lasts at least STEP_MS. They see x scaled by 1e-6, so w gets
 * no gradient to speak of and the loss stays near ln 2 on two opposite points: only the budget ends their runs. The first
 * `healthy` it makes see x as it is and train fast. `steps[i]` counts the optimizer steps of the i-th run.
 */
function crawler(healthy = 0, onStep?: (step: number) => void): { factory: () => CustomTrainable; steps: number[] } {
  const steps: number[] = []
  const factory = (): CustomTrainable => {
    const run = steps.push(0) - 1
    const made = handWrittenLogistic()
    if (run < healthy) return { ...made, afterStep: () => void steps[run]!++ }
    const tiny = (x: tf.Tensor): tf.Tensor => tf.mul(x, 1e-6)
    return {
      ...made,
      predict: (x) => tf.tidy(() => made.predict(tiny(x))),
      loss: (x, y) => tf.tidy(() => made.loss(tiny(x), y)),
      afterStep: () => {
        onStep?.(++steps[run]!)
        busy(STEP_MS)
      },
    }
  }
  return { factory, steps }
}

const twoPoints = { x: [[-1], [1]], y: [[1], [0]] }
const options = { learningRate: 1, maxEpochs: NEVER, timeoutMs: BUDGET }
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)

/** The steps a budget shared by all runs allows (see the top of the file). */
const sharedBound = (steps: number[]): number => BUDGET / STEP_MS + 1 + steps.length

/** The budget says so, once. */
function saysBudget(result: CheckResult): void {
  expect(result.message.match(/stopped by the 300 ms budget/g)).toHaveLength(1)
}

describe('timeoutMs is the whole budget of a matcher that trains several runs', () => {
  test('toTrainAcrossSeeds: the first seed runs until the deadline, the others are not run, and no C11 is claimed', async () => {
    const { factory, steps } = crawler()
    const result = await checks.acrossSeeds(factory, twoPoints, options)
    expect(result.pass).toBe(false)
    saysBudget(result)
    expect(steps).toHaveLength(1)
    expect(result.message).toMatch(/stopped by the 300 ms budget after 1 of 5 seeds \(seed 42 after \d+ epochs?\): seeds 43, 44, 45, 46 not run/)
    expect(result.message).toMatch(/^ {2}0 of 5 seeds passed \(0%\); 5 required, and the 5 seeds the budget stopped count as not passed /m)
    expect(result.message).toMatch(/^ {2}– seed 46 {2}not run$/m)
    // The check's own C11 needs a seed that passes and one that fails outright.
    expect(result.message).not.toMatch(/result depends on the initialization/)
    expect(sum(steps)).toBeLessThanOrEqual(sharedBound(steps))
  })

  test('toTrainAcrossSeeds passes when the seeds that passed before the budget ran out are the ones required', async () => {
    // The first seed trains at lr 10 in a few epochs; the second crawls until the deadline; the rest get no time.
    const { factory, steps } = crawler(1)
    const result = await checks.acrossSeeds(factory, twoPoints, { ...options, learningRate: 10, minSuccessRate: 0.2, timeoutMs: 3000 })
    expect(result.pass).toBe(true)
    expect(steps).toHaveLength(2)
    expect(result.message).toMatch(/1 of 5 seeds passed \(20%\), the 1 required, before the budget ran out/)
    expect(result.message).toMatch(/stopped by the 3000 ms budget after 2 of 5 seeds \(seed 43 after \d+ epochs?\): seeds 44, 45, 46 not run/)
    expect(result.message).toMatch(/^ {2}✗ seed 43 {2}.*\(cut short by the budget\)$/m)
  })

  test('toBeScaleInvariant: the unscaled run gets its share, the rescaled runs train no more epochs than it did', async () => {
    const { factory, steps } = crawler()
    const result = await checks.scaleInvariance(factory, twoPoints, options)
    expect(result.pass).toBe(false)
    saysBudget(result)
    expect(result.message).toMatch(/stopped by the 300 ms budget in the unscaled run after \d+ epochs?/)
    expect(result.message).toMatch(/the unscaled run had not trained when the budget stopped it/)
    // Full-batch: one step per epoch, and each rescaled run is held to the epochs of the unscaled one.
    for (const later of steps.slice(1)) expect(later).toBeLessThanOrEqual(steps[0]!)
    expect(sum(steps)).toBeLessThanOrEqual(sharedBound(steps))
  })

  test('toTolerateLearningRates: each rate gets a share of the budget, and a rate the budget stopped is not judged', async () => {
    const { factory, steps } = crawler()
    const result = await checks.learningRates(factory, twoPoints, options)
    expect(result.pass).toBe(false)
    saysBudget(result)
    expect(steps).toHaveLength(3) // lr 1 ÷3, ×1, ×3: fair shares leave time for every rate
    expect(result.message).toMatch(/^ {2}✗ lr 1 +cut short by the budget after \d+ epochs?: loss 0\.6931 → 0\.6931, not judged$/m)
    expect(result.message).toMatch(/3 rates the budget stopped count as not verified/)
    expect(result.message).not.toMatch(/plateau/)
    expect(sum(steps)).toBeLessThanOrEqual(sharedBound(steps))
  })

  test('toSurviveReducedPrecision: the float16 run takes the budget, the float32 control is not run, and C12 is not claimed', async () => {
    const { factory, steps } = crawler()
    const result = await checks.reducedPrecision(factory, twoPoints, options)
    expect(result.pass).toBe(false)
    saysBudget(result)
    expect(steps).toHaveLength(1)
    expect(result.message).toMatch(/^ {2}float32: not run \(the budget ran out in the float16 run\), so precision is neither blamed nor cleared$/m)
    expect(result.message).toMatch(/stopped by the 300 ms budget in float16 after \d+ epochs?: the float32 control not run/)
    // The check's own C12 needs a float32 run that passes where float16 fails.
    expect(result.message).not.toMatch(/reduced precision blocks convergence/)
    expect(sum(steps)).toBeLessThanOrEqual(sharedBound(steps))
  })

  test.each([
    ['toTrainDeterministically', 'run 1', (factory: () => CustomTrainable) => checks.determinism(factory, twoPoints, options)],
    ['toTrainConsistentlyAcrossBackends', 'the run on cpu', (factory: () => CustomTrainable) => checks.consistentAcrossBackends(factory, twoPoints, { ...options, backends: ['cpu', 'cpu'] })],
  ])('%s: the first run gets half the budget and the second repeats its epochs', async (_, first, check) => {
    const { factory, steps } = crawler()
    const result = await check(factory)
    saysBudget(result)
    // On a loaded machine setup can take the first run's whole half: then it stops before its first epoch ended.
    expect(result.message).toMatch(new RegExp(`stopped by the 300 ms budget in ${first} (after \\d+ epochs?|before its first epoch ended) \\(half the budget\\)`))
    expect(steps.length).toBeLessThanOrEqual(2)
    if (steps.length === 2) expect(steps[1]).toBeLessThanOrEqual(steps[0]!)
    expect(sum(steps)).toBeLessThanOrEqual(sharedBound(steps))
  })

  test('toGeneralize, toBeatBaseline, toOverfitTinyDataset and diagnose: one run, bounded, and the message says the budget stopped it', async () => {
    const generalize = crawler()
    const gap = await checks.generalization(generalize.factory, { train: twoPoints, validation: twoPoints }, options)
    expect(gap.message).toMatch(/stopped by the 300 ms budget after \d+ epochs?: the gap is that of the model trained so far/)
    saysBudget(gap)
    const baseline = crawler()
    // Labels 1, 0, 1 along a line: no logistic unit beats the majority class, so only the budget ends the run.
    const beat = await checks.beatsBaseline(baseline.factory, { x: [[-1], [0], [1]], y: [[1], [0], [1]] }, options)
    expect(beat.pass).toBe(false)
    expect(beat.message).toMatch(/stopped by the 300 ms budget after \d+ epochs?/)
    saysBudget(beat)
    const overfit = crawler()
    const memorize = await checks.overfit(overfit.factory, twoPoints, options)
    saysBudget(memorize)
    const diagnosed = crawler()
    const { record } = await diagnose(diagnosed.factory, twoPoints, options)
    expect(record.stoppedBy).toBe('timeout')
    for (const { steps } of [generalize, baseline, overfit, diagnosed]) {
      expect(steps).toHaveLength(1)
      expect(steps[0]).toBeLessThanOrEqual(sharedBound(steps))
    }
  })
})

describe('the training loop reads the clock between the steps of an epoch', () => {
  // 400 samples in batches of 1: an epoch of 400 steps of at least 5 ms, far longer than the budget.
  const line = (n: number): { x: number[][]; y: number[][] } => {
    const x = Array.from({ length: n }, (_, i) => [(2 * i) / (n - 1) - 1])
    return { x, y: x.map(([v]) => [v! < 0 ? 1 : 0]) }
  }

  test('a budget that ends inside the first epoch stops the run there: no epoch recorded, and the message says where', async () => {
    const { factory, steps } = crawler()
    const result = await checks.overfit(factory, line(400), { ...options, batchSize: 1 })
    expect(result.record).toMatchObject({ stoppedBy: 'timeout', epochs: 0, losses: [] })
    expect(steps[0]).toBeLessThan(400)
    expect(steps[0]).toBeLessThanOrEqual(sharedBound(steps))
    expect(result.message).toMatch(/^ {2}completed no epoch {3}backend/m)
    expect(result.message).toMatch(/stopped by the 300 ms budget before its first epoch ended/)
  })

  test('the event loop gets turns inside a long mini-batch epoch', async () => {
    // 100 steps of at least 5 ms: one epoch of at least 500 ms. A timer counts the turns the event loop gets.
    let ticks = 0
    let running = true
    const tick = (): void => {
      ticks++
      if (running) setTimeout(tick, 0)
    }
    setTimeout(tick, 0)
    const seen: number[] = []
    const { factory } = crawler(0, (step) => {
      if (step === 1 || step === 100) seen.push(ticks)
    })
    try {
      await checks.overfit(factory, line(100), { learningRate: 1, batchSize: 1, maxEpochs: 1 })
    } finally {
      running = false
    }
    expect(seen).toHaveLength(2)
    // The loop yields at least every 50 ms: a 500 ms epoch gives the timer several turns between its first and last step.
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(2)
  })
})

describe('an ample budget changes nothing', () => {
  const data = { x: Array.from({ length: 64 }, (_, i) => [Math.sin(i * 1.7)]), y: Array.from({ length: 64 }, (_, i) => [Math.sin(i * 1.7) + 0.3 * Math.cos(i * 5.1) > 0 ? 1 : 0]) }
  const lr = 0.5
  const epochs = 6
  const batchSize = 4

  /** The plain seeded mini-batch loop, with no clock and no yields: seeded shuffle, one SGD step per batch, the mean loss. */
  const plainLoop = (): Promise<number[]> =>
    withSeed(7, (scope) => {
      const model = handWrittenLogistic()
      const optimizer = tf.train.sgd(lr)
      const x = tf.tensor2d(data.x)
      const y = tf.tensor2d(data.y)
      const n = data.x.length
      const losses: number[] = []
      try {
        for (let epoch = 0; epoch < epochs; epoch++) {
          const order = Int32Array.from({ length: n }, (_, i) => i)
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(scope.random() * (i + 1))
            ;[order[i], order[j]] = [order[j]!, order[i]!]
          }
          let total = 0
          for (let at = 0; at < n; at += batchSize) {
            const idx = order.subarray(at, Math.min(at + batchSize, n))
            const [bx, by] = tf.tidy(() => [tf.gather(x, tf.tensor1d(idx, 'int32')), tf.gather(y, tf.tensor1d(idx, 'int32'))])
            const { value, grads } = optimizer.computeGradients(() => model.loss(bx!, by!), model.variables)
            optimizer.applyGradients(grads)
            total += value.dataSync()[0]! * idx.length
            tf.dispose([bx!, by!, value, ...Object.values(grads)])
          }
          losses.push(total / n)
        }
        return losses
      } finally {
        tf.dispose([x, y, ...model.variables])
        optimizer.dispose()
      }
    })

  test('the same seed gives the curve of the plain loop, bit for bit, while the loop yields and other code draws Math.random', async () => {
    const expected = await plainLoop()
    const run = (stepMs: number): Promise<CheckResult> =>
      checks.overfit(() => ({ ...handWrittenLogistic(), afterStep: stepMs > 0 ? () => busy(stepMs) : undefined }), data, { seed: 7, learningRate: lr, maxEpochs: epochs, batchSize, lossBelow: 0 })
    const quick = await run(0)
    expect(quick.record.losses).toHaveLength(epochs)
    expect(quick.record.losses).toStrictEqual(expected)
    // 16 steps of at least 8 ms: every epoch outlasts the 50 ms the loop runs between yields, so it yields mid-epoch.
    let stop = false
    let draws = 0
    const noise = (async () => {
      while (!stop) {
        Math.random()
        draws++
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const before = draws
    const slow = await run(8)
    const during = draws - before
    stop = true
    await noise
    expect(during).toBeGreaterThan(epochs)
    expect(slow.record.losses).toStrictEqual(quick.record.losses)
  })
})
