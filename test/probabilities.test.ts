import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, handWrittenSoftmax, linearBce, logisticUnit, softmaxClassifier, twoPoints, twoPointsColumn } from './fixtures/models.js'

describe('toOutputValidProbabilities', () => {
  test('a softmax layer, a sigmoid written by hand and a stable hand-written softmax output probabilities', async () => {
    await expect(softmaxClassifier).toOutputValidProbabilities()
    await expect(handWrittenLogistic).toOutputValidProbabilities(twoPointsColumn, { learningRate: 0.5 })
    await expect(handWrittenSoftmax()).toOutputValidProbabilities({ learningRate: 0.5 })
  })

  test('a linear output trained with binary cross-entropy: the range rule, the worst sample, C3 with the fix', async () => {
    const result = await checks.probabilities(linearBce, twoPoints)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to output valid probabilities \(every output in \[0, 1\]\) at initialization, after 20 epochs of training and on inputs ×100$/m)
    expect(result.message).toMatch(/^ {2}✗ at initialization: 1 output outside \[0, 1\], worst sample 1 output 0 = -0\.9048 {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}✗ on inputs ×100: 2 outputs outside \[0, 1\], worst sample 1 output 0 = -95\.95$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
    expect(result.message).toMatch(
      /1\. C3 loss\/activation mismatch: sample 1 output 0 is -0\.9048 at initialization: a linear output layer feeds binaryCrossentropy, which expects probabilities \(add activation 'sigmoid' to the output layer\)/,
    )
    expect(result.findings.filter((f) => f.id === 'C3')).toHaveLength(1) // the engine's own C3 reading is not repeated
  })

  test('the thread’s logit model outputs logits, not probabilities', async () => {
    const result = await checks.probabilities(logisticUnit(1), twoPoints)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/1\. C3 the model outputs logits: sample 1 output 0 is -0\.9048 at initialization: the output layer is linear and sigmoidCrossEntropy expects logits \(apply tf\.sigmoid/)
  })

  test('a hand-rolled softmax over the batch axis: the row-sum rule and the worst row', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/\(every output in \[0, 1\], each row summing to 1 within 1e-5\)/)
    expect(result.message).toMatch(/^ {2}✗ at initialization: 3 of 3 rows do not sum to 1, worst sample 2 sums to 1\.18 {3}/m)
    expect(result.message).toMatch(
      /1\. C3 softmax does not normalize each row: sample 2 sums to 1\.18 at initialization \(3 of 3 rows off\) \(normalize over the last axis: tf\.softmax\(logits\), or exp\(z\) \/ tf\.sum\(exp\(z\), -1, true\)\)/,
    )
  })

  test('a softmax without the max subtracted holds up on the data but overflows to NaN on large inputs', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ stable: false }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}✓ after 20 epochs: all in \[0, 1\], row sums within [\d.e-]+ of 1$/m)
    expect(result.message).toMatch(/^ {2}✗ on inputs ×100: 3 outputs outside \[0, 1\], worst sample 0 output 0 = NaN; 3 of 3 rows do not sum to 1, worst sample 0 sums to NaN$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'probabilities overflow' })
  })

  test('sumToOne: false accepts multi-label outputs; tolerance loosens the sum', async () => {
    const loose = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5, sumToOne: false })
    expect(loose.pass).toBe(true)
    expect(loose.message).toMatch(/\(every output in \[0, 1\]\)/)
    await expect(checks.probabilities(softmaxClassifier, { tolerance: -1 })).rejects.toThrow(/options\.tolerance must be a number ≥ 0, received -1/)
  })

  test('.not', async () => {
    await expect(linearBce).not.toOutputValidProbabilities(twoPoints)
    await expect(expect(softmaxClassifier).not.toOutputValidProbabilities()).rejects.toThrow(/expected model not to output valid probabilities .*, but it did/)
  })
})
