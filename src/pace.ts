// node:timers, not the global: a test's fake timers (vi.useFakeTimers) replace the global setImmediate, and a run that
// waits on a faked one would never resume.
import { setImmediate } from 'node:timers'

/**
 * Work done in steps: each `yield` marks a point where the event loop may get a turn. `finish` runs it straight
 * through (synchronous callers); `Pacer.run` gives the loop a turn at those points when one is due.
 */
export type Steps<T> = Generator<void, T, void>

/** Runs `steps` to the end without a pause. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * Time after which a paced loop gives the event loop a turn at its next step. A step is a slab (slabs.ts), 5-20 ms
 * on an idle machine and twice that on a loaded one, so the loop waits at most this plus one step: under 100 ms.
 */
export const PACE_MS = 25

/**
 * Gives the event loop turns during a run. `wait` awaits a promise outside the run's seed (SeedScope.unseeded), so the
 * code that runs meanwhile neither draws from nor sees the seeded Math.random.
 */
export class Pacer {
  private last = performance.now()

  constructor(private readonly wait: (promise: () => Promise<void>) => Promise<void>) {}

  /** One turn of the event loop, now. */
  async turn(): Promise<void> {
    await this.wait(() => new Promise<void>((resolve) => setImmediate(resolve)))
    this.last = performance.now()
  }

  /** A turn when PACE_MS passed since the last one; otherwise nothing, not even an await. */
  breathe(): Promise<void> | undefined {
    return performance.now() - this.last > PACE_MS ? this.turn() : undefined
  }

  /** Runs `steps`, with a turn at each of its yields where one is due. */
  async run<T>(steps: Steps<T>): Promise<T> {
    for (;;) {
      const next = steps.next()
      if (next.done) return next.value
      const due = this.breathe()
      if (due) await due
    }
  }
}
