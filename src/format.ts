/** A number as a person reads it in a test log: 4 significant digits, exponent outside [1e-3, 1e5). */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = value.toExponential(2).split('e')
    return `${String(Number(mantissa))}e${Number(exponent)}`
  }
  return String(Number(value.toPrecision(4)))
}

/** A learning rate to suggest: one significant digit, as people write rates (0.3, not 0.3333). */
export function fmtRate(value: number): string {
  return fmt(Number(value.toPrecision(1)))
}

const BARS = '▁▂▃▄▅▆▇█'

/** The loss curve in `width` characters, plus a word for its shape. */
export function sparkline(values: readonly number[], width = 20): string {
  if (values.length === 0) return '(no epochs)'
  const buckets: number[] = []
  const size = values.length / Math.min(width, values.length)
  for (let b = 0; b * size < values.length; b++) {
    const slice = values.slice(Math.floor(b * size), Math.max(Math.floor((b + 1) * size), Math.floor(b * size) + 1))
    buckets.push(slice.some((v) => !Number.isFinite(v)) ? Number.NaN : slice.reduce((s, v) => s + v, 0) / slice.length)
  }
  const finite = buckets.filter(Number.isFinite)
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  const bars = buckets
    .map((v) => (!Number.isFinite(v) ? '×' : hi - lo <= Math.abs(hi) * 1e-3 ? BARS[3]! : BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!))
    .join('')
  return `${bars} ${shape(values)}`
}

function shape(values: readonly number[]): string {
  if (values.some((v) => !Number.isFinite(v))) return 'diverged'
  const first = values[0]!
  const last = values[values.length - 1]!
  if (Math.abs(first - last) <= Math.abs(first) * 0.01) return 'flat'
  const rises = values.slice(1).filter((v, i) => v > values[i]!).length
  if (values.length > 4 && rises / (values.length - 1) >= 0.25) return last < first ? 'oscillating, falling' : 'oscillating'
  return last < first ? 'falling' : 'rising'
}

/** `1 epoch`, `5 epochs`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
