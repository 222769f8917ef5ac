import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { FLOAT16, halfStepAt, roundActivation, roundToFloat16, toFloat16 } from '../src/precision.js'

/** An independent decoder: the value of a float16 bit pattern, straight from IEEE 754. */
function fromBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
}

// Every finite non-negative float16 value in increasing order; index k has fraction bits k & 0x3ff, so even k is "even".
const ladder = Array.from({ length: 0x7c00 }, (_, k) => fromBits(k))

describe('toFloat16', () => {
  test('keeps every one of the 63,490 finite float16 values, with its sign', () => {
    for (let k = 0; k < 0x7c00; k++) {
      expect(toFloat16(ladder[k]!)).toBe(ladder[k])
      expect(Object.is(toFloat16(-ladder[k]!), -ladder[k]!)).toBe(true)
    }
  })

  test('rounds every midpoint to the even neighbour, and anything off the midpoint to the nearer one', () => {
    const wrong: string[] = []
    for (let k = 0; k + 1 < ladder.length; k++) {
      const [a, b] = [ladder[k]!, ladder[k + 1]!]
      const mid = (a + b) / 2
      const nudge = (b - a) / 1024
      const even = k % 2 === 0 ? a : b
      for (const [input, want] of [[mid, even], [mid - nudge, a], [mid + nudge, b], [-mid, -even]] as const) {
        if (!Object.is(toFloat16(input), want)) wrong.push(`${input} → ${toFloat16(input)}, want ${want}`)
      }
    }
    expect(wrong).toStrictEqual([])
  })

  test('subnormals: steps of 2^-24 below 2^-14; half the smallest step rounds to zero, keeping the sign', () => {
    expect(toFloat16(FLOAT16.minSubnormal)).toBe(2 ** -24)
    expect(toFloat16(3 * 2 ** -26)).toBe(2 ** -24)
    expect(Object.is(toFloat16(2 ** -25), 0)).toBe(true) // a tie between 0 and 2^-24 goes to 0 (even)
    expect(Object.is(toFloat16(-1e-30), -0)).toBe(true)
    expect(toFloat16(3 * 2 ** -25)).toBe(2 ** -23) // a tie between 1·2^-24 (odd) and 2·2^-24 (even)
    expect(toFloat16(FLOAT16.minNormal - 2 ** -26)).toBe(FLOAT16.minNormal)
  })

  test('overflow: 65504 is the largest value; from 65520 on it is ±Infinity', () => {
    expect(toFloat16(65504)).toBe(FLOAT16.max)
    expect(toFloat16(65519.99)).toBe(65504)
    expect(toFloat16(65520)).toBe(Infinity)
    expect(toFloat16(-1e9)).toBe(-Infinity)
    expect(toFloat16(Infinity)).toBe(Infinity)
    expect(toFloat16(Number.NaN)).toBeNaN()
  })

  test('known values', () => {
    expect(toFloat16(0.1)).toBe(0.0999755859375)
    expect(toFloat16(1 + FLOAT16.epsilon / 2)).toBe(1) // tie, 1 is even
    expect(toFloat16(1 + 1.5 * FLOAT16.epsilon)).toBe(1 + 2 * FLOAT16.epsilon) // tie, 1 + 2^-9 is even
    expect(toFloat16(-4 - 0.0019)).toBe(-4) // under half a step (2^-9) at |w| = 4: the update is lost
    expect(toFloat16(-4 - 0.002)).toBe(-4.00390625)
  })

  test('agrees with the nearest float16 found by search, for any double', () => {
    const nearest = (v: number): number => {
      const m = Math.abs(v)
      if (m >= 65520) return Math.sign(v) * Infinity
      let lo = 0
      let hi = ladder.length - 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (ladder[mid]! <= m) lo = mid
        else hi = mid
      }
      const [a, b] = [ladder[lo]!, ladder[hi]!]
      const pick = m - a < b - m ? a : m - a > b - m ? b : lo % 2 === 0 ? a : b
      return v < 0 || Object.is(v, -0) ? -pick : pick
    }
    fc.assert(
      fc.property(fc.double({ min: -70_000, max: 70_000, noNaN: true }), (v) => Object.is(toFloat16(v), nearest(v))),
      { numRuns: 20_000 },
    )
  })
})

describe('roundToFloat16, roundActivation, halfStepAt', () => {
  test('arrays round element-wise into float32', () => {
    expect(Array.from(roundToFloat16([0.1, -3.999, 70_000]))).toStrictEqual([0.0999755859375, -3.998046875, Infinity])
  })

  test('roundActivation rounds the value forward and the gradient backward, leaking nothing', () => {
    const before = tf.memory().numTensors
    const [value, grad] = tf.tidy(() => {
      const x = tf.tensor1d([0.1, 1 + 2 ** -12])
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(roundActivation(t), 1 + 2 ** -12)))(x)
      return [Array.from(roundActivation(x).dataSync()), Array.from(g.dataSync())]
    })
    expect(value).toStrictEqual([0.0999755859375, 1])
    expect(grad).toStrictEqual([1, 1]) // 1 + 2^-12 is below half a step above 1
    expect(tf.memory().numTensors).toBe(before)
  })

  test('halfStepAt: half the float16 spacing', () => {
    expect(halfStepAt(4)).toBe(2 ** -9)
    expect(halfStepAt(-6.2)).toBe(2 ** -9)
    expect(halfStepAt(1)).toBe(2 ** -11)
    expect(halfStepAt(1e-6)).toBe(2 ** -25)
  })
})
