// Small helpers the real-model data builders share: a seeded generator (the examples shuffle with
// Math.random / tf.util.shuffle; a test needs the same rows every run) and one-hot encoding.
import type { ChecklistId } from 'trainability'

/** mulberry32: a tiny seeded uniform generator in [0, 1). */
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

/** Fisher–Yates with a seeded generator, as tf.util.shuffle does with Math.random. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export const oneHot = (k: number, classes: number): number[] => Array.from({ length: classes }, (_, c) => (c === k ? 1 : 0))

/** Standard normal draw (Box–Muller) from a uniform generator. */
export const gaussian = (random: () => number): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())

/**
 * One realistic bug, injected into a real model by a one-line change, with the ONE checklist id a competent
 * engineer would name — decided from first principles before anything ran (`why` keeps the reasoning).
 */
export interface BugCase<Name extends string = string> {
  name: Name
  expected: ChecklistId
  /** The one line that changes, as the user would write it. */
  line: string
  why: string
}
