import type {} from 'expect'
import { makeMatchers } from './matchers.js'
import { recordForJest } from './report-channel.js'
import type { TrainabilityMatchers } from './types.js'

// jest puts `expect` on the test environment's global object before setupFilesAfterEnv runs.
const jestExpect = (globalThis as { expect?: { extend(m: object): void } }).expect
if (!jestExpect) throw new Error("trainability/jest must run inside jest: add it to setupFilesAfterEnv (vitest users: import 'trainability/vitest')")
// Each assertion is also recorded for `trainability/reporter` while one is writing its page.
const matchers = makeMatchers(recordForJest)
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
