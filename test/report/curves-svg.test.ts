import { describe, expect, it } from 'vitest'
import { curvesSvg } from '../../src/report/curves-svg.js'

/** The attributes of every element named `tag` (optionally of `className`), parsed from the SVG text. */
function elements(svg: string, tag: string, className?: string): Record<string, string>[] {
  const found = [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
  return className === undefined ? found : found.filter((e) => e.class === className)
}

function yTicks(svg: string): { value: number; y: number }[] {
  return elements(svg, 'text', 'tick y').map((t) => ({ value: Number(t['data-value']), y: Number(t.y) }))
}

/** Where `value` falls between the first and last y tick, interpolated on the axis' own scale. */
function expectedY(svg: string, value: number, log: boolean): number {
  const ticks = yTicks(svg)
  const a = ticks[0]!
  const b = ticks[ticks.length - 1]!
  const t = log ? (Math.log10(value) - Math.log10(a.value)) / (Math.log10(b.value) - Math.log10(a.value)) : (value - a.value) / (b.value - a.value)
  return a.y + t * (b.y - a.y)
}

describe('curvesSvg', () => {
  it('draws a linear axis with round ticks covering a loss that spans less than two decades', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [0.9, 0.6, 0.45, 0.3] }] })
    expect(svg).toContain('data-scale="linear"')
    const ticks = yTicks(svg)
    expect(ticks.length).toBeGreaterThanOrEqual(3)
    expect(ticks[0]!.value).toBeLessThanOrEqual(0.3)
    expect(ticks[ticks.length - 1]!.value).toBeGreaterThanOrEqual(0.9)
    // Equal steps in value are equal steps on screen, and higher values are drawn higher (smaller y).
    const dy = ticks.slice(1).map((t, i) => t.y - ticks[i]!.y)
    for (const d of dy) expect(d).toBeCloseTo(dy[0]!, 0)
    expect(dy[0]!).toBeLessThan(0)
    expect(elements(svg, 'text', 'tick x').map((t) => t['data-value'])).toEqual(['1', '2', '3', '4'])
  })

  it('switches to a log axis with one tick per decade when the loss spans more than two decades', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [2.3, 0.5, 0.05, 0.004] }] })
    expect(svg).toContain('data-scale="log"')
    expect(yTicks(svg).map((t) => t.value)).toEqual([0.01, 0.1, 1])
    expect(svg).toContain('log scale')
  })

  it('labels a diverging loss that spans 34 decades with about six ticks, far decades as 1eN', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [7.6, 40, 3e5, 2e17, 1e34, Infinity] }] })
    const ticks = elements(svg, 'text', 'tick y')
    expect(ticks.map((t) => Number(t['data-value']))).toEqual([1e6, 1e12, 1e18, 1e24, 1e30])
    expect([...svg.matchAll(/class="tick y"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['1e6', '1e12', '1e18', '1e24', '1e30'])
    const small = curvesSvg({ curves: [{ label: 'loss', losses: [0.7, 2e-6] }] })
    expect(elements(small, 'text', 'tick y').map((t) => t['data-value'])).toEqual(['0.00001', '0.0001', '0.001', '0.01', '0.1'])
    expect(small).toMatch(/>1e-5<\/text>/)
    expect(small).toMatch(/>0\.001<\/text>/)
  })

  it("draws a share's goal (an accuracy target) on the shares' right axis, and keeps it off the loss axis' range", () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [2.4, 2.0, 1.5] }, { label: 'accuracy', losses: [0.5, 0.6, 0.7], unit: 'share' }], goal: { label: 'accuracy ≥ 80%', value: 0.8, unit: 'share' } })
    const right = (v: number): number => Number(svg.match(new RegExp(`class="tick y right"[^>]* y="([^"]+)"[^>]*data-value="${v}"`))![1])
    const goalY = Number(svg.match(/<line class="goal"[^>]*y1="([^"]+)"/)![1])
    expect(goalY).toBeCloseTo(right(0) + (right(1) - right(0)) * 0.8, 0)
    // The left (loss) ticks fit 1.5–2.4 alone: a goal of 0.8 in the loss's unit would have pulled them down to 0.5.
    expect(Math.min(...[...svg.matchAll(/class="tick y" [^>]*data-value="([^"]+)"/g)].map((m) => Number(m[1])))).toBeGreaterThan(1)
  })

  it('stays linear at exactly two decades, and when a value is not positive', () => {
    expect(curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.01] }] })).toContain('data-scale="linear"')
    expect(curvesSvg({ curves: [{ label: 'loss', losses: [1000, 0, 1] }] })).toContain('data-scale="linear"')
  })

  it.each([
    ['linear', [0.9, 0.5, 0.2], 0.25, false],
    ['log', [3, 0.3, 0.004], 0.01, true],
  ] as const)('puts the goal line at the height of its value on a %s axis', (_, losses, goal, log) => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses }], goal: { label: `loss < ${goal}`, value: goal } })
    const [line] = elements(svg, 'line', 'goal')
    expect(line!.y1).toBe(line!.y2)
    expect(Number(line!.y1)).toBeCloseTo(expectedY(svg, goal, log), 0)
    expect(svg).toContain(`>loss &lt; ${goal}</text>`)
  })

  it('takes the goal into the axis range when every loss is above it', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [0.9, 0.8] }], goal: { label: 'goal', value: 0.1 } })
    expect(yTicks(svg)[0]!.value).toBeLessThanOrEqual(0.1)
  })

  it('writes the decided epoch inside the plot: leftwards of a line in its right half, rightwards in its left half', () => {
    const last = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.8, 0.6, 0.4, 0.2, 0.1] }], decidedEpoch: 6 })
    expect(last).toMatch(/<text class="decided-label"[^>]*dx="-3" text-anchor="end">decided at epoch 6</)
    const early = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.8, 0.6, 0.4, 0.2, 0.1] }], decidedEpoch: 2 })
    expect(early).toMatch(/<text class="decided-label"[^>]*dx="3">decided at epoch 2</)
  })

  it('marks the decided epoch at its x position', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.8, 0.6, 0.4, 0.2, 0.1] }], decidedEpoch: 4 })
    const [line] = elements(svg, 'line', 'decided')
    const x = Object.fromEntries(elements(svg, 'text', 'tick x').map((t) => [t['data-value'], Number(t.x)]))
    const perEpoch = (x['6']! - x['1']!) / 5
    expect(Number(line!.x1)).toBeCloseTo(x['1']! + 3 * perEpoch, 0)
    expect(svg).toContain('decided at epoch 4')
  })

  it('breaks the line at non-finite values and marks each one', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.5, Number.NaN, 0.7, 0.6, Number.POSITIVE_INFINITY] }] })
    expect(elements(svg, 'polyline')).toHaveLength(2)
    expect(elements(svg, 'polyline').map((p) => p.points!.split(' ').length)).toEqual([2, 2])
    expect(elements(svg, 'g', 'nonfinite').map((g) => g['data-epoch'])).toEqual(['3', '6'])
    expect(svg).toContain('loss at epoch 3: NaN')
    expect(svg).toContain('loss at epoch 6: Infinity')
    expect(svg).not.toMatch(/NaN"|Infinity"/) // no non-finite coordinate reaches an attribute
  })

  it('draws a curve with no finite value as marks only, with a usable axis', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [Number.NaN] }] })
    expect(elements(svg, 'polyline')).toHaveLength(0)
    expect(yTicks(svg).length).toBeGreaterThan(1)
    expect(svg).not.toContain('="NaN"')
  })

  it('adds a legend for several curves, and none for one', () => {
    const two = curvesSvg({ curves: [{ label: 'training', losses: [1, 0.5], start: 0 }, { label: 'validation', losses: [1, 0.9], start: 0 }] })
    expect(elements(two, 'g', 'legend')).toHaveLength(2)
    // The legend adds rows below the plot instead of shrinking it.
    const one = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.5] }] })
    expect(Number(elements(two, 'svg')[0]!.height)).toBeGreaterThan(Number(elements(one, 'svg')[0]!.height))
    expect(elements(two, 'rect')[0]!.height).toBe(elements(one, 'rect')[0]!.height)
    expect(elements(two, 'text', 'tick x').map((t) => t['data-value'])).toEqual(['0', '1'])
    expect(elements(curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.5] }] }), 'g', 'legend')).toHaveLength(0)
  })

  it('escapes every text it is given', () => {
    const svg = curvesSvg({ curves: [{ label: '<b>"a" & \'b\'', losses: [1, 0.5] }, { label: 'x', losses: [1] }], goal: { label: 'gap < 0.1 & <script>', value: 0.7 } })
    expect(svg).not.toContain('<b>')
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;')
    expect(svg).toContain('gap &lt; 0.1 &amp; &lt;script&gt;')
  })

  describe('a long curve', () => {
    // 5000 epochs of a gently falling loss, one epoch that jumps to 3 and one NaN: what a pixel column must not hide.
    const n = 5000
    const spike = 2500
    const nan = 3700
    const losses = Array.from({ length: n }, (_, i) => (i === spike ? 3 : i === nan ? Number.NaN : 0.5 + 0.1 * Math.cos(i / 40) - i / 2e4))
    const thinned = curvesSvg({ curves: [{ label: 'loss', losses }] })
    const points = (svg: string): { x: number; y: number }[] =>
      elements(svg, 'polyline').flatMap((p) => p.points!.split(' ').map((xy) => { const [x, y] = xy.split(',').map(Number); return { x: x!, y: y! } }))
    const plotWidth = (svg: string): number => Number(elements(svg, 'rect')[0]!.width)

    it('draws at most about two points per pixel column of the plot, in epoch order', () => {
      const drawn = points(thinned)
      // One column either side of the plot's edges, and the NaN's column split in two by its break.
      expect(drawn.length).toBeLessThanOrEqual(2 * (plotWidth(thinned) + 2))
      expect(drawn.length).toBeGreaterThan(plotWidth(thinned)) // thinned, not sampled to a handful
      const columns = new Map<number, number>()
      for (const p of drawn) columns.set(Math.floor(p.x), (columns.get(Math.floor(p.x)) ?? 0) + 1)
      expect(Math.max(...columns.values())).toBeLessThanOrEqual(4)
      for (const line of elements(thinned, 'polyline')) {
        const xs = line.points!.split(' ').map((xy) => Number(xy.split(',')[0]))
        expect(xs).toStrictEqual([...xs].sort((a, b) => a - b))
      }
    })

    it('keeps the one-epoch spike at its height and the lowest value of the run', () => {
      const ys = points(thinned).map((p) => p.y)
      expect(Math.min(...ys)).toBeCloseTo(expectedY(thinned, 3, false), 0)
      const lowest = Math.min(...losses.filter(Number.isFinite))
      expect(Math.max(...ys)).toBeCloseTo(expectedY(thinned, lowest, false), 0)
    })

    it('keeps the NaN mark where its epoch is, breaking the line there', () => {
      const marks = elements(thinned, 'g', 'nonfinite')
      expect(marks.map((g) => g['data-epoch'])).toStrictEqual([String(nan + 1)])
      const x = Object.fromEntries(elements(thinned, 'text', 'tick x').map((t) => [t['data-value'], Number(t.x)]))
      const at = x['1']! + (nan / (n - 1)) * (x[String(n)]! - x['1']!)
      const mark = /class="nonfinite" data-epoch="3701"><path d="M([\d.]+),/.exec(thinned)
      expect(Number(mark![1]) + 3).toBeCloseTo(at, 0)
      expect(elements(thinned, 'polyline')).toHaveLength(2)
      expect(thinned).toContain('loss at epoch 3701: NaN')
    })

    it('is several times smaller than the same curve drawn one point per epoch', () => {
      // A plot as wide as the curve is long has one epoch per column, so nothing is thinned.
      const full = curvesSvg({ curves: [{ label: 'loss', losses }] }, { width: n + 100 })
      expect(points(full)).toHaveLength(n - 1)
      expect(thinned.length * 5).toBeLessThan(full.length)
    })
  })

  describe('a share beside a loss', () => {
    const picture = {
      curves: [
        { label: 'loss', losses: [2.4, 1.9, 1.6, 1.5] },
        { label: 'accuracy', losses: [0.78, 0.78, 0.81, 0.84], unit: 'share' as const },
      ],
    }
    const svg = curvesSvg(picture)
    const right = elements(svg, 'text', 'tick y right').map((t) => ({ value: Number(t['data-value']), y: Number(t.y), text: t }))

    it('reads the share on its own 0–1 axis on the right, the loss on its own range on the left', () => {
      expect(right.map((t) => t.value)).toStrictEqual([0, 0.5, 1])
      expect(svg).toMatch(/class="tick y right"[^>]*data-value="0\.5">50%<\/text>/)
      const left = yTicks(svg).map((t) => t.value)
      expect(left[0]!).toBeGreaterThan(1) // not stretched down to the accuracy's range
      expect(left[0]!).toBeLessThanOrEqual(1.5)
      expect(left[left.length - 1]!).toBeGreaterThanOrEqual(2.4)
      expect(left[left.length - 1]!).toBeLessThan(3)
      expect(svg).toContain('data-scale-right="share"')
    })

    it('draws each curve against its own axis', () => {
      const [loss, accuracy] = elements(svg, 'polyline').map((p) => p.points!.split(' ').map((xy) => Number(xy.split(',')[1])))
      expect(loss![0]).toBeCloseTo(expectedY(svg, 2.4, false), 0)
      const [bottom, top] = [right[0]!, right[right.length - 1]!]
      expect(accuracy![3]).toBeCloseTo(bottom.y + 0.84 * (top.y - bottom.y), 0)
      expect(svg).toContain('>accuracy (right axis)</text>')
    })

    it('keeps a single axis, 0–1, for shares drawn alone, and for losses alone', () => {
      const alone = curvesSvg({ curves: [{ label: 'accuracy', losses: [0.78, 0.8], unit: 'share' }] })
      expect(yTicks(alone).map((t) => t.value)).toStrictEqual([0, 0.5, 1])
      expect(elements(alone, 'text', 'tick y right')).toHaveLength(0)
      expect(elements(curvesSvg({ curves: picture.curves.slice(0, 1) }), 'text', 'tick y right')).toHaveLength(0)
    })
  })

  it('is self-contained: no external reference', () => {
    const svg = curvesSvg({ curves: [{ label: 'loss', losses: [1, 0.5] }] })
    expect(svg).not.toMatch(/href|url\(|<image|<script/)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
  })
})
