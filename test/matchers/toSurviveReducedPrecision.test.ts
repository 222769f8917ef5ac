import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { num, sigmoid } from '../fixtures/derive.js'
import { handWrittenLogistic, logisticUnit, twoPoints, twoPointsColumn } from '../fixtures/models.js'

// simplest-binary-classification-thread.md: one linear unit, BCE from logits, x = [-1, 1], y = [1, 0]. With the bias at 0
// (the data are symmetric, so it stays there) the loss is softplus(w) = ln(1 + e^w) and its gradient σ(w): SGD moves
// w by lr·σ(w), and float16 rounds the move away once it is under half the float16 spacing at w.
const halfStep = (w: number): number => 2 ** (Math.floor(Math.log2(Math.abs(w))) - 11) // 10 fraction bits
const softplus = (w: number): number => Math.log1p(Math.exp(w))
/** The float16 value SGD at `lr` sticks at: the first point of the float16 grid, walking down from 0, where lr·σ(w) < half a step. */
function plateau(lr: number): number {
  for (let k = 1; ; k++) {
    const w = -k * 2 ** -10 // a float16 value for |w| < 2^5 (spacing 2^-10 in [1, 2), coarser above: every grid point is some k·2^-10)
    if (halfStep(w) > 2 ** -10 && (k * 2 ** -10) % (2 * halfStep(w)) !== 0) continue // not on the float16 grid at this magnitude
    if (lr * sigmoid(w) < halfStep(w)) return w
  }
}
// Enough epochs for float32 and no more: with the bias at 0, SGD is w ← w − lr·σ(w), which from any glorotUniform start
// (|w| ≤ √3) meets loss < 0.01 at lr 0.1 within 1055 steps and loss < 1e-3 at lr 1 within 1005; float16 reaches its
// plateau within 600 (w = -4 at lr 0.1) and 500 (w ≈ -6.2 at lr 1), so the last tenth of its epochs (the window the check reads) all round away.
// More epochs would only add stalled float16 epochs (each an emulated-rounding step) and assert nothing more.
const FLOAT32_MEETS_GOAL = 1200
describe('.toSurviveReducedPrecision', () => {
  test('fails when float16 sticks at w = -4, loss log(1 + e^-4), at lr 0.1 where float32 overfits: C12 with the lost updates and the fix', async () => {
    await expect(logisticUnit(0.1)).toOverfitTinyDataset(twoPoints, { maxEpochs: FLOAT32_MEETS_GOAL })
    const result = await checks.reducedPrecision(logisticUnit(0.1), twoPoints, { bits: 16, maxEpochs: FLOAT32_MEETS_GOAL })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(new RegExp(`^expected model to overfit 2 samples to loss < 0\\.01 and 100% accuracy within ${FLOAT32_MEETS_GOAL} epochs with weights and activations in float16 \\(emulated\\)$`, 'm'))
    const w = plateau(0.1)
    expect(w).toBe(-4) // the thread's number
    const stall = num(softplus(w))
    expect(result.message).toMatch(new RegExp(`^ {2}float16: reached ${stall} at epoch ${FLOAT32_MEETS_GOAL} \\(best ${stall}\\), accuracy 100% {3}backend \\w+ {3}seed 42$`, 'm'))
    expect(result.message).toMatch(/^ {2}float32: reached 0\.009\d+ at epoch \d+ /m)
    const tenth = FLOAT32_MEETS_GOAL / 10 // the check reads the last tenth of the run: past the plateau, every update rounds away
    expect(result.message).toMatch(new RegExp(`^ {2}last ${tenth} epochs: ${tenth} of ${tenth} weight updates \\(100%\\) were under half a float16 step and rounded away$`, 'm'))
    expect(result.findings[0]).toMatchObject({ id: 'C12', title: 'reduced precision blocks convergence' })
    expect(result.message).toMatch(
      new RegExp(
        `1\\. C12 reduced precision blocks convergence: float32 reaches 0\\.009\\d+, float16 stalls at ${stall}: updates of ${num(0.1 * sigmoid(w))} to dense_Dense\\d+\\/kernel\\[0\\] = ${w} are under half a float16 step \\(${num(halfStep(w))}\\) and rounded away \\(raise the learning rate \\(lr 0\\.3 or more\\) to push the plateau out, or train in float32\\)`,
      ),
    )
    expect(result.message).toMatch(/^ {2}float16 [▁▂▃▄▅▆▇█]+ falling\n {2}float32 [▁▂▃▄▅▆▇█]+ falling$/m)
    expect(result.findings.map((f) => f.id)).not.toContain('C6') // float32 trains at this rate
  })

  test('passes when a higher learning rate pushes the plateau out, as the thread found: lr 1 at float16', async () => {
    await expect(logisticUnit(1)).toSurviveReducedPrecision(twoPoints, { bits: 16 })
  })

  test('fails when the goal is below the pushed-out plateau: at lr 1 float16 stalls near 0.00195, so 1e-3 fails where float32 meets it', async () => {
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints, { lossBelow: 1e-3, maxEpochs: FLOAT32_MEETS_GOAL })
    const result = await checks.reducedPrecision(logisticUnit(1), twoPoints, { lossBelow: 1e-3, maxEpochs: FLOAT32_MEETS_GOAL })
    expect(result.pass).toBe(false)
    const w = plateau(1)
    expect(result.message).toMatch(new RegExp(`float16 stalls at ${num(softplus(w))}: updates of ${num(sigmoid(w))} to dense_Dense\\d+\\/kernel\\[0\\] = ${num(w)} are under half a float16 step \\(${num(halfStep(w))}\\)`))
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
    await expect(checks.reducedPrecision(logisticUnit(1), twoPoints, { bits: 8 as 16 })).rejects.toThrow(new RangeError('options.bits must be one of 16, 32, received 8; pass e.g. { bits: 16 } (16 emulates float16, 32 is plain float32)'))
  })
})

describe('.not.toSurviveReducedPrecision', () => {
  test('passes when float16 stalls at lr 0.1; fails when lr 1 survives, saying it did', async () => {
    await expect(logisticUnit(0.1)).not.toSurviveReducedPrecision(twoPoints, { maxEpochs: FLOAT32_MEETS_GOAL })
    await expect(expect(logisticUnit(1)).not.toSurviveReducedPrecision(twoPoints)).rejects.toThrow(
      /expected model not to overfit 2 samples .* in float16 \(emulated\), but it did/,
    )
  })
})
