import { DESCRIPTORS, type Descriptor } from '../src/checks/registry.js'
import { toMatcher, type MatcherContext, type MatcherResult, type ResultHook } from './adapter.js'
import type { Subject } from '../src/types.js'

/** The arguments a descriptor's matcher takes after `expect(subject)`. */
export type ArgsOf<D extends Descriptor> = D['check'] extends (subject: Subject, ...args: infer A) => unknown ? A : never

/** One async matcher per descriptor, named by it. */
export type Matchers = {
  [D in Descriptor as D['matcher']]: (this: MatcherContext, received: unknown, ...args: ArgsOf<D>) => Promise<MatcherResult>
}

/** The matchers, each telling `onResult` its check's result (a runner entry attaches what its runner can show). */
export function makeMatchers(onResult?: ResultHook): Matchers {
  return Object.fromEntries(
    DESCRIPTORS.map((d) => [d.matcher, toMatcher(d.matcher, d.check as (subject: never, ...args: unknown[]) => ReturnType<typeof d.check>, onResult)]),
  ) as Matchers
}

/** Pass to `expect.extend(matchers)`; the `trainability/vitest` and `trainability/jest` entries do it for you. */
export const matchers = makeMatchers()
