import { curvesSvg } from '../report/curves-svg.js'
import { escapeXml as escape } from '../report/escape.js'
import type { CheckOutcome } from './report-text.js'

const WIDTH = 380
const HEIGHT = 170

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
  ${curvesSvg(result.curves ?? { curves: [{ label: 'loss', losses: result.record.losses }] }, { width: WIDTH, height: HEIGHT })}
</section>`
}
