// Seeded synthetic data for the corpus: small, deterministic, plain number arrays (nothing to dispose).
import type { NestedNumbers } from '../../src/types.js'
import type { Labelled, Truth } from './case.js'

/** mulberry32: a tiny seeded uniform generator on [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normal(r: () => number): number {
  const u = 1 - r()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
}

/** `n` rows of `f` standard normal features. */
export function gaussian(n: number, f: number, seed: number): number[][] {
  const r = rng(seed)
  return Array.from({ length: n }, () => Array.from({ length: f }, () => normal(r)))
}

export const column = (values: number[]): number[][] => values.map((v) => [v])

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length
}

export function variance(values: number[]): number {
  const m = mean(values)
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length
}

/** Per-feature mean and std of a [n, f] matrix. */
export interface Stats {
  mean: number[]
  std: number[]
}

export function statsOf(x: number[][]): Stats {
  const f = x[0]!.length
  const cols = Array.from({ length: f }, (_, j) => x.map((row) => row[j]!))
  return { mean: cols.map(mean), std: cols.map((c) => Math.sqrt(variance(c)) || 1) }
}

/** Standardizes `x` with the given statistics (a scaler fitted elsewhere) or, without them, its own. */
export function standardize(x: number[][], stats: Stats = statsOf(x)): number[][] {
  return x.map((row) => row.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!))
}

/** Standardizes every value of a set of series with the mean and std of all of them. */
export function standardizeSeries(x: number[][][]): number[][][] {
  const all = x.flat(2)
  const m = mean(all)
  const s = Math.sqrt(variance(all))
  return x.map((series) => series.map((step) => step.map((v) => (v - m) / s)))
}

/** Applies an affine map per feature: raw units from standardized ones. */
export function rescale(x: number[][], scale: number[], shift: number[]): number[][] {
  return x.map((row) => row.map((v, j) => v * scale[j]! + shift[j]!))
}

export const binaryTruth = (labels: number[], threshold = 0.5): Truth => ({ task: 'binary', labels, threshold })
export const multiclassTruth = (labels: number[]): Truth => ({ task: 'multiclass', labels })
export const regressionTruth = (targets: number[][]): Truth => ({ task: 'regression', targets })

export function oneHot(labels: number[], classes: number): number[][] {
  return labels.map((l) => Array.from({ length: classes }, (_, c) => (c === l ? 1 : 0)))
}

/** Binary data whose label is the sign of a fixed linear score of standard normal features. */
export function linearBinary(n: number, f: number, seed: number, weights: number[] = [1, -1]): { x: number[][]; labels: number[] } {
  const x = gaussian(n, f, seed)
  const labels = x.map((row) => (weights.reduce((s, w, j) => s + w * row[j]!, 0) > 0 ? 1 : 0))
  return { x, labels }
}

/** Binary data with 0/1 labels as a column, read as probabilities. */
export function binarySet(x: NestedNumbers, labels: number[], threshold = 0.5): Labelled {
  return { x, y: column(labels), truth: binaryTruth(labels, threshold) }
}

/** Regression data whose targets are what was meant. */
export function regressionSet(x: NestedNumbers, y: number[][]): Labelled {
  return { x, y, truth: regressionTruth(y) }
}

/** Quadrant XOR: the label is whether the first two features have the same sign (not linearly separable). */
export function xor(n: number, f: number, seed: number): { x: number[][]; labels: number[] } {
  const x = gaussian(n, f, seed)
  return { x, labels: x.map((row) => (row[0]! * row[1]! > 0 ? 1 : 0)) }
}

/** `classes` Gaussian blobs around well-separated centres in `f` dimensions, classes in turn. */
export function blobs(n: number, f: number, classes: number, seed: number, spread = 0.5): { x: number[][]; labels: number[] } {
  const r = rng(seed)
  const centres = Array.from({ length: classes }, (_, c) =>
    Array.from({ length: f }, (_, j) => 2 * Math.cos((2 * Math.PI * c) / classes + (j * Math.PI) / 2)),
  )
  const labels = Array.from({ length: n }, (_, i) => i % classes)
  const x = labels.map((l) => centres[l]!.map((c) => c + spread * normal(r)))
  return { x, labels }
}

/** Linear regression targets y = x·w + b + noise, as a column. */
export function linearTargets(x: number[][], w: number[], b: number, noise: number, seed: number): number[][] {
  const r = rng(seed)
  return x.map((row) => [w.reduce((s, wj, j) => s + wj * row[j]!, b) + noise * normal(r)])
}

/** 6×6 single-channel images of a vertical (0) or horizontal (1) bar, pixel values in [0, 1] with noise. */
export function bars(n: number, seed: number, size = 6, classes = 2): { x: number[][][][]; labels: number[] } {
  const r = rng(seed)
  const labels = Array.from({ length: n }, (_, i) => i % classes)
  const x = labels.map((l) => {
    const at = Math.floor(r() * size)
    return Array.from({ length: size }, (_, i) =>
      Array.from({ length: size }, (_, j) => {
        const on = l === 0 ? j === at : l === 1 ? i === at : (i + j) % size === at
        return [Math.min(1, Math.max(0, (on ? 0.8 : 0.1) + 0.1 * normal(r)))]
      }),
    )
  })
  return { x, labels }
}

/**
 * 6×6 RGB images of one bar, vertical or horizontal at random; the class is its colour: red (0) or blue (1). Channels
 * in RGB order; green and the background carry noise only.
 */
export function colourBars(n: number, seed: number, size = 6): { x: number[][][][]; labels: number[] } {
  const r = rng(seed)
  const labels = Array.from({ length: n }, (_, i) => i % 2)
  const x = labels.map((l) => {
    const at = Math.floor(r() * size)
    const vertical = r() < 0.5
    return Array.from({ length: size }, (_, i) =>
      Array.from({ length: size }, (_, j) => {
        const on = vertical ? j === at : i === at
        const noise = (): number => Math.min(1, Math.max(0, 0.15 + 0.1 * normal(r)))
        const colour = (c: number): number => (on && c === (l === 0 ? 0 : 2) ? 0.9 : noise())
        return [colour(0), colour(1), colour(2)]
      }),
    )
  })
  return { x, labels }
}

/** Series of length `T` with a bump (+, class 1) or a dip (−, class 0) of width 3 at a random place, plus noise. */
export function bumps(n: number, T: number, seed: number): { x: number[][][]; labels: number[] } {
  const r = rng(seed)
  const labels = Array.from({ length: n }, (_, i) => i % 2)
  const x = labels.map((l) => {
    const at = 1 + Math.floor(r() * (T - 3))
    return Array.from({ length: T }, (_, t) => [(t >= at && t < at + 3 ? (l === 1 ? 1 : -1) : 0) + 0.2 * normal(r)])
  })
  return { x, labels }
}

/** Sequences of `T` steps of one uniform feature in [-1, 1]; the label is whether they sum above 0. */
export function sumSign(n: number, T: number, seed: number): { x: number[][][]; labels: number[] } {
  const r = rng(seed)
  const x = Array.from({ length: n }, () => Array.from({ length: T }, () => [2 * r() - 1]))
  return { x, labels: x.map((s) => (s.reduce((a, [v]) => a + v!, 0) > 0 ? 1 : 0)) }
}

/**
 * Token sequences over a vocabulary of 8: 0 pads, 1–3 are "good" words, 4–6 "bad" ones, 7 neutral; the label says
 * whether good words outnumber bad ones (ties broken to 1).
 */
export function reviews(n: number, L: number, seed: number): { x: number[][]; labels: number[] } {
  const r = rng(seed)
  const x: number[][] = []
  const labels: number[] = []
  while (x.length < n) {
    const ids = Array.from({ length: L }, () => 1 + Math.floor(r() * 7))
    const good = ids.filter((t) => t <= 3).length
    const bad = ids.filter((t) => t >= 4 && t <= 6).length
    if (good === bad) continue
    x.push(ids)
    labels.push(good > bad ? 1 : 0)
  }
  return { x, labels }
}
