import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { digits, irisBatchMean, mnistDense, reviews, sentimentBatchMean, sentimentFlatten } from '../fixtures/examples.js'
import { iris, irisModel } from '../fixtures/iris.js'

const irisRows = iris(5)

// Each output unit is differentiated on its own: summed, a softmax's outputs are the constant 1 and hide any leak.
describe('.toBeBatchIndependent on tfjs-examples models', () => {
  test('iris passes; iris subtracting the batch mean of its hidden layer fails with C16', async () => {
    await expect(irisModel).toBeBatchIndependent(irisRows)
    const result = await checks.batchIndependent(irisBatchMean, irisRows)
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C16')
    const [, leak, own] = /largest cross-sample gradient (\S+), own-sample (\S+),/.exec(result.message) ?? []
    expect(Number(leak)).toBeGreaterThan(1e-6 * Number(own))
    expect(result.message).toMatch(/1\. C16 samples leak into each other: \|∂output_i\/∂x_j\| reaches \S+ for j ≠ i, against \S+ for its own input/)
    await expect(irisBatchMean).not.toBeBatchIndependent(irisRows)
  })

  test('mnist dense passes', async () => {
    await expect(mnistDense).toBeBatchIndependent(digits(1))
  })

  test('sentiment (token ids, measured at the embedding) passes; with a batch mean after the flatten it fails with C16', async () => {
    await expect(sentimentFlatten).toBeBatchIndependent(reviews())
    const result = await checks.batchIndependent(sentimentBatchMean, reviews())
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C16')
  })
})
