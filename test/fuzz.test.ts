import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { backendsAvailable, diagnose, scalers, type CheckResult } from 'trainability'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { RUN_OPTIONS, type OptionKind, type OptionSpec, type ValueKind } from '../src/checks/options.js'
import { DESCRIPTORS } from '../src/checks/registry.js'

// Issue 13: every matcher and diagnose, fed valid and hostile options and datasets, returns a verdict or throws a
// TypeError/RangeError naming the argument; never another error, never a raw tfjs error, never a tensor left behind.
// Hangs are caught by the test timeout. A failure prints fast-check's seed and path: replay with FUZZ_SEED=<seed>.
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_113)
const RUNS = Number(process.env.FUZZ_RUNS ?? 30)
/** The hang guard: a target's runs take a second or two; a run that does not end fails its test here. */
const HANG = 30_000 * Math.max(1, RUNS / 30)

type ModelKind = 'binary' | 'softmax' | 'regression'

/** A dense 4 → 1 sigmoid (binary cross-entropy), 4 → 2 softmax (categorical cross-entropy) or 4 → 1 linear (MSE). */
const tiny = (kind: ModelKind) => (): tf.LayersModel => {
  const units = kind === 'softmax' ? 2 : 1
  const activation = kind === 'binary' ? 'sigmoid' : kind === 'softmax' ? 'softmax' : 'linear'
  const model = tf.sequential({ layers: [tf.layers.dense({ units, activation, inputShape: [4] })] })
  const loss = kind === 'binary' ? 'binaryCrossentropy' : kind === 'softmax' ? 'categoricalCrossentropy' : 'meanSquaredError'
  model.compile({ loss, optimizer: 'adam' })
  return model
}

/** A generated value and whether it is valid input, so valid cases can be held to the stronger rule: a verdict, no error. */
interface Drawn<T> {
  value: T
  valid: boolean
  what: string
}

// ---------- datasets ----------

type Rows = number[][]
interface ArrayDataset {
  x: unknown
  y: unknown
}

// Mostly standardized features; now and then one at 1e30, which a model may not survive (a verdict, not an error).
const feature = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(1e30, -1e30, 1e-30) })

/** Valid labels for the model, with both classes (or two distinct targets) among the first two samples. */
function labels(kind: ModelKind, n: number): fc.Arbitrary<unknown[]> {
  const rest = n - 2
  if (kind === 'regression') {
    return fc.tuple(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: rest, maxLength: rest }), fc.boolean())
      .map(([ys, column]) => [0, 1, ...ys].map((v) => (column ? [v] : v)))
  }
  return fc.tuple(fc.array(fc.constantFrom(0, 1), { minLength: rest, maxLength: rest }), fc.boolean()).map(([cs, column]) => {
    const classes = [0, 1, ...cs]
    if (kind === 'softmax') return classes.map((c) => (c === 0 ? [1, 0] : [0, 1]))
    return classes.map((c) => (column ? [c] : c))
  })
}

const validDataset = (kind: ModelKind): fc.Arbitrary<ArrayDataset> =>
  fc.integer({ min: 2, max: 6 }).chain((n) =>
    fc.record({ x: fc.array(fc.array(feature, { minLength: 4, maxLength: 4 }), { minLength: n, maxLength: n }), y: labels(kind, n) }))

/** Datasets no model could train on, and labels encoded for another loss (a C4 failure, or a clear error). */
const hostileDataset = (kind: ModelKind): fc.Arbitrary<Drawn<unknown>> => {
  const from = (what: string, change: (d: ArrayDataset) => unknown): fc.Arbitrary<Drawn<unknown>> =>
    validDataset(kind).map((d) => ({ value: change(structuredClone(d)), valid: false, what }))
  const fixed = (what: string, value: unknown): fc.Arbitrary<Drawn<unknown>> => fc.constant({ value, valid: false, what })
  const rows = (d: ArrayDataset): Rows => d.x as Rows
  return fc.oneof(
    from('ragged x', (d) => ({ ...d, x: rows(d).map((r, i) => (i === 1 ? r.slice(0, 2) : r)) })),
    from('NaN in x', (d) => ({ ...d, x: rows(d).map((r, i) => (i === 0 ? [Number.NaN, ...r.slice(1)] : r)) })),
    from('Infinity in y', (d) => ({ ...d, y: (d.y as unknown[]).map((v, i) => (i === 0 ? (Array.isArray(v) ? v.map(() => Infinity) : Infinity) : v)) })),
    from('mismatched lengths', (d) => ({ ...d, y: (d.y as unknown[]).slice(1) })),
    from('3 features for a 4-feature model', (d) => ({ ...d, x: rows(d).map((r) => r.slice(0, 3)) })),
    from('x one level too deep', (d) => ({ ...d, x: rows(d).map((r) => r.map((v) => [v])) })),
    from('y of strings', (d) => ({ ...d, y: (d.y as unknown[]).map(String) })),
    from('no y', (d) => ({ x: d.x })),
    from('binary labels 0 and 2', (d) => ({ ...d, y: (d.y as unknown[]).map((_, i) => (i % 2) * 2) })),
    from('labels -1 and 1.5', (d) => ({ ...d, y: (d.y as unknown[]).map((_, i) => (i % 2 ? 1.5 : -1)) })),
    from('one-hot rows summing to 2', (d) => ({ ...d, y: (d.y as unknown[]).map(() => [1, 1]) })),
    from('class index 5 of 2', (d) => ({ ...d, y: (d.y as unknown[]).map((_, i) => (i === 0 ? 5 : i % 2)) })),
    from('class indices for a one-hot loss', (d) => ({ ...d, y: (d.y as unknown[]).map((_, i) => i % 2) })),
    from('x a disposed tensor', (d) => ({ ...d, x: DISPOSED })),
    fixed('empty', { x: [], y: [] }),
    fixed('x a string', { x: 'abc', y: [1] }),
    fixed('x and y numbers', { x: 5, y: 5 }),
    fixed('an object without x', { z: [[1, 2, 3, 4]] }),
    fixed('null', null),
    fixed('a number', 7),
    fixed('an array', [[1, 2, 3, 4]]),
  )
}

const dataset = (kind: ModelKind): fc.Arbitrary<Drawn<unknown>> =>
  fc.oneof(
    { weight: 3, arbitrary: validDataset(kind).map((value) => ({ value, valid: true, what: 'valid dataset' })) },
    { weight: 1, arbitrary: hostileDataset(kind) },
  )

const pair = (kind: ModelKind): fc.Arbitrary<Drawn<unknown>> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(dataset(kind), dataset(kind)).map(([t, v]) => ({ value: { train: t.value, validation: v.value }, valid: t.valid && v.valid, what: `train ${t.what}, validation ${v.what}` })) },
    { weight: 1, arbitrary: dataset(kind).map((d) => ({ value: d.value, valid: false, what: `a single ${d.what}, not a pair` })) },
    { weight: 1, arbitrary: dataset(kind).map((d) => ({ value: { train: d.value }, valid: false, what: 'train without validation' })) },
    { weight: 1, arbitrary: fc.constantFrom(null, 5, { train: null, validation: null }).map((value) => ({ value, valid: false, what: 'a broken pair' })) },
  )

/** Stands for a disposed tensor, made at call time (a tensor cannot live in a shrinkable value). */
const DISPOSED = Symbol('a disposed tensor')

// ---------- options ----------

/** The task each tiny model is; another task is a hostile value (a verdict, or an error naming options.task). */
const TASK = { binary: 'binary', softmax: 'multiclass', regression: 'regression' } as const

/** Budgets small enough for hundreds of runs; the rest of the common options drawn from their declared kinds. */
const common = (model: ModelKind) => fc.record(
  {
    maxEpochs: fc.integer({ min: 0, max: 3 }),
    timeoutMs: fc.integer({ min: 20, max: 600 }),
    seed: fc.integer({ min: -1000, max: 1000 }),
    batchSize: fc.integer({ min: 1, max: 4 }),
    learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
    task: fc.constant(TASK[model]),
    backend: fc.constant('cpu'),
  },
  { requiredKeys: ['maxEpochs', 'timeoutMs'] },
)

/** Options whose default multiplies the runs: kept short. */
const SHORT: Record<string, fc.Arbitrary<unknown>> = {
  seeds: fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }),
  rates: fc.array(fc.double({ min: 1e-3, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
  steps: fc.integer({ min: 1, max: 3 }),
  window: fc.integer({ min: 1, max: 3 }),
}

/** A valid value of a declared kind. */
function valid(kind: ValueKind): fc.Arbitrary<unknown> {
  switch (kind.kind) {
    case 'boolean':
      return fc.boolean()
    case 'enum':
      return fc.constantFrom(...kind.values)
    case 'array': {
      const length = { minLength: kind.length ?? 1, maxLength: kind.length ?? 3 }
      return kind.distinct ? fc.uniqueArray(valid(kind.of), length) : fc.array(valid(kind.of), length)
    }
    case 'number': {
      const min = kind.min ?? kind.above ?? -1000
      const max = kind.max ?? kind.below ?? min + 1000
      const number = kind.integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, minExcluded: kind.min === undefined && kind.above !== undefined, maxExcluded: kind.max === undefined && kind.below !== undefined })
      return kind.nonZero ? number.filter((v) => v !== 0) : number
    }
    case 'type':
      throw new Error(`no valid values drawn for kind 'type' (${kind.noun})`)
  }
}

/** The check's own options, all valid: ordered pairs given together and in order, exclusive pairs one at a time. */
function validOwn(spec: OptionSpec<object> | undefined, backends: string[]): fc.Arbitrary<Record<string, unknown>> {
  const kinds = Object.entries(spec?.kinds ?? {}) as [string, OptionKind][]
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, kind] of kinds) model[name] = SHORT[name] ?? (name === 'backends' ? fc.constant(backends) : valid(kind))
  return fc.record(model, { requiredKeys: [] }).map((options) => {
    const out: Record<string, unknown> = { ...options }
    for (const [low, high] of spec?.ordered ?? []) {
      if (out[low] === undefined || out[high] === undefined) {
        delete out[low]
        delete out[high]
      } else if ((out[low] as number) > (out[high] as number)) {
        ;[out[low], out[high]] = [out[high], out[low]]
      }
    }
    for (const [, second] of spec?.exclusive ?? []) delete out[second]
    return out
  })
}

/** Values no option of any kind accepts, values some accept, and values only a careless check would. */
const HOSTILE: unknown[] = [
  'binary', 'multiclass', 'regression', 'meanSquaredError', 'sgd', 16, 32,
  Number.NaN, -1, 0, -0, 0.5, 1.5, 2, 1e308, 2 ** 53 + 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  '5', '', 'x', 'webgpu', 'tensorflow', true, false, {}, { a: 1 }, [], [Number.NaN], [1, 'a'], [0], [-1], [3, 3], [1, , 2],
  ['cpu', 'webgpu'], [[1]], null, () => 1, 5n, Symbol('s'), new Date(0),
]

/** Option names to make hostile: the declared ones, the resolved ones (loss, optimizer) and a misspelling. */
function hostileNames(spec: OptionSpec<object> | undefined): string[] {
  return [...Object.keys(RUN_OPTIONS.kinds), ...Object.keys(spec?.kinds ?? {}), 'loss', 'optimizer', 'maxEpoch']
}

interface OptionsCase {
  value: unknown
  valid: boolean
  /** The option made hostile, if one was. */
  hostile?: string
  what: string
}

function options(model: ModelKind, spec: OptionSpec<object> | undefined, backends: string[]): fc.Arbitrary<OptionsCase> {
  const base = fc.tuple(common(model), validOwn(spec, backends)).map(([a, b]) => ({ ...a, ...b }))
  const oneHostile = fc.tuple(base, fc.constantFrom(...hostileNames(spec)), fc.constantFrom(...HOSTILE)).map(([o, name, value]) => {
    // null keeps an option's default: for the budgets that is 500 epochs and 20 s, which this file cannot afford.
    const bad = (name === 'maxEpochs' || name === 'timeoutMs') && (value === null || value === undefined) ? Number.NaN : value
    return { value: { ...o, [name]: bad }, valid: false, hostile: name, what: `options.${name} = ${show(bad)}` }
  })
  const notAnObject = fc.constantFrom<unknown>(5, 'fast', true, [], [1, 2], () => ({})).map((value) => ({ value, valid: false, what: `options ${show(value)}` }))
  return fc.oneof(
    { weight: 4, arbitrary: base.map((value) => ({ value, valid: true, what: 'valid options' })) },
    { weight: 3, arbitrary: oneHostile },
    { weight: 1, arbitrary: notAnObject },
  )
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'symbol' || typeof value === 'function') return String(value)
  if (typeof value === 'number') return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

// ---------- the property ----------

/** What tfjs says when it is reached with input nobody checked. */
const RAW = /Error when checking|Tensor is disposed|Based on the provided shape|Operands could not be broadcast|Cannot read prop|Cannot use 'in'|is not a function|is not iterable|of undefined|of null/

/** The arguments an error may name. */
const NAMED = /options\.\w+|options must be|\bdataset\b|\bvalidation\b|\{ train, validation \}|needs a dataset/

/** How the model is handed over: a factory, a built model (cloned, never mutated), or { model, preprocess }. */
type SubjectForm = 'factory' | 'instance' | 'spec'

interface Case {
  model: ModelKind
  subject: SubjectForm
  data: Drawn<unknown> | undefined
  options: OptionsCase
  tensors: boolean
  optionsAlone: boolean
}

type Call = (subject: unknown, ...args: unknown[]) => Promise<unknown>

/** Array data as tensors when asked (the caller's, disposed by the caller after the call); DISPOSED as a disposed tensor. */
function materialize(data: unknown, tensors: boolean, made: tf.Tensor[]): unknown {
  const convert = (d: unknown): unknown => {
    if (typeof d !== 'object' || d === null || !('x' in d) || !('y' in d)) return d
    if ((d as ArrayDataset).x === DISPOSED) {
      const x = tf.zeros([2, 4])
      x.dispose()
      return { ...d, x }
    }
    if (!tensors) return d
    try {
      const x = tf.tensor((d as ArrayDataset).x as number[][])
      made.push(x)
      const y = tf.tensor((d as ArrayDataset).y as number[])
      made.push(y)
      return { x, y }
    } catch {
      return d // not rectangular numbers: the arrays themselves
    }
  }
  if (typeof data === 'object' && data !== null && 'train' in data) {
    const p = data as { train: unknown; validation?: unknown }
    return { train: convert(p.train), validation: convert(p.validation) }
  }
  return convert(data)
}

/** Per target: calls that returned (and of those, passed) and that threw, so a run shows what it exercised. */
const tally = new Map<string, { returned: number; passed: number; threw: number }>()

async function holds(name: string, call: Call, c: Case): Promise<void> {
  const made: tf.Tensor[] = []
  const data = materialize(c.data?.value, c.tensors, made)
  const model = c.subject === 'factory' ? undefined : tiny(c.model)()
  const subject = c.subject === 'factory' ? tiny(c.model) : c.subject === 'instance' ? model : { model, preprocess: scalers.standard() }
  const args = c.data === undefined && c.optionsAlone ? [c.options.value] : [data, c.options.value]
  const context = `${name}: ${c.model} model (${c.subject}), ${c.data?.what ?? 'no dataset'}, ${c.options.what}`
  const before = tf.memory().numTensors
  let outcome: { result: unknown } | { error: unknown }
  try {
    outcome = { result: await call(subject, ...args) }
  } catch (error) {
    outcome = { error }
  }
  const after = tf.memory().numTensors
  tf.dispose(made)
  model?.dispose()
  expect(after, `${context}: tensors left behind`).toBe(before)
  const count = tally.get(name) ?? { returned: 0, passed: 0, threw: 0 }
  tally.set(name, count)
  if ('error' in outcome) count.threw++
  else count.returned++
  if ('result' in outcome && (outcome.result as CheckResult).pass === true) count.passed++
  if ('result' in outcome) {
    const result = outcome.result as CheckResult | { findings: unknown[]; record: unknown }
    if (name === 'diagnose') expect(Array.isArray(result.findings), context).toBe(true)
    else {
      expect(typeof (result as CheckResult).pass, context).toBe('boolean')
      expect((result as CheckResult).message, context).toMatch(/^expected model/)
    }
    return
  }
  const error = outcome.error as Error
  const valid = c.options.valid && (c.data === undefined || c.data.valid)
  expect(valid, `${context}: valid input threw ${error?.name}: ${error?.message}`).toBe(false)
  expect(error instanceof TypeError || error instanceof RangeError, `${context}: threw ${String(error)}\n${error?.stack}`).toBe(true)
  expect(error.message, `${context}: names no argument`).toMatch(NAMED)
  expect(error.message, `${context}: a raw error`).not.toMatch(RAW)
  // One hostile option and a valid dataset: the error is about that option (or, when its value was acceptable, nothing).
  if (c.options.hostile && (c.data === undefined || c.data.valid)) expect(error.message, context).toContain(`options.${c.options.hostile}`)
}

let backends: string[] = ['cpu', 'cpu']

beforeAll(async () => {
  console.info(`fuzz: fast-check seed ${SEED}, ${RUNS} runs per matcher (replay: FUZZ_SEED=${SEED}; more: FUZZ_RUNS=100)`)
  const available = await backendsAvailable()
  backends = available.includes('tensorflow') ? ['tensorflow', 'cpu'] : ['cpu', 'cpu']
})

afterAll(() => {
  const rows = [...tally].map(([name, n]) => `${name.padEnd(34)} ${n.returned} returned (${n.passed} passing), ${n.threw} input errors`)
  console.info(`fuzz: calls per target (shrinking included)\n${rows.join('\n')}`)
})

const kinds = fc.constantFrom<ModelKind>('binary', 'softmax', 'regression')
const forms = fc.constantFrom<SubjectForm>('factory', 'instance', 'spec')

describe('fuzz: options and datasets, valid and hostile', () => {
  for (const descriptor of DESCRIPTORS) {
    test(descriptor.matcher, { timeout: HANG }, async () => {
      const spec = descriptor.options as OptionSpec<object> | undefined
      const data = (kind: ModelKind): fc.Arbitrary<Drawn<unknown> | undefined> =>
        descriptor.dataset === 'pair' ? pair(kind) : descriptor.dataset === 'required' ? dataset(kind) : fc.option(dataset(kind), { nil: undefined })
      const cases = kinds.chain((model) =>
        fc.record({ model: fc.constant(model), subject: forms, data: data(model), options: options(model, spec, backends), tensors: fc.boolean(), optionsAlone: fc.boolean() }))
      await fc.assert(fc.asyncProperty(cases, (c) => holds(descriptor.matcher, descriptor.check as Call, c)), { seed: SEED, numRuns: RUNS })
    })
  }

  test('diagnose', { timeout: HANG }, async () => {
    const data = (kind: ModelKind): fc.Arbitrary<Drawn<unknown> | undefined> => fc.oneof(fc.constant(undefined), dataset(kind), pair(kind))
    const cases = kinds.chain((model) =>
      fc.record({ model: fc.constant(model), subject: forms, data: data(model), options: options(model, undefined, backends), tensors: fc.boolean(), optionsAlone: fc.constant(false) }))
    await fc.assert(fc.asyncProperty(cases, (c) => holds('diagnose', diagnose as Call, c)), { seed: SEED, numRuns: RUNS })
  })
})
