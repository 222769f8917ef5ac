import * as tf from '@tensorflow/tfjs'
import { AsyncLocalStorage } from 'node:async_hooks'

interface TrackingEngine {
  trackTensor(tensor: tf.Tensor, backend: unknown): void
}

/** Tensors made by the factory call running in this async context, variables included. */
const making = new AsyncLocalStorage<tf.Tensor[]>()
const HOOKED = Symbol.for('trainability.ownershipHook')

/**
 * Every tensor, variables included, passes through `engine.trackTensor` once, synchronously, in the async
 * context of the code that made it. Recording it there, by context, attributes it to the factory that made
 * it even when the factory awaits and other tests make tensors meanwhile; an engine scope held across that
 * await would claim theirs too. Installed once per engine; every copy of the library chains its own hook.
 */
function hookEngine(): void {
  const engine = tf.engine() as unknown as TrackingEngine & Record<symbol, unknown>
  const hooks = (engine[HOOKED] ??= new Set<AsyncLocalStorage<tf.Tensor[]>>()) as Set<AsyncLocalStorage<tf.Tensor[]>>
  if (hooks.has(making)) return
  hooks.add(making)
  const track = engine.trackTensor
  engine.trackTensor = function (this: TrackingEngine, tensor, backend) {
    making.getStore()?.push(tensor)
    return track.call(this, tensor, backend)
  }
}

/**
 * Runs a user factory and remembers every tensor it made, so they can all be freed when the run ends.
 * `tf.variable(tf.randomNormal(...))` leaves the initial value behind; a trainable may also hold constants
 * its `predict` needs, so nothing is freed before `release()`. If the factory (or what we do with its result
 * inside `fn`) throws, everything it made is freed at once: a failed build leaves nothing behind.
 */
export async function collect<T>(fn: () => T | Promise<T>): Promise<{ value: T; release(): void }> {
  hookEngine()
  const made: tf.Tensor[] = []
  const release = (): void => made.forEach((t) => t.isDisposed || t.dispose())
  try {
    const value = await making.run(made, fn)
    return { value, release }
  } catch (error) {
    release()
    throw error
  }
}

/**
 * Calls `fn` synchronously; if it throws, frees every tensor it made. Inside a gradient tape tfjs keeps a
 * copy of each forward op's inputs for the backward pass, and a forward pass that throws never frees them.
 */
export function freeOnThrow<T>(fn: () => T): T {
  hookEngine()
  const made: tf.Tensor[] = []
  try {
    return making.run(made, fn)
  } catch (error) {
    for (const t of made) if (!t.isDisposed) t.dispose()
    throw error
  }
}
