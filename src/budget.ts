import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * A check's wall-clock budget (`timeoutMs`): one deadline for all its runs and their setup, fixed when the check
 * starts. Every run of the check gets at most the time left.
 */
export class Budget {
  private end: number

  constructor(readonly timeoutMs: number, start = performance.now()) {
    this.end = start + timeoutMs
  }

  /** The deadline, on the `performance.now()` clock. */
  get deadline(): number {
    return this.end
  }

  /** Milliseconds left; ≤ 0 once the budget is spent. */
  left(): number {
    return this.end - performance.now()
  }

  /**
   * Time spent waiting for another check's run to finish (runs are serialized, see withSeed) is not this check's:
   * four concurrent tests must not spend each other's budgets.
   */
  extend(ms: number): void {
    this.end += ms
  }
}

const current = new AsyncLocalStorage<Budget>()

/** Runs a check (or a diagnosis) under one budget; every session it opens shares it. */
export function withBudget<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  return current.run(new Budget(timeoutMs), fn)
}

/** The budget of the check running in this async context, if any. */
export function activeBudget(): Budget | undefined {
  return current.getStore()
}
