import { describe, rangeError, typeError } from '../errors.js'
import type { RunOptions } from '../types.js'

/**
 * What one option may hold. `number`: a number within the bounds (`integer` for counts); `enum`: one of `values`;
 * `boolean`. `example` is a valid value, quoted in the error.
 */
export type OptionKind =
  | { kind: 'number'; integer?: boolean; min?: number; max?: number; above?: number; below?: number; example: number }
  | { kind: 'enum'; values: readonly (string | number)[]; example: string | number }
  | { kind: 'boolean'; example: boolean }

/** A check's options, declared once: each option's kind, and pairs that must be ordered (`min ≤ max`). */
export interface OptionSpec<O> {
  kinds: { [K in keyof O]?: OptionKind }
  ordered?: readonly (readonly [keyof O & string, keyof O & string])[]
}

/** What every check accepts. seed, backend, loss, optimizer and learningRate are validated where they are resolved (seed.ts, backend.ts, subject.ts). */
export const RUN_OPTIONS: OptionSpec<RunOptions> = {
  kinds: {
    maxEpochs: { kind: 'number', integer: true, min: 0, example: 100 },
    timeoutMs: { kind: 'number', above: 0, example: 20_000 },
    batchSize: { kind: 'number', integer: true, min: 1, example: 32 },
    task: { kind: 'enum', values: ['binary', 'multiclass', 'regression'], example: 'binary' },
  },
}

/** Throws a TypeError (wrong type) or RangeError (out of range) naming `options.<name>`, the value and a valid example. */
export function validateOptions<O extends object>(options: O, ...specs: OptionSpec<O>[]): void {
  const values = options as Record<string, unknown>
  for (const spec of specs) {
    for (const [name, kind] of Object.entries(spec.kinds) as [string, OptionKind | undefined][]) {
      const value = values[name]
      if (kind === undefined || value === undefined || value === null) continue
      checkOne(name, value, kind)
    }
    for (const [low, high] of spec.ordered ?? []) {
      const a = values[low] as number | undefined
      const b = values[high] as number | undefined
      if (typeof a === 'number' && typeof b === 'number' && !(a <= b)) {
        throw rangeError(`options.${low} must be ≤ options.${high}, received ${low} ${a} and ${high} ${b}; pass e.g. { ${low}: ${a}, ${high}: ${Math.max(a, b) * 10 || 1} }`)
      }
    }
  }
}

function checkOne(name: string, value: unknown, kind: OptionKind): void {
  const example = `pass e.g. { ${name}: ${JSON.stringify(kind.example)} }`
  const received = typeof value === 'number' ? String(value) : describe(value)
  if (kind.kind === 'boolean') {
    if (typeof value !== 'boolean') throw typeError(`options.${name} must be true or false, received ${received}; ${example}`)
    return
  }
  if (kind.kind === 'enum') {
    if (!kind.values.includes(value as string | number)) {
      const list = kind.values.map((v) => JSON.stringify(v).replace(/"/g, "'")).join(', ')
      const error = typeof value === typeof kind.example ? rangeError : typeError
      throw error(`options.${name} must be one of ${list}, received ${received}; ${example}`)
    }
    return
  }
  const wanted = numberRule(kind)
  if (typeof value !== 'number') throw typeError(`options.${name} must be ${wanted}, received ${received}; ${example}`)
  const ok = Number.isFinite(value)
    && (!kind.integer || Number.isInteger(value))
    && (kind.min === undefined || value >= kind.min)
    && (kind.max === undefined || value <= kind.max)
    && (kind.above === undefined || value > kind.above)
    && (kind.below === undefined || value < kind.below)
  if (!ok) throw rangeError(`options.${name} must be ${wanted}, received ${received}; ${example}`)
}

/** "a positive integer", "a number in [0, 1]", "a finite number ≥ 0". */
function numberRule(kind: Extract<OptionKind, { kind: 'number' }>): string {
  const noun = kind.integer ? 'integer' : 'finite number'
  if (kind.integer && kind.min === 1 && kind.max === undefined) return 'a positive integer'
  if (!kind.integer && kind.above === 0 && kind.max === undefined && kind.below === undefined) return 'a positive finite number'
  const low = kind.min !== undefined ? `[${kind.min}` : kind.above !== undefined ? `(${kind.above}` : undefined
  const high = kind.max !== undefined ? `${kind.max}]` : kind.below !== undefined ? `${kind.below})` : undefined
  if (low && high) return `${kind.integer ? 'an integer' : 'a number'} in ${low}, ${high}`
  if (kind.min !== undefined) return `${kind.integer ? 'an' : 'a'} ${noun} ≥ ${kind.min}`
  if (kind.above !== undefined) return `${kind.integer ? 'an' : 'a'} ${noun} > ${kind.above}`
  if (kind.max !== undefined) return `${kind.integer ? 'an' : 'a'} ${noun} ≤ ${kind.max}`
  if (kind.below !== undefined) return `${kind.integer ? 'an' : 'a'} ${noun} < ${kind.below}`
  return `${kind.integer ? 'an' : 'a'} ${noun}`
}
