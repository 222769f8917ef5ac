import { describe, rangeError, typeError } from '../errors.js'
import type { RunOptions } from '../types.js'

/**
 * What one value may hold. `number`: finite, within the bounds (`integer` for counts, `nonZero` for factors); a number
 * whose bounds lie in [0, 1] reads as a share. `enum`: one of `values`. `boolean`. `array`: `length` elements (else at
 * least one), each of kind `of`, `distinct` when a repeat would only redo the same work; `items` names them in messages.
 * `type`: a value of one of `types` (a name or an instance, checked in full where it is resolved), `noun` says which.
 */
export type ValueKind =
  | { kind: 'number'; integer?: boolean; min?: number; max?: number; above?: number; below?: number; nonZero?: boolean }
  | { kind: 'enum'; values: readonly (string | number)[] }
  | { kind: 'boolean' }
  | { kind: 'array'; of: ValueKind; items: string; length?: number; distinct?: boolean }
  | { kind: 'type'; types: readonly ('string' | 'function' | 'object')[]; noun: string }

/** An option's kind: `example` is a valid value, quoted in every error; `note` says what the value means ('loss units'). */
export type OptionKind = ValueKind & { example: unknown; note?: string }

/** A check's options, declared once: each option's kind, pairs that must be ordered (`min ≤ max`) and pairs that exclude each other. */
export interface OptionSpec<O> {
  kinds: { [K in keyof O]?: OptionKind }
  ordered?: readonly (readonly [keyof O & string, keyof O & string])[]
  exclusive?: readonly (readonly [keyof O & string, keyof O & string])[]
}

/**
 * What every check accepts. loss and optimizer are checked here for their type, and in full where they are resolved
 * (subject.ts, optimizer.ts); seed and backend here and again where they are resolved, which also reads the environment.
 */
export const RUN_OPTIONS: OptionSpec<RunOptions> = {
  kinds: {
    seed: { kind: 'number', integer: true, example: 42 },
    backend: { kind: 'enum', values: ['auto', 'tensorflow', 'cpu'], example: 'auto' },
    maxEpochs: { kind: 'number', integer: true, min: 0, example: 100 },
    timeoutMs: { kind: 'number', above: 0, example: 20_000 },
    batchSize: { kind: 'number', integer: true, min: 1, example: 32 },
    learningRate: { kind: 'number', above: 0, example: 0.01 },
    loss: { kind: 'type', types: ['string', 'function'], noun: 'a tfjs loss name or a loss function', example: 'binaryCrossentropy' },
    optimizer: { kind: 'type', types: ['string', 'object'], noun: 'an optimizer name or a tf.Optimizer', example: 'adam' },
    task: { kind: 'enum', values: ['binary', 'multiclass', 'regression'], example: 'binary' },
    verify: { kind: 'boolean', example: false },
    cache: { kind: 'boolean', example: false },
  },
}

/**
 * Throws a TypeError (wrong type) or RangeError (out of range) naming `options.<name>`, the value received and a valid
 * example; `options` itself must be an object, not an array. An option given as `undefined` or `null` keeps its default. `defaults` take part in the pair rules only: a
 * `max` below the default `min` is as wrong as one below a given `min`.
 *
 * @example
 * validateOptions({ maxEpochs: -1 }, [RUN_OPTIONS]) // RangeError: options.maxEpochs must be an integer ≥ 0, received -1; pass e.g. { maxEpochs: 100 }
 */
export function validateOptions<O extends object>(options: O, specs: readonly OptionSpec<O>[], defaults: Partial<O> = {}): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw typeError(`options must be an object, received ${show(options)}`)
  const given = options as Record<string, unknown>
  const fallback = defaults as Record<string, unknown>
  const has = (name: string): boolean => given[name] !== undefined && given[name] !== null
  for (const spec of specs) {
    for (const [name, kind] of Object.entries(spec.kinds) as [string, OptionKind | undefined][]) {
      if (kind !== undefined && has(name)) checkValue(`options.${name}`, given[name], kind, { name, example: kind.example, note: kind.note })
    }
    for (const [a, b] of spec.exclusive ?? []) {
      if (has(a) && has(b)) throw rangeError(`${named(a, spec)} and ${named(b, spec)} both given; pass one of them`)
    }
    for (const [low, high] of spec.ordered ?? []) {
      const value = (name: string): unknown => (has(name) ? given[name] : fallback[name])
      const a = value(low)
      const b = value(high)
      if (typeof a === 'number' && typeof b === 'number' && !(a <= b)) {
        const shown = (name: string, v: number): string => `${name} ${v}${has(name) ? '' : ' (its default)'}`
        throw rangeError(`options.${low} must be ≤ options.${high}, received ${shown(low, a)} and ${shown(high, b)}; pass e.g. { ${low}: ${b}, ${high}: ${a} }`)
      }
    }
  }
}

/** `options.maxGap (loss units)`. */
function named<O>(name: string, spec: OptionSpec<O>): string {
  const note = (spec.kinds as Record<string, OptionKind | undefined>)[name]?.note
  return `options.${name}${note ? ` (${note})` : ''}`
}

interface Quoted {
  name: string
  example: unknown
  note?: string
}

/** Checks `value` (at `path`: `options.rates[1]`) against `kind`; the error quotes the whole option's example. */
function checkValue(path: string, value: unknown, kind: ValueKind, option: Quoted): void {
  const fail = (error: typeof typeError, rule: string, received = show(value)): never => {
    throw error(`${path} must be ${rule}, received ${received}; pass e.g. { ${option.name}: ${literal(option.example)} }${option.note ? ` (${option.note})` : ''}`)
  }
  if (kind.kind === 'boolean') {
    if (typeof value !== 'boolean') fail(typeError, 'true or false')
    return
  }
  if (kind.kind === 'enum') {
    if (!kind.values.includes(value as string | number)) {
      const sameType = kind.values.some((v) => typeof v === typeof value)
      fail(sameType ? rangeError : typeError, `one of ${kind.values.map(literal).join(', ')}`)
    }
    return
  }
  if (kind.kind === 'type') {
    const type = value === null ? 'null' : typeof value
    if (!(kind.types as readonly string[]).includes(type)) fail(typeError, kind.noun)
    return
  }
  if (kind.kind === 'array') {
    const rule = ruleOf(kind)
    if (!Array.isArray(value)) return fail(typeError, rule)
    if (kind.length !== undefined ? value.length !== kind.length : value.length === 0) fail(rangeError, rule)
    for (let i = 0; i < value.length; i++) checkValue(`${path}[${i}]`, value[i], kind.of, option) // holes too: forEach skips them
    const repeated = kind.distinct ? value.findIndex((item, i) => value.indexOf(item) !== i) : -1
    if (repeated >= 0) {
      throw rangeError(`${path} lists ${show(value[repeated])} twice (at ${value.indexOf(value[repeated])} and ${repeated}); list each once, e.g. { ${option.name}: ${literal(option.example)} }`)
    }
    return
  }
  const rule = ruleOf(kind)
  if (typeof value !== 'number') return fail(typeError, rule)
  const ok = Number.isFinite(value)
    && (!kind.integer || Number.isInteger(value))
    && (!kind.nonZero || value !== 0)
    && (kind.min === undefined || value >= kind.min)
    && (kind.max === undefined || value <= kind.max)
    && (kind.above === undefined || value > kind.above)
    && (kind.below === undefined || value < kind.below)
  if (!ok) fail(rangeError, rule)
}

/** "a positive integer", "a share in (0, 1]", "a non-empty array of learning rates", "one of 16, 32". */
function ruleOf(kind: ValueKind): string {
  if (kind.kind === 'boolean') return 'true or false'
  if (kind.kind === 'enum') return `one of ${kind.values.map(literal).join(', ')}`
  if (kind.kind === 'type') return kind.noun
  if (kind.kind === 'array') {
    return `${kind.length !== undefined ? `an array of ${kind.length}` : 'a non-empty array of'}${kind.distinct ? ' distinct' : ''} ${kind.items}`
  }
  const noun = kind.integer ? 'integer' : `${kind.nonZero ? 'non-zero ' : ''}finite number`
  const an = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`)
  if (kind.integer && kind.min === 1 && kind.max === undefined) return 'a positive integer'
  if (!kind.integer && kind.above === 0 && kind.max === undefined && kind.below === undefined) return 'a positive finite number'
  const low = kind.min !== undefined ? `[${kind.min}` : kind.above !== undefined ? `(${kind.above}` : undefined
  const high = kind.max !== undefined ? `${kind.max}]` : kind.below !== undefined ? `${kind.below})` : undefined
  if (low && high) {
    const share = !kind.integer && (kind.min ?? kind.above)! >= 0 && (kind.max ?? kind.below)! <= 1
    return `${kind.integer ? 'an integer' : share ? 'a share' : 'a number'} in ${low}, ${high}`
  }
  if (kind.min !== undefined) return `${an(noun)} ≥ ${kind.min}`
  if (kind.above !== undefined) return `${an(noun)} > ${kind.above}`
  if (kind.max !== undefined) return `${an(noun)} ≤ ${kind.max}`
  if (kind.below !== undefined) return `${an(noun)} < ${kind.below}`
  return an(noun)
}

/** A value as the caller would write it: `0.01`, `'binary'`, `['tensorflow', 'cpu']`. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  if (typeof value === 'string') return `'${value}'`
  return String(value)
}

/** What was received: numbers as written (NaN, -1), anything else described (`string "5"`, `an array of length 2`). */
function show(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'symbol') return `symbol ${String(value.description)}`
  return describe(value)
}
