import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { linearRegression, mlpRegressor } from './fixtures/models.js'

const data = linearRegression()

describe('toReduceLossMonotonically', () => {
  test('passes at a moderate learning rate', async () => {
    await expect(mlpRegressor(0.05)).toReduceLossMonotonically(data)
  })

  test('fails at too high a learning rate, naming the first rise and C5', async () => {
    const result = await checks.monotonic(mlpRegressor(1.5), data)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to reduce its loss at every epoch \(rise ≤ 0\.1%\) over 100 epochs$/m)
    expect(result.message).toMatch(/(first rise at epoch \d+: [\d.e+-]+ → [\d.e+-]+ \(\+[\d.e+-]+%\), \d+ rises in all|loss became (NaN|Infinity) at epoch \d+)/)
    expect(result.findings[0]).toMatchObject({ id: 'C5', title: 'learning rate too high' })
    expect(result.message).toMatch(/1\. C5 learning rate too high: .* at lr 1\.5 \(try lr 0\.15( to 0\.5)?\)/)
  })

  test('.not', async () => {
    await expect(mlpRegressor(1.5)).not.toReduceLossMonotonically(data)
    await expect(expect(mlpRegressor(0.05)).not.toReduceLossMonotonically(data)).rejects.toThrow(
      /expected model not to reduce its loss at every epoch .*, but it did/,
    )
  })

  test('a window smooths the curve before comparing', async () => {
    const raw = await checks.monotonic(mlpRegressor(0.05), data, { window: 5, maxEpochs: 40 })
    expect(raw.pass).toBe(true)
    expect(raw.message).toMatch(/smoothed over 5/)
  })

  test('a loss that never falls fails even without rises', async () => {
    const result = await checks.monotonic(mlpRegressor(1e-9), data, { tolerance: 1, maxEpochs: 10 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/loss did not end below where it started/)
  })
})
