import { DESCRIPTORS, type Descriptor } from '../src/checks/registry.js'
import { toMatcher, type MatcherContext, type MatcherResult } from './adapter.js'
import type { Subject } from '../src/types.js'

/** The arguments a descriptor's matcher takes after `expect(subject)`. */
export type ArgsOf<D extends Descriptor> = D['check'] extends (subject: Subject, ...args: infer A) => unknown ? A : never

/** One async matcher per descriptor, named by it. */
export type Matchers = {
  [D in Descriptor as D['matcher']]: (this: MatcherContext, received: unknown, ...args: ArgsOf<D>) => Promise<MatcherResult>
}

/** Pass to `expect.extend(matchers)`; the `trainability/vitest` and `trainability/jest` entries do it for you. */
export const matchers = Object.fromEntries(
  DESCRIPTORS.map((d) => [d.matcher, toMatcher(d.matcher, d.check as (subject: never, ...args: unknown[]) => ReturnType<typeof d.check>)]),
) as Matchers
