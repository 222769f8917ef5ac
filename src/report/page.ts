import type { CheckCurves } from '../types.js'
import { curvesSvg } from './curves-svg.js'
import { escapeXml as escape } from './escape.js'

const WIDTH = 380
const HEIGHT = 170

/** One check on the page: the doctor's checks and the reporter's assertions both become cards. */
export interface Card {
  /** The doctor's check name, or the test's full name. */
  title: string
  /** `toOverfitTinyDataset`, `.not.toOverfitTinyDataset`. */
  matcher: string
  pass: boolean
  message: string
  curves: CheckCurves
  /** Where it ran: `test/model.test.ts:12`. */
  where?: string
  /** A command that re-runs it with the same seed and backend. */
  replay?: string
}

export interface Page {
  /** `trainability doctor`, `trainability report`. */
  heading: string
  /** The browser tab's title. */
  documentTitle: string
  /** Facts for the summary line, joined by middle dots; `verdict` goes first, coloured by `pass`. */
  verdict: string
  pass: boolean
  facts: string[]
  cards: Card[]
}

/** A passing check's message reads as the failure of `.not` (`expected model not to X, but it did`); a page says `model did X`. */
export function passedMessage(message: string): string {
  return message.replace(/^expected model not to (.*), but it did/, 'model did $1')
}

/**
 * One self-contained HTML page (inline CSS and SVG, no external assets, readable offline): a summary line, an index of
 * the failures, and a card per check with its message and curves. The doctor's `--html` and `trainability/reporter`.
 */
export function reportPage(page: Page): string {
  const failures = page.cards.flatMap((card, i) => (card.pass ? [] : [`<li><a href="#check-${i + 1}">${escape(card.title)}</a> <span class="matcher">${escape(card.matcher)}</span></li>`]))
  const index = failures.length ? `<ol class="failures">\n${failures.join('\n')}\n</ol>\n` : ''
  const summary = [`<b class="${page.pass ? 'pass' : 'fail'}">${escape(page.verdict)}</b>`, ...page.facts.map(escape)].join(' &middot; ')
  const cards = page.cards.length ? page.cards.map(card).join('\n') : '<p class="empty">No trainability check ran.</p>'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(page.documentTitle)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2330; background: #f6f7f9; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .summary { margin: 0 0 1rem; color: #4a5262; }
  .summary b.fail { color: #b42318; } .summary b.pass { color: #067647; }
  .failures { margin: 0 0 1.5rem; padding-left: 1.4rem; } .failures a { color: #b42318; }
  .card { background: #fff; border: 1px solid #d9dde5; border-left: 6px solid #067647; border-radius: 6px; padding: .9rem 1.1rem; margin: 0 0 1rem; display: grid; grid-template-columns: minmax(0, 1fr) ${WIDTH}px; gap: 1rem; }
  .card.fail { border-left-color: #b42318; }
  .card h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
  .badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: .1rem .45rem; border-radius: 4px; color: #fff; background: #067647; margin-right: .5rem; vertical-align: 2px; }
  .fail .badge { background: #b42318; }
  .matcher, .where { color: #6b7385; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
  .where { margin: 0 0 .3rem; } .where code { color: #2b3140; }
  pre { margin: 0; white-space: pre-wrap; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; color: #2b3140; }
  svg { background: #fbfcfd; border: 1px solid #e3e6ec; border-radius: 4px; }
</style>
</head>
<body>
<h1>${escape(page.heading)}</h1>
<p class="summary">${summary}</p>
${index}${cards}
</body>
</html>
`
}

function card(c: Card, i: number): string {
  const status = c.pass ? 'pass' : 'fail'
  const where = [c.where && `<p class="where">${escape(c.where)}</p>`, c.replay && `<p class="where">replay: <code>${escape(c.replay)}</code></p>`].filter(Boolean)
  return `<section class="card ${status}" id="check-${i + 1}">
  <div>
    <h2><span class="badge">${status.toUpperCase()}</span>${escape(c.title)} <span class="matcher">${escape(c.matcher)}</span></h2>
    ${where.map((line) => `${line}\n    `).join('')}<pre>${escape(c.message)}</pre>
  </div>
  ${curvesSvg(c.curves, { width: WIDTH, height: HEIGHT })}
</section>`
}
