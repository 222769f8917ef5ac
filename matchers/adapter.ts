import { isInputError } from '../src/errors.js'
import { causesUnread } from '../src/verified.js'
import type { CheckResult } from '../src/types.js'

/** The part of `this` that vitest and jest both give a matcher. */
export interface MatcherContext {
  isNot?: boolean
  promise?: string
  utils: {
    matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string; secondArgument?: string }): string
  }
}

export interface MatcherResult {
  pass: boolean
  message(): string
}

const RUNNER_FRAME = /node_modules|node:internal|__VITEST|at Proxy\.|<anonymous>/

/** The frames of a captured stack from the first one in the user's code on. */
function userFrames(stack: string): string {
  const frames = stack.split('\n').slice(1)
  const first = frames.findIndex((f) => !RUNNER_FRAME.test(f))
  return (first === -1 ? frames : frames.slice(first)).join('\n')
}

/**
 * Told each check's result before the matcher returns, with whether the assertion fails (`.not` of a passing check
 * fails); a runner's entry uses it to attach what the runner can show (the vitest entry: the curves as an SVG).
 */
export type ResultHook = (context: MatcherContext, name: string, result: CheckResult, failed: boolean) => Promise<void>

/** Turns a check into an async matcher. `pass` is the check's own verdict; `.not` is the runner's business. */
export function toMatcher<A extends unknown[]>(
  name: string,
  check: (subject: never, ...args: A) => Promise<CheckResult>,
  onResult?: ResultHook,
): (this: MatcherContext, received: unknown, ...args: A) => Promise<MatcherResult> {
  const matcher = async function (this: MatcherContext, received: unknown, ...args: A): Promise<MatcherResult> {
    const callsite: { stack?: string } = {}
    Error.captureStackTrace(callsite, matcher) // bad-input errors point at the user's expect(...) line
    let result: CheckResult
    try {
      // Under `.not` a failing check is a passing assertion, whose message (and so its causes) nobody reads.
      result = await (this.isNot ? causesUnread(() => check(received as never, ...args)) : check(received as never, ...args))
    } catch (error) {
      if (isInputError(error) && callsite.stack) error.stack = `${error.name}: ${error.message}\n${userFrames(callsite.stack)}`
      throw error
    }
    await onResult?.(this, name, result, result.pass === Boolean(this.isNot))
    const hint = this.utils.matcherHint(name, 'model', args.length ? 'dataset' : '', { isNot: this.isNot, promise: this.promise })
    return { pass: result.pass, message: () => `${hint}\n\n${result.message}` }
  }
  return matcher
}
