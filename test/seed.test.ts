import * as tf from '@tensorflow/tfjs'
import { checks, withSeed } from 'trainability'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { logisticUnit, softmaxClassifier, twoPoints } from './fixtures/models.js'

const curve = async (seed?: number, maxEpochs = 30): Promise<number[]> =>
  (await checks.overfit(softmaxClassifier, undefined, { seed, maxEpochs, lossBelow: 0 })).record.losses

describe('seeding', () => {
  afterEach(() => {
    delete process.env.TRAINABILITY_SEED
  })

  test('the same seed gives the identical loss curve', async () => {
    const a = await curve(7)
    const b = await curve(7)
    expect(a).toHaveLength(30)
    expect(b).toStrictEqual(a)
  })

  test('different seeds give different curves', async () => {
    expect(await curve(7)).not.toStrictEqual(await curve(8))
  })

  test('the default seed is 42, and TRAINABILITY_SEED overrides it', async () => {
    const byDefault = await checks.overfit(softmaxClassifier, { maxEpochs: 5, lossBelow: 0 })
    expect(byDefault.record.seed).toBe(42)
    process.env.TRAINABILITY_SEED = '8'
    const fromEnv = await checks.overfit(softmaxClassifier, { maxEpochs: 30, lossBelow: 0 })
    expect(fromEnv.record.seed).toBe(8)
    expect(fromEnv.record.losses).toStrictEqual(await curve(8))
    expect(fromEnv.message).toMatch(/replay: TRAINABILITY_SEED=8 /)
  })

  test('Math.random is restored after a matcher, pass or fail', async () => {
    const original = Math.random
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints)
    expect(Math.random).toBe(original)
    await expect(logisticUnit(1e-4)).not.toOverfitTinyDataset(twoPoints, { maxEpochs: 20 })
    expect(Math.random).toBe(original)
    await expect(expect(42).toOverfitTinyDataset()).rejects.toThrow(TypeError)
    expect(Math.random).toBe(original)
  })

  test('concurrent runs are serialized: Promise.all gives the curves each gives alone', async () => {
    const alone = [await curve(1), await curve(2), await curve(3)]
    const together = await Promise.all([curve(1), curve(2), curve(3)])
    expect(together).toStrictEqual(alone)
  })

  test('code calling Math.random while a run yields neither shifts nor reads the seeded stream', async () => {
    const alone = await curve(5, 400)
    let stop = false
    const draws: number[] = []
    const noise = (async () => {
      while (!stop) {
        draws.push(Math.random())
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const before = draws.length
    const slow = await curve(5, 400) // long enough for the loop to yield to the event loop several times
    const during = draws.length - before
    stop = true
    await noise
    expect(slow).toStrictEqual(alone)
    expect(during).toBeGreaterThan(2)
  })

  test('withSeed makes tf.random* without a seed reproducible and nests without deadlock', async () => {
    const draw = () => withSeed(11, () => tf.tidy(() => Array.from(tf.randomNormal([4]).dataSync())))
    expect(await draw()).toStrictEqual(await draw())
    const nested = await withSeed(1, async () => withSeed(11, () => tf.tidy(() => Array.from(tf.randomNormal([4]).dataSync()))))
    expect(nested).toStrictEqual(await draw())
  })

  test('a non-integer seed is a RangeError naming the option', async () => {
    await expect(checks.overfit(softmaxClassifier, { seed: 1.5 })).rejects.toThrow(new RangeError('options.seed must be an integer, received 1.5; pass e.g. { seed: 42 }'))
    process.env.TRAINABILITY_SEED = 'abc'
    await expect(checks.overfit(softmaxClassifier)).rejects.toThrow(/TRAINABILITY_SEED="abc" must be an integer/)
  })
})

describe.concurrent('test.concurrent', () => {
  const seen: Record<string, number[]> = {}
  test.concurrent('run A', async () => {
    seen.a = await curve(21)
  })
  test.concurrent('run B', async () => {
    seen.b = await curve(22)
  })
  test.concurrent('run C, with a matcher', async () => {
    await expect(softmaxClassifier).toTrainDeterministically({ seed: 21, maxEpochs: 10 })
  })
  afterAll(async () => {
    expect(seen.a).toStrictEqual(await curve(21))
    expect(seen.b).toStrictEqual(await curve(22))
  })
})
