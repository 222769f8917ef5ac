import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'
import { softmaxClassifier } from '../fixtures/models.js'

const corpus: CorpusCase = {
  matcher: 'toHaveHealthyGradients', check: checks.healthyGradients as CorpusCase['check'], id: 'C10',
  rule: /^expected model to have per-layer gradient norms in \[1e-6, 1000\] spreading at most 10000× across depth$/m,
  numbers: /spread [\d.]+e\d+ between dense_Dense\d+ and dense_Dense\d+/,
  cause: /1\. C10 vanishing gradients: dense_Dense\d+ gets a gradient norm of [\d.]+e-\d+ while dense_Dense\d+ gets/,
}

describe('.toHaveHealthyGradients', () => {
  corpusCase(corpus)

  test('fails when the bounds exclude the healthy model’s own norms, naming the option that set them', async () => {
    const healthy = await checks.healthyGradients(softmaxClassifier)
    expect(healthy.pass, healthy.message).toBe(true)
    const strict = await checks.healthyGradients(softmaxClassifier, { min: 1e3, max: 1e4 })
    expect(strict.pass).toBe(false)
    expect(strict.message).toMatch(/^expected model to have per-layer gradient norms in \[1000, 10000\]/m)
  })
})

describe('.not.toHaveHealthyGradients', () => {
  corpusNotCase(corpus)
})
