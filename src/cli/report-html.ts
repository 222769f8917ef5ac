import type { CheckOutcome } from './report-text.js'

const WIDTH = 360
const HEIGHT = 90

/** One self-contained HTML page (inline CSS and SVG, no external assets): a card per check with its loss curve. */
export function htmlReport(subject: string, outcomes: readonly CheckOutcome[], elapsedMs: number): string {
  const failed = outcomes.filter((o) => !o.result.pass).length
  const backend = outcomes[0]?.result.record.backend ?? 'none'
  const verdict = failed === 0 ? `all ${outcomes.length} checks passed` : `${failed} of ${outcomes.length} checks failed`
  const cards = outcomes.map(card).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>trainability doctor: ${escape(subject)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2330; background: #f6f7f9; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .summary { margin: 0 0 1.5rem; color: #4a5262; }
  .summary b.fail { color: #b42318; } .summary b.pass { color: #067647; }
  .card { background: #fff; border: 1px solid #d9dde5; border-left: 6px solid #067647; border-radius: 6px; padding: .9rem 1.1rem; margin: 0 0 1rem; display: grid; grid-template-columns: 1fr ${WIDTH}px; gap: 1rem; }
  .card.fail { border-left-color: #b42318; }
  .card h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
  .badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: .1rem .45rem; border-radius: 4px; color: #fff; background: #067647; margin-right: .5rem; vertical-align: 2px; }
  .fail .badge { background: #b42318; }
  .matcher { color: #6b7385; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
  pre { margin: 0; white-space: pre-wrap; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; color: #2b3140; }
  svg { background: #fbfcfd; border: 1px solid #e3e6ec; border-radius: 4px; }
  .axis { font: 10px ui-monospace, Menlo, Consolas, monospace; fill: #6b7385; }
</style>
</head>
<body>
<h1>trainability doctor</h1>
<p class="summary">${escape(subject)} &middot; <b class="${failed === 0 ? 'pass' : 'fail'}">${verdict}</b> &middot; backend ${escape(backend)} &middot; ${(elapsedMs / 1000).toFixed(1)} s</p>
${cards}
</body>
</html>
`
}

function card({ name, matcher, result }: CheckOutcome): string {
  const status = result.pass ? 'pass' : 'fail'
  const message = result.pass ? result.message.replace(/^expected model not to (.*), but it did/, 'model did $1') : result.message
  return `<section class="card ${status}">
  <div>
    <h2><span class="badge">${status.toUpperCase()}</span>${escape(name)} <span class="matcher">${escape(matcher)}</span></h2>
    <pre>${escape(message)}</pre>
  </div>
  ${lossCurve(result.record.losses)}
</section>`
}

/** The loss per epoch as an SVG polyline; non-finite epochs end the line and are marked. */
function lossCurve(losses: readonly number[]): string {
  const finite = losses.filter(Number.isFinite)
  const pad = { left: 44, right: 8, top: 8, bottom: 18 }
  const w = WIDTH - pad.left - pad.right
  const h = HEIGHT - pad.top - pad.bottom
  const lo = finite.length ? Math.min(...finite) : 0
  const hi = finite.length ? Math.max(...finite) : 1
  const span = hi - lo || Math.abs(hi) || 1
  const x = (i: number): number => pad.left + (losses.length > 1 ? (i / (losses.length - 1)) * w : w / 2)
  const y = (v: number): number => pad.top + (hi === lo ? h / 2 : (1 - (v - lo) / span) * h)
  const points = losses.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : [])).join(' ')
  const firstBad = losses.findIndex((v) => !Number.isFinite(v))
  const dot = finite.length === 1 ? `<circle cx="${x(losses.indexOf(finite[0]!)).toFixed(1)}" cy="${y(finite[0]!).toFixed(1)}" r="3" fill="#2f6fde"/>` : ''
  const marker = firstBad >= 0 ? `<text x="${x(firstBad).toFixed(1)}" y="${pad.top + 10}" fill="#b42318" class="axis" text-anchor="end">${escape(String(losses[firstBad]))}</text>` : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="loss per epoch">
    <line x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#c5cad3"/>
    <line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + h}" stroke="#c5cad3"/>
    <text class="axis" x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end">${label(hi)}</text>
    <text class="axis" x="${pad.left - 4}" y="${pad.top + h}" text-anchor="end">${label(lo)}</text>
    <text class="axis" x="${pad.left}" y="${HEIGHT - 4}">epoch 1</text>
    <text class="axis" x="${pad.left + w}" y="${HEIGHT - 4}" text-anchor="end">${losses.length}</text>
    <polyline fill="none" stroke="#2f6fde" stroke-width="2" points="${points}"/>
    ${dot}${marker}
  </svg>`
}

function label(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value)
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
