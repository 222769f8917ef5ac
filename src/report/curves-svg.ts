import type { CheckCurves, CurveData as Curve } from '../types.js'
import { escapeXml } from './escape.js'

export interface SvgSize {
  width?: number
  /** Height of the plot with its axes; a legend adds a row per curve below. */
  height?: number
}

// Beyond 100× between the lowest and highest finite value, everything under 1% of the top shares the bottom pixel of a
// ~100 px linear plot, which flattens exactly the late epochs where a check decides; a log axis gives each decade equal room.
const LOG_SPAN = 100
const COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#1098ad', '#5c940d', '#495057']
const PAD = { left: 52, right: 10, top: 10, bottom: 30 }
// Room for a right axis' tick labels ("100%") when a curve in another unit than the loss gets one.
const RIGHT_AXIS = 34
const LEGEND_ROW = 14

/**
 * A self-contained SVG (no external assets) of one or more curves: axes with tick values, a log y axis when the finite
 * values span more than two decades, non-finite values as breaks in the line marked with a red ×, the goal line, the
 * decided epoch, and a legend when there is more than one curve. A curve whose `unit` is `'share'` (accuracy) is read
 * against its own 0–1 axis on the right, so a loss and a metric never share a scale. A long curve is thinned to the
 * plot's pixel columns (see `curvePath`).
 *
 * @example
 * curvesSvg({ curves: [{ label: 'loss', losses: record.losses }], goal: { label: 'loss < 0.01', value: 0.01 } })
 */
export function curvesSvg(picture: CheckCurves, size: SvgSize = {}): string {
  const width = size.width ?? 420
  const legendRows = picture.curves.length > 1 ? picture.curves.length : 0
  const height = size.height ?? 160
  const losses = picture.curves.filter((c) => c.unit === undefined)
  const shares = picture.curves.filter((c) => c.unit === 'share')
  const values = losses.flatMap((c) => c.losses.filter(Number.isFinite))
  const goal = picture.goal && Number.isFinite(picture.goal.value) ? picture.goal : undefined
  if (goal && goal.unit === undefined) values.push(goal.value)
  const shareValues = shares.flatMap((c) => c.losses.filter(Number.isFinite))
  if (goal?.unit === 'share') shareValues.push(goal.value)
  // Shares take the left axis only when nothing in the loss's unit is drawn; beside a loss they get the right one.
  const sharesLeft = values.length === 0 && losses.length === 0 && (shares.length > 0 || goal?.unit === 'share')
  const yAxis = sharesLeft ? shareAxis(shareValues) : axis(values)
  const rightAxis = (shares.length > 0 || goal?.unit === 'share') && !sharesLeft ? shareAxis(shareValues) : undefined
  const plot = { x: PAD.left, y: PAD.top, w: width - PAD.left - PAD.right - (rightAxis ? RIGHT_AXIS : 0), h: height - PAD.top - PAD.bottom }
  // The legend adds rows below the plot rather than squeezing it: five seeds keep the plot as tall as one curve's.
  const fullHeight = height + legendRows * LEGEND_ROW
  const epochs = picture.curves.flatMap((c) => c.losses.length ? [start(c), start(c) + c.losses.length - 1] : [])
  if (picture.decidedEpoch !== undefined) epochs.push(picture.decidedEpoch)
  const first = epochs.length ? Math.min(...epochs) : 1
  const last = epochs.length ? Math.max(...epochs) : 1
  const px = (epoch: number): number => plot.x + (last === first ? plot.w / 2 : ((epoch - first) / (last - first)) * plot.w)
  const py = (value: number): number => plot.y + (1 - yAxis.position(value)) * plot.h
  const pyRight = (value: number): number => plot.y + (1 - rightAxis!.position(value)) * plot.h
  const parts: string[] = []
  parts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="#fbfcfd" stroke="#c5cad3"/>`)
  for (const tick of yAxis.ticks) {
    const y = f(py(tick))
    parts.push(`<line x1="${plot.x - 3}" y1="${y}" x2="${plot.x + plot.w}" y2="${y}" stroke="#e3e6ec"/>`)
    parts.push(`<text class="tick y" x="${plot.x - 5}" y="${y}" dy="3" text-anchor="end" data-value="${tick}">${escapeXml(label(tick, yAxis))}</text>`)
  }
  for (const tick of rightAxis?.ticks ?? []) {
    const y = f(pyRight(tick))
    const edge = plot.x + plot.w
    parts.push(`<line x1="${edge}" y1="${y}" x2="${edge + 3}" y2="${y}" stroke="#c5cad3"/>`)
    parts.push(`<text class="tick y right" x="${edge + 5}" y="${y}" dy="3" text-anchor="start" data-value="${tick}">${escapeXml(label(tick, rightAxis!))}</text>`)
  }
  for (const epoch of epochTicks(first, last)) {
    const x = f(px(epoch))
    parts.push(`<line x1="${x}" y1="${plot.y + plot.h}" x2="${x}" y2="${plot.y + plot.h + 3}" stroke="#c5cad3"/>`)
    parts.push(`<text class="tick x" x="${x}" y="${plot.y + plot.h + 13}" text-anchor="middle" data-value="${epoch}">${epoch}</text>`)
  }
  parts.push(`<text class="axis-title" x="${plot.x + plot.w}" y="${plot.y + plot.h + 25}" text-anchor="end">epoch${yAxis.log ? ' (loss on a log scale)' : ''}</text>`)
  if (goal) {
    // A share's goal (an accuracy target) is read on the shares' axis, the right one beside a loss.
    const y = f((goal.unit === 'share' && rightAxis ? pyRight : py)(goal.value))
    parts.push(`<line class="goal" x1="${plot.x}" y1="${y}" x2="${plot.x + plot.w}" y2="${y}" stroke="#067647" stroke-dasharray="5 3" data-value="${goal.value}"/>`)
    parts.push(`<text class="goal-label" x="${plot.x + plot.w - 3}" y="${y}" dy="-3" text-anchor="end" fill="#067647">${escapeXml(goal.label)}</text>`)
  }
  if (picture.decidedEpoch !== undefined) {
    const x = f(px(picture.decidedEpoch))
    parts.push(`<line class="decided" x1="${x}" y1="${plot.y}" x2="${x}" y2="${plot.y + plot.h}" stroke="#6b7385" stroke-dasharray="2 3" data-epoch="${picture.decidedEpoch}"/>`)
    // Most checks decide at their last epoch, on the plot's right edge: the label then reads leftwards, inside the plot.
    const side = Number(x) > plot.x + plot.w / 2 ? 'dx="-3" text-anchor="end"' : 'dx="3"'
    parts.push(`<text class="decided-label" x="${x}" y="${plot.y + 9}" ${side}>decided at epoch ${picture.decidedEpoch}</text>`)
  }
  picture.curves.forEach((curve, i) => parts.push(curvePath(curve, COLORS[i % COLORS.length]!, px, curve.unit && rightAxis ? pyRight : py, plot.y)))
  if (legendRows) {
    picture.curves.forEach((curve, i) => {
      const y = plot.y + plot.h + 38 + i * LEGEND_ROW
      parts.push(`<g class="legend"><line x1="${plot.x}" y1="${y - 4}" x2="${plot.x + 16}" y2="${y - 4}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/><text x="${plot.x + 20}" y="${y}">${escapeXml(curve.label + (curve.unit && rightAxis ? ' (right axis)' : ''))}</text></g>`)
    })
  }
  const name = picture.curves.map((c) => c.label).join(', ') || 'no curve'
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${fullHeight}" viewBox="0 0 ${width} ${fullHeight}" role="img" aria-label="${escapeXml(`${name} per epoch`)}" data-scale="${yAxis.log ? 'log' : 'linear'}"${rightAxis ? ' data-scale-right="share"' : ''}>
<style>text { font: 10px ui-monospace, Menlo, Consolas, monospace; fill: #4a5262; } .axis-title { fill: #6b7385; }</style>
${parts.join('\n')}
</svg>`
}

function start(curve: Curve): number {
  return curve.start ?? 1
}

interface Point {
  x: number
  y: number
}

/**
 * The finite runs of a curve as polylines (a single point as a dot); each non-finite value a red × with its value.
 *
 * A run is thinned to the plot's pixel columns: `px` spreads the epochs over the plot's width, so one column of
 * 1 px holds (last − first) / width epochs, and of those only the lowest and highest point are kept, in epoch order
 * (at most 2 points per pixel, whatever the epoch count). Min and max, not a mean or every k-th epoch: a column shows
 * a line as one vertical stroke from its lowest to its highest value, so its extremes draw the same pixels, while a
 * mean or a stride would erase a one-epoch spike or jump. A non-finite value ends a run, so its mark and the break it
 * makes are never thinned away.
 */
function curvePath(curve: Curve, color: string, px: (e: number) => number, py: (v: number) => number, top: number): string {
  const out: string[] = []
  let run: string[] = []
  let column: Point[] = []
  const closeColumn = (): void => {
    run.push(...extremes(column).map((p) => `${f(p.x)},${f(p.y)}`))
    column = []
  }
  const flush = (): void => {
    closeColumn()
    if (run.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${run.join(' ')}"/>`)
    else if (run.length === 1) { const [x, y] = run[0]!.split(','); out.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${color}"/>`) }
    run = []
  }
  curve.losses.forEach((v, i) => {
    const x = px(start(curve) + i)
    if (Number.isFinite(v)) {
      if (column.length > 0 && Math.floor(column[0]!.x) !== Math.floor(x)) closeColumn()
      column.push({ x, y: py(v) })
      return
    }
    flush()
    out.push(`<g class="nonfinite" data-epoch="${start(curve) + i}"><path d="M${f(x - 3)},${top + 3}l6,6m0,-6l-6,6" stroke="#b42318" stroke-width="1.5"/><title>${escapeXml(`${curve.label} at epoch ${start(curve) + i}: ${String(v)}`)}</title></g>`)
  })
  flush()
  return `<g class="curve" data-label="${escapeXml(curve.label)}">${out.join('')}</g>`
}

/** A pixel column's lowest and highest point in epoch order; all of them when it holds two or fewer. */
function extremes(points: readonly Point[]): Point[] {
  if (points.length <= 2) return [...points]
  let low = 0
  let high = 0
  points.forEach((p, i) => {
    if (p.y < points[low]!.y) low = i
    if (p.y > points[high]!.y) high = i
  })
  if (low === high) return [points[low]!]
  return low < high ? [points[low]!, points[high]!] : [points[high]!, points[low]!]
}

interface Axis {
  log: boolean
  /** Ticks read as percentages: the axis of a `'share'` curve. */
  share?: boolean
  ticks: number[]
  /** Where a value sits on the axis, 0 at the bottom and 1 at the top. */
  position(value: number): number
}

function axis(values: readonly number[]): Axis {
  if (values.length === 0) return linear(0, 1)
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  if (lo > 0 && hi / lo > LOG_SPAN) {
    const a = Math.log10(lo)
    const b = Math.log10(hi)
    // A tick every decade, or every few when a diverging loss spans dozens (1 to 1e34): about six labels fit the height.
    const every = Math.max(1, Math.ceil((Math.floor(b) - Math.ceil(a)) / 6))
    const ticks: number[] = []
    for (let k = Math.ceil(a / every) * every; k <= Math.floor(b); k += every) ticks.push(Number(`1e${k}`))
    return { log: true, ticks, position: (v) => (Math.log10(v) - a) / (b - a) }
  }
  return linear(lo, hi)
}

/** The axis of `'share'` curves: the whole of [0, 1], so an accuracy of 0.8 sits at 80% of the height whatever the run. */
function shareAxis(values: readonly number[]): Axis {
  // A value outside [0, 1] is not a share, but it must still land inside the plot.
  return { ...linear(Math.min(0, ...values), Math.max(1, ...values)), share: true }
}

/** A linear axis over [lo, hi] widened to round ticks of 1, 2 or 5 × 10^k (about five of them). */
function linear(lo: number, hi: number): Axis {
  if (lo === hi) {
    const pad = Math.abs(lo) / 2 || 1
    return linear(lo - pad, hi + pad)
  }
  const raw = (hi - lo) / 4
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude
  const bottom = Math.floor(lo / step) * step
  const top = Math.ceil(hi / step) * step
  const ticks: number[] = []
  for (let t = bottom; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)))
  return { log: false, ticks, position: (v) => (v - bottom) / (top - bottom) }
}

/** Whole epochs from first to last, about six of them, always including both ends. */
function epochTicks(first: number, last: number): number[] {
  const span = last - first
  if (span <= 0) return [first]
  const step = Math.max(1, Math.ceil(span / 6))
  const ticks: number[] = []
  for (let e = first; e < last; e += step) ticks.push(e)
  if (last - ticks[ticks.length - 1]! < step / 2 && ticks.length > 1) ticks.pop()
  ticks.push(last)
  return ticks
}

function label(value: number, on: Axis): string {
  // A decade far from 1 as `1e-6`: `0.000001` would not fit the left margin.
  if (on.log && (value < 1e-3 || value >= 1e4)) return `1e${Math.round(Math.log10(value))}`
  return on.share ? `${Number((value * 100).toPrecision(3))}%` : String(Number(value.toPrecision(3)))
}

function f(n: number): string {
  return n.toFixed(1)
}
