import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, logisticUnit, twoPoints, twoPointsColumn } from '../fixtures/models.js'

// simplest-binary-classification-thread.md: one linear unit, BCE from logits, x = [-1, 1], y = [1, 0].
describe('.toSurviveReducedPrecision', () => {
  test('fails when float16 sticks at w = -4, loss log(1 + e^-4), at lr 0.1 where float32 overfits: C12 with the lost updates and the fix', async () => {
    await expect(logisticUnit(0.1)).toOverfitTinyDataset(twoPoints, { maxEpochs: 2000 })
    const result = await checks.reducedPrecision(logisticUnit(0.1), twoPoints, { bits: 16, maxEpochs: 2000 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to overfit 2 samples to loss < 0\.01 and 100% accuracy within 2000 epochs with weights and activations in float16 \(emulated\)$/m)
    expect(result.message).toMatch(/^ {2}float16: reached 0\.01815 at epoch 2000 \(best 0\.01815\), accuracy 100% {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}float32: reached 0\.009\d+ at epoch \d+ /m)
    expect(result.message).toMatch(/^ {2}last 200 epochs: 200 of 200 weight updates \(100%\) were under half a float16 step and rounded away$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C12', title: 'reduced precision blocks convergence' })
    expect(result.message).toMatch(
      /1\. C12 reduced precision blocks convergence: float32 reaches 0\.009\d+, float16 stalls at 0\.01815: updates of 0\.001799 to dense\/kernel\[0\] = -4 are under half a float16 step \(0\.001953\) and rounded away \(raise the learning rate \(lr 0\.3 or more\) to push the plateau out, or train in float32\)/,
    )
    expect(result.message).toMatch(/^ {2}float16 [▁▂▃▄▅▆▇█]+ falling\n {2}float32 [▁▂▃▄▅▆▇█]+ falling$/m)
    expect(result.findings.map((f) => f.id)).not.toContain('C6') // float32 trains at this rate
  })

  test('passes when a higher learning rate pushes the plateau out, as the thread found: lr 1 at float16', async () => {
    await expect(logisticUnit(1)).toSurviveReducedPrecision(twoPoints, { bits: 16 })
  })

  test('fails when the goal is below the pushed-out plateau: at lr 1 float16 stalls near 0.00195, so 1e-3 fails where float32 meets it', async () => {
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints, { lossBelow: 1e-3, maxEpochs: 2000 })
    const result = await checks.reducedPrecision(logisticUnit(1), twoPoints, { lossBelow: 1e-3, maxEpochs: 2000 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/float16 stalls at 0\.001951: updates of [\d.e-]+ to dense\/kernel\[0\] = -6\.238/)
  })

  test('fails without C12 when the model fails in float32 too: the float32 run says why', async () => {
    const result = await checks.reducedPrecision(logisticUnit(1e-4), twoPoints, { maxEpochs: 100 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}float32: reached .*\(fails too: not a precision problem\)$/m)
    expect(result.findings.map((f) => f.id)).not.toContain('C12')
    expect(result.findings[0]?.id).toBe('C6')
  })

  test('passes when a custom trainable keeps its weights in float16; its activations are its own', async () => {
    const result = await checks.reducedPrecision(handWrittenLogistic, twoPointsColumn, { learningRate: 0.5, maxEpochs: 2000, lossBelow: 0.05 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/within 2000 epochs with weights in float16 \(emulated\)/)
  })

  test('passes with bits: 32, the float32 control; throws a RangeError for other widths', async () => {
    const result = await checks.reducedPrecision(logisticUnit(0.1), twoPoints, { bits: 32, maxEpochs: 2000 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/within 2000 epochs in float32, but it did/)
    await expect(checks.reducedPrecision(logisticUnit(1), twoPoints, { bits: 8 as 16 })).rejects.toThrow(/options\.bits must be 16 \(emulated float16\) or 32 \(float32\), received 8/)
  })
})

describe('.not.toSurviveReducedPrecision', () => {
  test('passes when float16 stalls at lr 0.1; fails when lr 1 survives, saying it did', async () => {
    await expect(logisticUnit(0.1)).not.toSurviveReducedPrecision(twoPoints, { maxEpochs: 2000 })
    await expect(expect(logisticUnit(1)).not.toSurviveReducedPrecision(twoPoints)).rejects.toThrow(
      /expected model not to overfit 2 samples .* in float16 \(emulated\), but it did/,
    )
  })
})
