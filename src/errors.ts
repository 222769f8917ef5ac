/** Bad input from the caller: a TypeError or RangeError whose message names the argument and the fix. */
export function typeError(message: string): TypeError {
  return tagged(new TypeError(message))
}
export function rangeError(message: string): RangeError {
  return tagged(new RangeError(message))
}

const INPUT_ERROR = Symbol.for('trainability.inputError')

function tagged<E extends Error>(error: E): E {
  Object.defineProperty(error, INPUT_ERROR, { value: true })
  return error
}

export function isInputError(error: unknown): error is Error {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[INPUT_ERROR] === true
}

/** Short, readable rendering of a value a user passed, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`
  if (Array.isArray(value)) return `an array of length ${value.length}`
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name
    return name && name !== 'Object' ? `a ${name}` : `an object with keys {${Object.keys(value).join(', ')}}`
  }
  return `${typeof value} ${JSON.stringify(value)}`
}
