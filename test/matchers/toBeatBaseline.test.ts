import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { esc, moments, num, sig4 } from '../fixtures/derive.js'
import { curvesSvg } from '../../src/report/curves-svg.js'
import { handWrittenLogistic, hiddenRelu, imbalanced, linearRegression, logisticUnit, mlpRegressor, twoPoints } from '../fixtures/models.js'

// always-predicts-same-class.md: 7 of 32 samples are positive, so answering 0 every time already scores 78.1%.
const data = imbalanced()

describe('.toBeatBaseline', () => {
  test('passes when a ReLU classifier with its default initializer beats the majority class', async () => {
    await expect(hiddenRelu('glorotUniform')).toBeatBaseline(data)
  })

  test('fails when zero-initialized hidden units predict the majority class for every input: C8 with the numbers', async () => {
    const result = await checks.beatsBaseline(hiddenRelu('zeros'), data)
    expect(result.pass).toBe(false)
    // The majority share of the data, and the bar a margin of 0.1 sets: remove a tenth of the majority predictor's error.
    const majority = data.y.filter((v) => v === 0).length / data.y.length
    expect(majority).toBeGreaterThan(0.5)
    const [share, bar] = [majority, 1 - (1 - majority) * 0.9].map((v) => esc(`${Number((v * 100).toFixed(1))}%`))
    expect(result.message).toMatch(
      new RegExp(`^expected model to beat the majority-class baseline \\(always class 0: accuracy ${share}\\) by a margin of 0\\.1 on its training data: accuracy ≥ ${bar} within 200 epochs$`, 'm'),
    )
    expect(result.message).toMatch(new RegExp(`^ {2}accuracy ${share} at epoch 200 \\(best ${share}\\) {3}backend \\w+ {3}seed 42$`, 'm'))
    expect(result.message).toMatch(/^ {2}predictions: class 0 for 32 of 32 inputs, outputs vary by std 0 across inputs$/m)
    expect(result.message).toMatch(/^ {2}accuracy [▁▂▃▄▅▆▇█]+ flat$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C8', title: 'predicts the same class for every input' })
    expect(result.message).toMatch(/1\. C8 predicts the same class for every input: class 0 for all 32 inputs \(outputs vary by std 0\) \(the output ignores the input: look for dead or zero-initialized hidden units \(C9, C11\)/)
    // The picture reads the accuracy, a share, on its own 0–1 axis, and the loss on an axis fitted to the loss alone.
    expect(result.curves!.curves.map((c) => [c.label, c.unit])).toStrictEqual([['loss', undefined], ['accuracy', 'share']])
    const svg = curvesSvg(result.curves!)
    const ticks = (cls: string): number[] => [...svg.matchAll(new RegExp(`class="${cls}"[^>]*data-value="([^"]+)"`, 'g'))].map((m) => Number(m[1]))
    expect(ticks('tick y right')).toStrictEqual([0, 0.5, 1])
    const left = ticks('tick y')
    const loss = result.record.losses
    // Round ticks widen the loss's range by less than one step at either end; the accuracy (0.78) would widen it further.
    expect(left[0]!).toBeLessThanOrEqual(Math.min(...loss))
    expect(left[1]!).toBeGreaterThan(Math.min(...loss))
    expect(left[left.length - 1]!).toBeGreaterThanOrEqual(Math.max(...loss))
    expect(left[left.length - 2]!).toBeLessThan(Math.max(...loss))
    // The accuracy target is drawn on the accuracy's axis: 0 at the plot's bottom tick, 1 at its top.
    expect(result.curves!.goal).toMatchObject({ label: `accuracy ≥ ${bar!.replace(/\\/g, '')}`, unit: 'share' })
    expect(result.curves!.goal!.value).toBeCloseTo(1 - (1 - majority) * 0.9, 6)
    const at = (value: number): number => Number(svg.match(new RegExp(`class="tick y right"[^>]* y="([^"]+)"[^>]*data-value="${value}"`))![1])
    const goalY = Number(svg.match(/<line class="goal"[^>]*y1="([^"]+)"/)![1])
    expect(goalY).toBeCloseTo(at(0) + (at(1) - at(0)) * result.curves!.goal!.value, 0)
    expect(result.curves!.decidedEpoch).toBe(200)
  })

  test('fails when a regressor does no better than the mean predictor, scored with the model’s own loss', async () => {
    await expect(mlpRegressor(0.05)).toBeatBaseline(linearRegression())
    const result = await checks.beatsBaseline(hiddenRelu('zeros', 'linear'), linearRegression())
    expect(result.pass).toBe(false)
    // Predicting mean(y) scores var(y) in squared error; the margin asks for 0.9 of it.
    const { std } = moments(linearRegression().y.map(([v]) => v!))
    expect(result.message).toMatch(
      new RegExp(`beat the mean baseline \\(predicting mean\\(y\\): meanSquaredError ${num(std ** 2)}\\) by a margin of 0\\.1 on its training data: meanSquaredError ≤ ${num(0.9 * std ** 2)} within 200 epochs`),
    )
    expect(result.message).toMatch(new RegExp(`^ {2}predictions: outputs vary by std 0 across inputs \\(targets: std ${num(std)}\\)$`, 'm'))
    expect(result.findings[0]).toMatchObject({ id: 'C8', kind: 'sameOutput', title: 'predicts the same output for every input' })
    expect(result.message).toMatch(new RegExp(`1\\. C8 predicts the same output for every input: predictions vary by std 0 while the targets vary by ${num(std)}: no better than predicting mean\\(y\\)`))
    // A regression's score is a loss: it shares the loss curve's axis, no second one.
    expect(result.curves!.curves.map((c) => [c.label, c.unit])).toStrictEqual([['loss', undefined], ['meanSquaredError', undefined]])
    expect(curvesSvg(result.curves!)).not.toContain('tick y right')
    expect(result.curves!.goal).toMatchObject({ label: `meanSquaredError ≤ ${sig4(0.9 * std ** 2)}` })
    expect(result.curves!.goal!.value).toBeCloseTo(0.9 * std ** 2, 5)
    expect(result.curves!.goal!.unit).toBeUndefined()
  })

  test('passes when the margin raises the bar; a custom trainable is scored by accuracy like any classifier', async () => {
    const strict = await checks.beatsBaseline(logisticUnit(1), { x: [[-1], [1], [-2], [2]], y: [1, 0, 1, 0] }, { margin: 0.9, maxEpochs: 50 })
    expect(strict.pass).toBe(true)
    expect(strict.message).toMatch(/always class 1: accuracy 50%\) by a margin of 0\.9 on its training data: accuracy ≥ 95%/)
    await expect(handWrittenLogistic).toBeatBaseline({ x: [[-1], [1], [-2]], y: [[1], [0], [1]] }, { learningRate: 0.5, margin: 0.5 })
  })

  test('throws when input is bad, naming the argument', async () => {
    // @ts-expect-error the dataset is required
    await expect(checks.beatsBaseline(logisticUnit(1))).rejects.toThrow(/toBeatBaseline needs a dataset/)
    await expect(checks.beatsBaseline(logisticUnit(1), twoPoints, { margin: 1 })).rejects.toThrow(/options\.margin must be a share in \[0, 1\), received 1; pass e\.g\. \{ margin: 0\.1 \}/)
    await expect(checks.beatsBaseline(logisticUnit(1), { x: [[1], [2]], y: [1, 1] })).rejects.toThrow(/dataset\.y holds class 1 only/)
    await expect(checks.beatsBaseline(mlpRegressor(0.1), { x: [[1, 2], [2, 3]], y: [[3], [3]] })).rejects.toThrow(/dataset\.y is the same for every sample/)
  })
})

describe('.not.toBeatBaseline', () => {
  test('passes when zero-initialized units predict one class; fails when the classifier beats the baseline, saying it did', async () => {
    await expect(hiddenRelu('zeros')).not.toBeatBaseline(data)
    await expect(expect(hiddenRelu('glorotUniform')).not.toBeatBaseline(data)).rejects.toThrow(
      /expected model not to beat the majority-class baseline .* within 200 epochs, but it did/,
    )
  })
})
