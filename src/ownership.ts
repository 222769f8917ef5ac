import * as tf from '@tensorflow/tfjs'

interface EngineScopes {
  startScope(name?: string): void
  endScope(result?: unknown): void
  state: { activeScope: { track: tf.Tensor[] } | null }
}

/**
 * Runs a user factory and remembers every tensor it made, so they can all be freed when the run ends.
 * `tf.variable(tf.randomNormal(...))` leaves the initial value behind; a trainable may also hold constants
 * its `predict` needs, so nothing is freed before `release()`.
 */
export async function collect<T>(fn: () => T | Promise<T>): Promise<{ value: T; release(): void }> {
  const engine = tf.engine() as unknown as EngineScopes
  engine.startScope('trainability factory')
  let made: tf.Tensor[] = []
  try {
    const value = await fn()
    return { value, release: () => made.forEach((t) => t.isDisposed || t.dispose()) }
  } finally {
    made = [...(engine.state.activeScope?.track ?? [])]
    for (const t of made) tf.keep(t) // survive endScope; release() frees them
    engine.endScope()
  }
}
