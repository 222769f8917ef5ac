import { withBudget } from '../budget.js'
import { typeError } from '../errors.js'
import { checkResult, type MessageParts } from '../message.js'
import { DEFAULT_TIMEOUT_MS, type RunOutcome } from '../run.js'
import type { CheckResult, ChecklistId, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { failsUntrainable, Untrainable } from '../untrainable.js'
import { datasetAndOptions } from './args.js'
import type { Evidence } from '../probes/evidence.js'
import { causes } from './probed.js'
import { verifyFailure } from '../verified.js'
import type { FixKind } from '../findings/fixes.js'
import { RUN_OPTIONS, validateOptions, type OptionSpec } from './options.js'

export { DEFAULT_TIMEOUT_MS } from '../run.js'

/** The two datasets `toGeneralize` compares. */
export interface TrainValidation {
  train: Dataset
  validation: Dataset
}

/** How a check takes its data: `optional` (one sample per class built from the model when absent), `required`, or a `pair`. */
export type DatasetKind = 'optional' | 'required' | 'pair'

/** The arguments after the subject, for each dataset kind. */
export type CheckArgs<K extends DatasetKind, O> = K extends 'optional'
  ? [dataset?: Dataset | O, options?: O]
  : K extends 'pair'
    ? [data: TrainValidation, options?: O]
    : [dataset: Dataset, options?: O]

/** The options a check's `run` sees: the user's, with the descriptor's defaults filled in. */
export type Resolved<O, D> = O & { [K in keyof D & keyof O]-?: NonNullable<O[K]> } & { timeoutMs: number }

/**
 * What a check's run decided. The helper closes it: a pass has no findings; a failure gets `findings` when the check
 * ranked its own, else its `own` findings followed by what the probes of `outcome` show.
 */
export interface Verdict extends Omit<MessageParts, 'findings'> {
  outcome?: RunOutcome & { evidence?: Evidence }
  own?: Finding[]
  findings?: Finding[]
}

export interface CheckSpec<N extends string, K extends DatasetKind, O extends object, D extends Partial<O>> {
  /** The matcher that runs the check: `toOverfitTinyDataset`. */
  matcher: N
  /** The checklist items the check tests. */
  ids: readonly ChecklistId[]
  dataset: K
  /** Appended to "… needs a dataset: pass { x, y }" when a required dataset is missing. */
  needs?: string
  /** Option values used when the caller leaves them out (`timeoutMs`: DEFAULT_TIMEOUT_MS per run, see `runs`). */
  defaults: D
  /**
   * How many training runs the check plans with these options (default 1). `timeoutMs` covers them all; left out, it is
   * DEFAULT_TIMEOUT_MS per planned run, the budget a single-run check gets, so a check that trains five seeds is not
   * held to the time of one.
   */
  runs?: (options: O) => number
  /** The kinds of the check's own options, validated with the common RunOptions before anything runs. */
  options?: OptionSpec<O>
  /** Completes "expected model to …" when the configuration cannot train and the check never ran. */
  goal: string
  /**
   * On failure, verify the likely causes by re-running the check with each one's fix (verified.ts), unless the caller
   * passes `verify: false`; `skip` names the kinds of fix the check's own verdict cannot judge (it varies them itself).
   */
  verify?: boolean | { skip: readonly FixKind[] }
  run(subject: Subject, data: K extends 'pair' ? TrainValidation : K extends 'required' ? Dataset : Dataset | undefined, options: Resolved<O, D>): Promise<Verdict>
}

/** A registered check: its spec, and the function `checks.*` exports and the matcher calls. */
export interface CheckDescriptor<N extends string = string, K extends DatasetKind = DatasetKind, O extends object = RunOptions> {
  matcher: N
  ids: readonly ChecklistId[]
  dataset: K
  goal: string
  /** The kinds of the check's own options, as declared (RUN_OPTIONS holds the common ones). */
  options?: OptionSpec<O>
  check(subject: Subject, ...args: CheckArgs<K, O>): Promise<CheckResult>
}

/**
 * Declares a check once: the helper parses `(dataset?, options?)`, fills defaults, closes the verdict into a
 * CheckResult and fails an untrainable configuration with its causes (see `failsUntrainable`).
 *
 * @example
 * export const overfit = defineCheck<OverfitOptions>()({ matcher: 'toOverfitTinyDataset', ids: ['C7'], dataset: 'optional', defaults: {}, goal: '…', run })
 */
export function defineCheck<O extends object = RunOptions>() {
  return <N extends string, K extends DatasetKind, D extends Partial<O>>(spec: CheckSpec<N, K, O, D>): CheckDescriptor<N, K, O> => define(spec)
}

function define<N extends string, K extends DatasetKind, O extends object, D extends Partial<O>>(spec: CheckSpec<N, K, O, D>): CheckDescriptor<N, K, O> {
  const check = async (subject: Subject, ...args: unknown[]): Promise<CheckResult> => {
    const [data, options] = spec.dataset === 'optional'
      ? datasetAndOptions<O>(args[0] as Dataset | O | undefined, args[1] as O | undefined)
      : [args[0], args[1] ?? {}]
    if (spec.dataset === 'required' && (data === undefined || data === null)) {
      throw typeError(`${spec.matcher} needs a dataset: pass { x, y }${spec.needs ? ` ${spec.needs}` : ''}`)
    }
    if (typeof options !== 'object' || options === null) throw typeError(`options must be an object, received ${String(options)}`)
    validateOptions(options as O, [RUN_OPTIONS as OptionSpec<O>, ...(spec.options ? [spec.options] : [])], spec.defaults)
    const resolved = withDefaults(options as O, spec.defaults, spec.runs?.(options as O) ?? 1)
    const skip = spec.verify === true || !spec.verify ? [] : spec.verify.skip
    // `timeoutMs` is the check's whole budget: every run, its setup and the verification of a failure's causes draw on
    // one deadline set here.
    return withBudget(resolved.timeoutMs, async () => {
      let verdict: Verdict
      try {
        verdict = await spec.run(subject, data as never, resolved)
      } catch (error) {
        // A configuration that cannot train at all (failsUntrainable reports it) has causes to verify too: unfreezing, a
        // loss or activation that fits, labels re-encoded.
        if (!(error instanceof Untrainable) || !spec.verify || !error.info) throw error
        const details = [`did not train: ${error.findings[0]!.title}`]
        const findings = await verifyFailure(spec.run, subject, data as never, resolved, { pass: false, details, record: error.record, info: error.info }, error.findings, skip)
        if (!findings.some((f) => f.verification)) throw error
        return checkResult({ pass: false, expectation: spec.goal, details, record: error.record, findings, timeoutMs: resolved.timeoutMs })
      }
      const { outcome, own = [], findings, ...parts } = verdict
      const ranked = parts.pass ? [] : findings ?? (outcome ? causes(outcome, own) : own)
      return checkResult({
        ...parts,
        timeoutMs: resolved.timeoutMs,
        findings: parts.pass || !spec.verify ? ranked : await verifyFailure(spec.run, subject, data as never, resolved, verdict, ranked, skip),
      })
    })
  }
  return {
    matcher: spec.matcher,
    ids: spec.ids,
    dataset: spec.dataset,
    goal: spec.goal,
    options: spec.options,
    check: failsUntrainable(spec.goal, check) as CheckDescriptor<N, K, O>['check'],
  }
}

/** The caller's options over the defaults; an option given as `undefined` or `null` keeps its default, as `??` did. */
function withDefaults<O extends object, D>(options: O, defaults: D, runs: number): Resolved<O, D> {
  const resolved: Record<string, unknown> = { timeoutMs: DEFAULT_TIMEOUT_MS * Math.max(1, runs), ...defaults }
  for (const [key, value] of Object.entries(options)) if (value !== undefined && value !== null) resolved[key] = value
  return resolved as Resolved<O, D>
}
