import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { digits, irisBatchMean, mnistDense, reviews, sentimentBatchMean, sentimentFlatten } from '../fixtures/examples.js'
import { iris, irisModel } from '../fixtures/iris.js'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'
import { healthy } from '../fixtures/corpus.js'

const irisRows = iris(5)

const custom = healthy.find((s) => s.name.startsWith('custom'))!
const corpus: CorpusCase = {
  matcher: 'toBeBatchIndependent', check: checks.batchIndependent as CorpusCase['check'], id: 'C16',
  rule: /^expected model to keep samples independent: ∂output_i\/∂x_j = 0 for j ≠ i$/m,
  numbers: /largest cross-sample gradient [\d.]+, own-sample [\d.]+/,
  cause: /1\. C16 samples leak into each other: \|∂output_i\/∂x_j\| reaches [\d.]+ for j ≠ i/,
  healthy: custom,
}

// Each output unit is differentiated on its own: summed, a softmax's outputs are the constant 1 and hide any leak.
describe('.toBeBatchIndependent', () => {
  corpusCase(corpus)

  test('passes when iris keeps its samples apart; fails when iris subtracts the batch mean of its hidden layer, with C16', async () => {
    await expect(irisModel).toBeBatchIndependent(irisRows)
    const result = await checks.batchIndependent(irisBatchMean, irisRows)
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C16')
    const [, leak, own] = /largest cross-sample gradient (\S+), own-sample (\S+),/.exec(result.message) ?? []
    expect(Number(leak)).toBeGreaterThan(1e-6 * Number(own))
    expect(result.message).toMatch(/1\. C16 samples leak into each other: \|∂output_i\/∂x_j\| reaches \S+ for j ≠ i, against \S+ for its own input/)
    await expect(irisBatchMean).not.toBeBatchIndependent(irisRows)
  })

  test('passes when mnist dense keeps its samples apart', async () => {
    await expect(mnistDense).toBeBatchIndependent(digits(1))
  })

  test('passes when sentiment (token ids, measured at the embedding) keeps its samples apart; fails with a batch mean after the flatten, with C16', async () => {
    await expect(sentimentFlatten).toBeBatchIndependent(reviews())
    const result = await checks.batchIndependent(sentimentBatchMean, reviews())
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C16')
  })
})

describe('.not.toBeBatchIndependent', () => {
  corpusNotCase(corpus)
})
