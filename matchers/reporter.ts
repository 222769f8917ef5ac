import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { curvesOf, type ReportEntry } from '../src/report/entry.js'
import { passedMessage, reportPage, type Card } from '../src/report/page.js'
import { REPORT_ENV, VITEST_CHANNEL, type JestLine } from './report-channel.js'

export interface ReporterOptions {
  /** Where the page goes, relative to the project root, unless `TRAINABILITY_REPORT_FILE` says; default `trainability-report.html`. */
  outputFile?: string
}

/** One assertion with the test it ran in, as the reporter gathers them. */
interface Gathered {
  file: string
  test: string
  /** The test's own name: what `-t` selects it by. */
  name: string
  line?: number
  entry: ReportEntry
}

/** The parts of each runner's reporter API this reads (vitest ≥ 3: Vitest, TestModule, TestCase; jest: AggregatedResult). */
type VitestLike = { config: { root: string } }
type TestCaseLike = { name: string; fullName: string; location?: { line: number }; meta(): { trainability?: ReportEntry[] } }
type TestModuleLike = { moduleId: string; children: { allTests(): Iterable<TestCaseLike> } }
type JestResults = { testResults: { testFilePath: string; testResults: { title: string; fullName: string; location?: { line: number } | null }[] }[] }

/**
 * `trainability/reporter`: writes one self-contained HTML page of every trainability assertion the suite ran (test,
 * matcher, verdict, backend, seed, a replay command, the curves, the ranked causes), for vitest and for jest. One class
 * is both runners' reporter: each calls its own hooks. The page goes to `TRAINABILITY_REPORT_FILE`, else `outputFile`.
 *
 * @example
 * // vitest.config.ts
 * test: { reporters: ['default', ['trainability/reporter', { outputFile: 'reports/trainability.html' }]] }
 * // jest.config.js
 * reporters: ['default', ['trainability/reporter', { outputFile: 'reports/trainability.html' }]]
 */
export default class TrainabilityReporter {
  private readonly options: ReporterOptions
  private readonly runner: 'vitest' | 'jest'
  private root = process.cwd()
  private dir: string | undefined

  constructor(...args: unknown[]) {
    // jest constructs a reporter with (globalConfig, options, context); vitest with (options) or nothing.
    this.runner = args.length >= 2 ? 'jest' : 'vitest'
    this.options = ((this.runner === 'jest' ? args[1] : args[0]) ?? {}) as ReporterOptions
    if (this.runner === 'jest') {
      this.root = (args[0] as { rootDir?: string }).rootDir ?? this.root
      const dir = mkdtempSync(join(tmpdir(), 'trainability-report-'))
      // It lives as long as jest does: watch mode re-runs in the same workers, which read its name once.
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
      this.dir = dir
      process.env[REPORT_ENV] = dir
    } else {
      process.env[REPORT_ENV] = VITEST_CHANNEL
    }
  }

  // ---- vitest ----

  onInit(vitest: VitestLike): void {
    this.root = vitest.config.root
  }

  onTestRunEnd(modules: ReadonlyArray<TestModuleLike>): void {
    const gathered = modules.flatMap((m) =>
      [...m.children.allTests()].flatMap((t) =>
        (t.meta().trainability ?? []).map((entry) => ({ file: m.moduleId, test: t.fullName, name: t.name, line: t.location?.line, entry })),
      ),
    )
    this.write(gathered)
  }

  // ---- jest ----

  onRunStart(): void {
    // A watch-mode re-run starts from an empty directory.
    if (this.dir) for (const file of readdirSync(this.dir)) rmSync(join(this.dir, file))
  }

  onRunComplete(_contexts: unknown, results: JestResults): void {
    const lines: JestLine[] = this.dir
      ? readdirSync(this.dir).flatMap((file) => readFileSync(join(this.dir!, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JestLine))
      : []
    // The suite's order: each file's tests as jest reports them, each test's assertions as they ran.
    const byTest = new Map<string, JestLine[]>()
    for (const line of lines) {
      const key = `${line.testPath}\0${line.currentTestName}`
      const same = byTest.get(key)
      if (same) same.push(line)
      else byTest.set(key, [line])
    }
    const gathered: Gathered[] = results.testResults.flatMap((file) =>
      file.testResults.flatMap((test) =>
        (byTest.get(`${file.testFilePath}\0${test.fullName}`) ?? []).map((line) => ({ file: file.testFilePath, test: test.fullName, name: test.title, line: test.location?.line, entry: line.entry })),
      ),
    )
    this.write(gathered)
  }

  getLastError(): undefined {
    return undefined
  }

  private write(gathered: Gathered[]): void {
    // The environment wins over the config, so a CI job can place the page without editing the config.
    const path = resolve(this.root, process.env.TRAINABILITY_REPORT_FILE || this.options.outputFile || 'trainability-report.html')
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, page(gathered, this.runner, this.root))
    const failed = gathered.filter((g) => g.entry.failed).length
    const shown = relative(process.cwd(), path)
    process.stdout.write(`trainability report: ${shown.startsWith('..') ? path : shown} (${gathered.length} assertions, ${failed} failed)\n`)
  }
}

function page(gathered: Gathered[], runner: 'vitest' | 'jest', root: string): string {
  const failed = gathered.filter((g) => g.entry.failed).length
  const tests = new Set(gathered.map((g) => `${g.file}\0${g.test}`)).size
  const backends = [...new Set(gathered.map((g) => g.entry.backend))]
  return reportPage({
    heading: 'trainability report',
    documentTitle: `trainability report: ${failed ? `${failed} failed` : 'all passed'}`,
    verdict: failed ? `${failed} of ${gathered.length} trainability assertions failed` : `all ${gathered.length} trainability assertions passed`,
    pass: failed === 0,
    facts: [`${tests} tests`, `${runner}`, `backend ${backends.join(', ') || 'none'}`, new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
    cards: gathered.map((g) => card(g, runner, root)),
  })
}

function card({ file, test, name, line, entry }: Gathered, runner: 'vitest' | 'jest', root: string): Card {
  const path = relative(root, file)
  // A passing `expect().toX()` carries the check's `.not` reading; a failing `.not.toX()` reads right as it is.
  const read = !entry.failed && !entry.negated ? passedMessage(entry.message) : entry.message
  // The card's replay command (seed, backend, file and test) replaces the message's last line, which has the first two.
  const message = read.replace(/\nreplay: TRAINABILITY_SEED=.*$/, '')
  return {
    title: test,
    matcher: `${entry.negated ? '.not.' : ''}${entry.matcher}`,
    pass: !entry.failed,
    message,
    curves: curvesOf(entry),
    where: line === undefined ? path : `${path}:${line}`,
    replay: `TRAINABILITY_SEED=${entry.seed} TRAINABILITY_BACKEND=${entry.backend} npx ${runner} ${runner === 'vitest' ? 'run ' : ''}${shellQuote(path)} -t ${shellQuote(escapeRegExp(name))}`,
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const shellQuote = (text: string): string => (/^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`)
