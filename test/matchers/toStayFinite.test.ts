import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'
import { logisticUnit, twoPoints } from '../fixtures/models.js'

const corpus: CorpusCase = {
  matcher: 'toStayFinite', check: checks.stayFinite as CorpusCase['check'], id: 'C5',
  rule: /^expected model to keep loss, weights and gradients finite for 100 epochs$/m,
  // cpu: a gradient overflows first; tensorflow: the loss does, with gradients still finite.
  numbers: /loss became (Infinity|NaN) at epoch \d+([\s\S]*first non-finite (gradient|weight): dense_Dense\d+\/\w+ (at|after) epoch \d+)?/,
  cause: /1\. C5 training diverges to NaN\/Infinity: (dense_Dense\d+\/\w+|the loss) went non-finite at epoch \d+ at lr 3 \(try lr 0\.3/,
}

describe('.toStayFinite', () => {
  corpusCase(corpus)

  test('passes when the thread’s logistic unit trains at lr 1, and says so under .not', async () => {
    const result = await checks.stayFinite(logisticUnit(1), twoPoints, { maxEpochs: 20 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/^expected model not to keep loss, weights and gradients finite for 20 epochs, but it did$/m)
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([])
  })
})

describe('.not.toStayFinite', () => {
  corpusNotCase(corpus)
})
