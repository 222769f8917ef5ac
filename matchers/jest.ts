import type {} from 'expect'
import { matchers } from './matchers.js'
import type { TrainabilityMatchers } from './types.js'

// jest puts `expect` on the test environment's global object before setupFilesAfterEnv runs.
const jestExpect = (globalThis as { expect?: { extend(m: object): void } }).expect
if (!jestExpect) throw new Error("trainability/jest must run inside jest: add it to setupFilesAfterEnv (vitest users: import 'trainability/vitest')")
jestExpect.extend(matchers)

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> extends TrainabilityMatchers<R> {}
  }
}

declare module 'expect' {
  interface Matchers<R> extends TrainabilityMatchers<R> {}
}

export { matchers }
export type { TrainabilityMatchers }
