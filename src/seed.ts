import { AsyncLocalStorage } from 'node:async_hooks'
import seedrandom from 'seedrandom'
import { rangeError } from './errors.js'

const DEFAULT_SEED = 42

/** The seed a run uses: the option, else `TRAINABILITY_SEED`, else 42. */
export function resolveSeed(seed?: number): number {
  if (seed !== undefined) return checkSeed(seed, 'options.seed')
  const fromEnv = process.env.TRAINABILITY_SEED
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return checkSeed(Number(fromEnv), `TRAINABILITY_SEED=${JSON.stringify(fromEnv)}`)
  }
  return DEFAULT_SEED
}

function checkSeed(seed: number, where: string): number {
  if (!Number.isSafeInteger(seed)) {
    throw rangeError(`${where} must be an integer, received ${String(seed)}; pass e.g. { seed: 42 }`)
  }
  return seed
}

/** A seeded stream that stands in for Math.random while a run computes. */
export interface SeedScope {
  readonly seed: number
  random(): number
  /** Awaits `promise` with the caller's Math.random back in place, so code running meanwhile neither shifts nor sees our stream. */
  unseeded<T>(promise: () => Promise<T>): Promise<T>
}

// The lock lives on globalThis so that ESM and CJS copies of the library, and every test file of a
// worker, share one queue.
const LOCK = Symbol.for('trainability.seedLock')
type LockHolder = { tail: Promise<void> }
const globalLock = ((globalThis as Record<symbol, unknown>)[LOCK] ??= { tail: Promise.resolve() }) as LockHolder

/** What the async context of a run sees: its scope, and whether Math.random draws from it right now. */
interface Holding {
  scope: SeedScope
  seeded: boolean
  /** Math.random as it was before the outermost run: what everyone else keeps drawing from. */
  original: () => number
}
const holding = new AsyncLocalStorage<Holding>()

/**
 * Runs `fn` with every tfjs random source (initializers, dropout, shuffling, unseeded `tf.random*`)
 * drawn from `seed`, one run at a time, and restores `Math.random` afterwards.
 *
 * Math.random is global but a run is not: while `fn` awaits something that is not ours (an async factory
 * fetching weights, a timer), other tests keep running. So the seeded stream is bound to the run's async
 * context: only code that `fn` itself runs (synchronously or after its own awaits) draws from it; any other
 * caller meanwhile gets the Math.random it had, and neither shifts nor reads our stream.
 *
 * @example
 * const curve = await withSeed(7, async () => trainMyModel())
 */
export async function withSeed<T>(seed: number, fn: (scope: SeedScope) => T | Promise<T>): Promise<T> {
  checkSeed(seed, 'seed')
  const outer = holding.getStore()
  if (outer) return runSeeded(seed, fn, outer.original) // already serialized: nest without queueing behind ourselves
  let release!: () => void
  const previous = globalLock.tail
  globalLock.tail = new Promise<void>((resolve) => (release = resolve))
  await previous
  const original = Math.random
  // One dispatcher for the whole run (nested runs included): the async context decides which stream answers.
  const dispatch = (): number => {
    const here = holding.getStore()
    return here?.seeded === true ? here.scope.random() : original()
  }
  Math.random = dispatch
  try {
    return await runSeeded(seed, fn, original)
  } finally {
    if (Math.random === dispatch) Math.random = original
    release()
  }
}

/** The seed of the run the caller is inside, if any (a fix rebuilding a model re-draws from it, see findings/fixes.ts). */
export function currentSeed(): number | undefined {
  return holding.getStore()?.scope.seed
}

async function runSeeded<T>(seed: number, fn: (scope: SeedScope) => T | Promise<T>, original: () => number): Promise<T> {
  const stream = seedrandom.alea(String(seed))
  const scope: SeedScope = {
    seed,
    random: () => stream(),
    unseeded(promise) {
      return holding.run({ scope, seeded: false, original }, promise)
    },
  }
  return holding.run({ scope, seeded: true, original }, () => fn(scope))
}
