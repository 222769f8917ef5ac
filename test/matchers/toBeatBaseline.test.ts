import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
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
    expect(result.message).toMatch(
      /^expected model to beat the majority-class baseline \(always class 0: accuracy 78\.1%\) by a margin of 0\.1 on its training data: accuracy ≥ 80\.3% within 200 epochs$/m,
    )
    expect(result.message).toMatch(/^ {2}accuracy 78\.1% at epoch 200 \(best 78\.1%\) {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}predictions: class 0 for 32 of 32 inputs, outputs vary by std 0 across inputs$/m)
    expect(result.message).toMatch(/^ {2}accuracy [▁▂▃▄▅▆▇█]+ flat$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C8', title: 'predicts the same class for every input' })
    expect(result.message).toMatch(/1\. C8 predicts the same class for every input: class 0 for all 32 inputs \(outputs vary by std 0\) \(the output ignores the input: look for dead or zero-initialized hidden units \(C9, C11\)/)
  })

  test('fails when a regressor does no better than the mean predictor, scored with the model’s own loss', async () => {
    await expect(mlpRegressor(0.05)).toBeatBaseline(linearRegression())
    const result = await checks.beatsBaseline(hiddenRelu('zeros', 'linear'), linearRegression())
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/beat the mean baseline \(predicting mean\(y\): meanSquaredError 4\.12\) by a margin of 0\.1 on its training data: meanSquaredError ≤ 3\.708 within 200 epochs/)
    expect(result.message).toMatch(/^ {2}predictions: outputs vary by std 0 across inputs \(targets: std 2\.03\)$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C8', title: 'outputs collapse to one value' })
    expect(result.message).toMatch(/1\. C8 outputs collapse to one value: predictions vary by std 0 while the targets vary by 2\.03: no better than predicting mean\(y\)/)
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
    await expect(checks.beatsBaseline(logisticUnit(1), twoPoints, { margin: 1 })).rejects.toThrow(/options\.margin must be in \[0, 1\), received 1/)
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
