import { describe, expect, test } from 'vitest'
import { fmt, sparkline } from '../src/format.js'
import { renderMessage } from '../src/message.js'
import type { TrainingRecord } from 'trainability'

describe('numbers and curves in messages', () => {
  test('fmt keeps four significant digits and switches to exponents at the extremes', () => {
    expect([0, 0.6931471, 1e-4, 12345.678, 2.5e7, -0.00005, Number.NaN].map(fmt)).toEqual(['0', '0.6931', '1e-4', '12350', '2.5e7', '-5e-5', 'NaN'])
  })

  test('sparkline draws 20 buckets and names the shape', () => {
    expect(sparkline(Array.from({ length: 100 }, (_, i) => 1 / (i + 1)))).toMatch(/^[▁-█]{20} falling$/)
    expect(sparkline([0.6931, 0.6931, 0.6931])).toBe('▄▄▄ flat')
    expect(sparkline([1, 2, 4, 8])).toBe('▁▂▄█ rising')
    expect(sparkline([1, 3, 1, 3, 1, 3, 0.5])).toMatch(/ oscillating, falling$/)
    expect(sparkline([1, 10, Number.NaN])).toBe('▁█× diverged')
  })

  test('the message follows CONVENTIONS.md: rule, numbers, sparkline, causes, backend, replay', () => {
    const record: TrainingRecord = {
      losses: Array(300).fill(0.6931), epochs: 300, stoppedBy: 'maxEpochs', task: 'binary', backend: 'cpu', seed: 42,
      learningRate: 1e-5, optimizer: 'SGD', elapsedMs: 1, accuracy: 0.5,
    }
    const message = renderMessage({
      pass: false,
      expectation: 'overfit 2 samples to loss < 0.01 within 300 epochs',
      details: ['reached 0.6931 at epoch 300 (best 0.6931)'],
      record,
      findings: [
        { kind: 'rateTooLow', params: { lr: 1e-5, moved: 2e-4 }, id: 'C6', title: 'learning rate too low', evidence: 'loss moved 0.02% over 300 epochs at lr 1e-5', fix: 'try 1e-2 to 1', severity: 'error', score: 1 },
        { kind: 'unscaledFeatures', params: { problems: 1, extreme: false }, id: 'C1', title: 'unscaled features', evidence: 'feature 0 std 1.2e3', fix: 'standardize: scalers.standard()', severity: 'warning', score: 1 },
      ],
    })
    expect(message).toBe(
      [
        'expected model to overfit 2 samples to loss < 0.01 within 300 epochs',
        '  reached 0.6931 at epoch 300 (best 0.6931)   backend cpu   seed 42',
        '  loss ▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄ flat',
        'likely causes',
        '  1. C6 learning rate too low: loss moved 0.02% over 300 epochs at lr 1e-5 (try 1e-2 to 1)',
        '  2. C1 unscaled features: feature 0 std 1.2e3 (standardize: scalers.standard())',
        'replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=cpu',
      ].join('\n'),
    )
  })
})
