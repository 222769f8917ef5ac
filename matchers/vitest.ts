import { expect } from 'vitest'
import { matchers } from './matchers.js'
import type { TrainabilityMatchers } from './types.js'

expect.extend(matchers)

declare module 'vitest' {
  // No type parameters: the one form that compiles on vitest 3, 4 and 5.
  interface Matchers extends TrainabilityMatchers<void> {}
}

export { matchers }
export type { TrainabilityMatchers }
