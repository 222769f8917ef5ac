import { fmt, fmtRate } from '../format.js'

// The learning rates C5 and C6 suggest, from what the run measured: the fix texts (catalogue.ts) and the rates their
// mechanical fixes try (fixes.ts) are read from the same arithmetic.

/** The decade of the factor a loss that moved `moved` (a share) needs on its rate, see `raise`: 1, 10 or 100. */
export function raiseDecade(moved: number): number {
  const factor = Math.min(999, Math.max(3, 0.5 / Math.max(moved, 5e-4)))
  return 10 ** Math.floor(Math.log10(factor))
}

/** C5's fix for a loss that went non-finite: a step ten times shorter. */
export function divergedFix(lr: number | undefined): string {
  return lr === undefined ? 'lower the learning rate' : `try lr ${fmt(lr / 10)}`
}

/** C5's fix for a rising or oscillating loss, which overshoots: a step 3 to 10 times shorter, relative to this rate. */
export function overshootFix(lr: number | undefined): string {
  return lr === undefined ? 'lower the learning rate' : `try lr ${fmtRate(lr / 10)} to ${fmtRate(lr / 3)}`
}

/**
 * A rate for a loss that barely moved, from what the run measured: while steps are small, progress per epoch grows
 * about linearly with the rate, so moving the loss by half within the same epochs takes about 0.5 / moved times this
 * rate. Suggested as the decade that factor falls in (×10 to ×100 for a loss that moved 1%), within ×3 to ×1000.
 */
export function raise(lr: number, moved: number): string {
  const lo = raiseDecade(moved)
  return lo === 1 ? `try lr ${fmtRate(lr * 3)} to ${fmtRate(lr * 10)}` : `try lr ${fmtRate(lr * lo)} to ${fmtRate(lr * lo * 10)}`
}
