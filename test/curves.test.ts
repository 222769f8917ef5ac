import { execFile } from 'node:child_process'
import { gunzipSync } from 'node:zlib'
import { parse } from 'flatted'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumPresent, expectNotBlank, screenshot, skipNotice } from './chromium.js'

// A small user suite (test/curves/suite/) run by vitest in a child process: a failing assertion attaches its curves as
// an SVG annotation, where `vitest --ui`, the HTML reporter and the default reporter show it.

const scratch = mkdtempSync(join(tmpdir(), 'trainability-curves-'))
let runs = 0

interface Attachment { contentType?: string; body?: string }
interface Reported { name: string; state: string; annotations: { type: string; message: string; attachment?: Attachment }[]; meta: { trainability?: unknown[] } }
interface Run { out: string; tests: Map<string, Reported>; output: string; junit: string; html: Map<string, Reported>; page?: string }

/** Runs the suite with the reporters of test/curves/vitest.config.ts, each writing into a fresh directory. */
function run(env: Record<string, string>): Promise<Run> {
  const out = join(scratch, `run-${++runs}`)
  mkdirSync(out)
  return new Promise((resolve, reject) => {
    execFile('npx', ['vitest', 'run', '--config', 'test/curves/vitest.config.ts'], { env: { ...process.env, ...env, CI: 'true', CURVES_OUT: out } }, (error, stdout, stderr) => {
      try {
        const tests: Reported[] = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'))
        resolve({
          out,
          tests: new Map(tests.map((t) => [t.name.split(':')[0]!, t])),
          output: (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, ''),
          junit: readFileSync(join(out, 'junit.xml'), 'utf8'),
          html: htmlReporterTests(join(out, 'html', 'html.meta.json.gz')),
          ...(env.CURVES_PAGE !== '0' && { page: readFileSync(join(out, 'trainability-report.html'), 'utf8') }),
        })
      } catch {
        reject(new Error(`vitest wrote no report (exit ${error?.code ?? 0}):\n${stdout}\n${stderr}`))
      }
    })
  })
}

interface HtmlTask { name: string; tasks?: HtmlTask[]; result?: { state: string }; annotations?: Reported['annotations'] }

/** The tests as vitest's HTML reporter (@vitest/ui) stores them for its page: gzipped, in flatted's JSON. */
function htmlReporterTests(path: string): Map<string, Reported> {
  const meta = parse(gunzipSync(readFileSync(path)).toString('utf8')) as { files: HtmlTask[] }
  const leaves = (t: HtmlTask): HtmlTask[] => (t.tasks ? t.tasks.flatMap(leaves) : [t])
  return new Map(meta.files.flatMap(leaves).map((t) => [t.name.split(':')[0]!, { name: t.name, state: t.result?.state ?? '', annotations: t.annotations ?? [], meta: {} }]))
}

const svgOf = (a: Attachment | undefined): string => Buffer.from(a?.body ?? '', 'base64').toString('utf8')

// The default run serves the annotation test and the page test.
let plain: Promise<Run> | undefined
const plainRun = (): Promise<Run> => (plain ??= run({}))

describe('vitest annotations', () => {
  it('attach the curves of a failing assertion as an SVG, and nothing to a passing one by default', async () => {
    const { tests, output, junit, html } = await plainRun()
    const failed = tests.get('fails')!
    expect(failed.state).toBe('failed')
    expect(failed.annotations).toHaveLength(1)
    const [note] = failed.annotations
    expect(note!.type).toBe('trainability curves')
    expect(note!.message).toBe('toOverfitTinyDataset: loss per epoch, goal loss < 0.05')
    expect(note!.attachment!.contentType).toBe('image/svg+xml')
    const svg = svgOf(note!.attachment)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(svg).toContain('data-value="0.05"') // the goal line
    expect(svg).toContain('decided at epoch 20')
    for (const name of ['passes', 'passes under .not']) {
      expect(tests.get(name)!.state).toBe('passed')
      expect(tests.get(name)!.annotations).toStrictEqual([])
    }
    // The default reporter says where the picture is: the annotation under the failure, at the test's line.
    expect(output).toMatch(/overfit\.curves\.ts:\d+:\d+ trainability curves/)
    // vitest's HTML reporter stores the same attachment for its page (what `vitest --ui` shows), on the failing test only.
    expect(html.get('fails')!.annotations.map((a) => [a.type, a.attachment?.contentType])).toStrictEqual([['trainability curves', 'image/svg+xml']])
    expect(svgOf(html.get('fails')!.annotations[0]!.attachment)).toBe(svg)
    expect(html.get('passes')!.annotations).toStrictEqual([])
    // vitest's own junit output carries it too, as a property of the failing test case only.
    expect(junit.match(/<property name="trainability curves" value="toOverfitTinyDataset: loss per epoch, goal loss &lt; 0\.05">/g)).toHaveLength(1)
  })

  it('attach to passing assertions too with TRAINABILITY_CURVES=always, and to none with never', async () => {
    const always = await run({ TRAINABILITY_CURVES: 'always' })
    for (const name of ['fails', 'passes', 'passes under .not']) {
      expect(always.tests.get(name)!.annotations.map((a) => a.type), name).toStrictEqual(['trainability curves'])
    }
    expect(svgOf(always.tests.get('passes')!.annotations[0]!.attachment)).toContain('<polyline')
    const never = await run({ TRAINABILITY_CURVES: 'never', CURVES_PAGE: '0' })
    expect(never.tests.get('fails')!.state).toBe('failed')
    for (const t of never.tests.values()) expect(t.annotations).toStrictEqual([])
    // Without trainability/reporter nothing is recorded for it either: a suite pays only for what it asked.
    for (const t of never.tests.values()) expect(t.meta).toStrictEqual({})
  })
})

describe('trainability/reporter under vitest', () => {
  it('writes one self-contained page: each assertion with its test, verdict, replay command, message and curves', async () => {
    const { page, output, tests } = await plainRun()
    expect(output).toMatch(/trainability report: \S*trainability-report\.html \(3 assertions, 1 failed\)/)
    expect(tests.get('fails')!.meta.trainability).toHaveLength(1)
    expect(page).toContain('1 of 3 trainability assertions failed')
    const cards = page!.split('<section class="card ').slice(1)
    expect(cards.map((c) => c.slice(0, 4))).toStrictEqual(['fail', 'pass', 'pass'])
    const [failed, passed, negated] = cards as [string, string, string]
    expect(failed).toContain('fails: the slow logistic model does not overfit <span class="matcher">toOverfitTinyDataset</span>')
    // The line: vitest records test locations here because the html reporter turns includeTaskLocation on.
    expect(failed).toContain('<p class="where">test/curves/suite/overfit.curves.ts:4</p>')
    expect(failed).toMatch(/replay: <code>TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=(tensorflow|cpu) npx vitest run test\/curves\/suite\/overfit\.curves\.ts -t &#39;fails: the slow logistic model does not overfit&#39;<\/code>/)
    expect(failed).toContain('1. C6 learning rate too low') // the ranked causes
    expect(failed).not.toContain('\nreplay: ') // the card's command replaces the message's replay line
    expect(failed).toMatch(/class="goal"[^>]*data-value="0\.05"/)
    expect(failed).toContain('decided at epoch 20')
    expect(passed).toContain('model did overfit 2 samples')
    expect(negated).toContain('<span class="matcher">.not.toOverfitTinyDataset</span>')
    expect(negated).toContain('-t &#39;passes under \\.not: the slow model does not overfit&#39;') // -t is a regular expression
    expect(page).not.toMatch(/<(link|script|img)\b|\b(src|href)="(https?:|\/\/)/) // readable offline
  })
})

skipNotice('the vitest attachment and the trainability/reporter page')

describe.skipIf(!chromiumPresent)('in a browser', () => {
  it('the attached SVG and the reporter page render to PNGs that are not blank', async () => {
    const { out, tests } = await plainRun()
    const svg = join(out, 'attached.svg')
    writeFileSync(svg, svgOf(tests.get('fails')!.annotations[0]!.attachment))
    expectNotBlank(screenshot(svg, join(out, 'attached.png'), '420,160'), expect)
    expectNotBlank(screenshot(join(out, 'trainability-report.html'), join(out, 'page.png'), '1200,900'), expect)
  })
})
