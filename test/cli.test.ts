import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { withSeed } from 'trainability'
import { describe, expect, it } from 'vitest'
import { CHECKLIST } from '../src/cli/checklist.js'
import { jsonReport } from '../src/cli/report-text.js'
import type { CheckResult } from '../src/types.js'
import { IRIS_DATA, irisModel } from './fixtures/iris.js'

// The built executable, as `npx trainability` runs it (npm test builds dist/ first).
function doctor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/cli.js', ...args], { env: process.env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
    })
  })
}

const stuck = ['doctor', '--model', 'examples/models/stuck/model.json', '--data', 'examples/models/data.json']
const fixed = ['doctor', '--model', 'examples/models/fixed/model.json', '--data', 'examples/models/data.csv']
const scratch = mkdtempSync(join(tmpdir(), 'trainability-cli-'))

describe('trainability doctor', () => {
  it('prints usage and exits 0 without arguments', async () => {
    const { code, stdout } = await doctor()
    expect(code).toBe(0)
    expect(stdout).toContain('usage: trainability doctor --model')
  })

  it('fails the stuck model with exit 1 and names the low learning rate', async () => {
    const { code, stdout } = await doctor(...stuck)
    expect(code).toBe(1)
    expect(stdout).toContain('FAIL  overfits one sample per class (toOverfitTinyDataset)')
    expect(stdout).toContain('C6 learning rate too low')
    expect(stdout).toMatch(/\d of \d checks passed, 1 failed/)
  })

  it('passes the fixed model from CSV with exit 0 and writes one SVG curve per check', async () => {
    const html = join(scratch, 'report.html')
    const { code, stdout } = await doctor(...fixed, '--html', html)
    expect(code).toBe(0)
    for (const entry of CHECKLIST) expect(stdout).toContain(`PASS  ${entry.name}`)
    const page = readFileSync(html, 'utf8')
    expect(page.match(/<svg/g)).toHaveLength(CHECKLIST.length)
    expect(page).toContain('<polyline')
    // Drawn by the one curve renderer (src/report/curves-svg.ts): axes with values, and the overfit check's goal line.
    expect(page).toContain('class="tick y"')
    expect(page).toMatch(/class="goal"[^>]*data-value="0\.01"/)
    expect(page).not.toMatch(/<(link|script)\b|src="http/)
  })

  it('prints machine-readable results with --json, each check with the curves the HTML report draws', async () => {
    const { code, stdout } = await doctor(...stuck, '--json')
    expect(code).toBe(1)
    type Curves = { curves: { label: string; losses: number[] }[]; goal?: { label: string; value: number }; decidedEpoch?: number }
    const report = JSON.parse(stdout) as { pass: boolean; checks: { name: string; pass: boolean; record: { losses: number[]; epochs: number }; curves?: Curves }[] }
    expect(report.pass).toBe(false)
    expect(report.checks.map((c) => c.name)).toEqual(CHECKLIST.map((c) => c.name))
    expect(report.checks.find((c) => c.name === 'overfits one sample per class')?.pass).toBe(false)
    expect(report.checks[1]?.record.losses.length).toBeGreaterThan(10)
    for (const check of report.checks) expect(check.curves?.curves.length, check.name).toBeGreaterThan(0)
    const overfit = report.checks.find((c) => c.name === 'overfits one sample per class')!
    expect(overfit.curves).toStrictEqual({
      curves: [{ label: 'loss', losses: overfit.record.losses }],
      goal: { label: 'loss < 0.01', value: 0.01 },
      decidedEpoch: overfit.record.epochs,
    })
  })

  it('writes a non-finite curve value in --json as the string of its kind, which Number() reads back', () => {
    const record: CheckResult['record'] = { losses: [0.7, Number.NaN], epochs: 2, stoppedBy: 'nonFinite', task: 'binary', backend: 'cpu', seed: 42, optimizer: 'sgd', elapsedMs: 1 }
    const curves = { curves: [{ label: 'accuracy', losses: [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], unit: 'share' as const }], goal: { label: 'loss < 0.01', value: 0.01 }, decidedEpoch: 2 }
    const json = jsonReport('m', [{ name: 'stays finite', matcher: 'toStayFinite', result: { pass: false, message: 'm', record, findings: [], curves } }], 5)
    const [check] = (JSON.parse(json) as { checks: { curves: { curves: { losses: unknown[]; unit: string }[] } }[] }).checks
    const [curve] = check!.curves.curves
    expect(curve!.losses).toStrictEqual([0.5, 'NaN', 'Infinity', '-Infinity'])
    expect(curve!.losses.map(Number)).toStrictEqual([0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
    expect(curve!.unit).toBe('share')
  })

  const csv3 = join(scratch, 'three-columns.csv')
  writeFileSync(csv3, 'a,b,label\n1,2,0\n3,4,1\n')
  it.each([
    ['a missing model file', ['doctor', '--model', 'nope/model.json', '--data', 'examples/models/data.json'], /--model nope\/model.json cannot be read: no such file/],
    ['a JSON file that is not a model', ['doctor', '--model', 'examples/models/data.json', '--data', 'examples/models/data.json'], /is not a tfjs Layers model/],
    ['a CSV whose columns do not fit the model', ['doctor', '--model', 'examples/models/fixed/model.json', '--data', csv3], /has 2 feature column\(s\) but the model takes 1/],
    ['an unknown flag', ['doctor', '--modle', 'x'], /Unknown option '--modle'/],
    ['a missing --data', ['doctor', '--model', 'examples/models/fixed/model.json'], /--data is missing/],
  ])('exits 2 with one line on stderr for %s', async (_, args, pattern) => {
    const { code, stdout, stderr } = await doctor(...args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    const ours = stderr.split('\n').filter((line) => line.startsWith('trainability: ') && !line.includes('native backend'))
    expect(ours).toHaveLength(1)
    expect(ours[0]).toMatch(pattern)
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  // iris/index.js's model, saved with its training config as model.save() writes it, and iris/data.js's 150 rows as a
  // CSV whose last column is the class index 0–2.
  const irisDir = join(scratch, 'iris')
  const irisCsv = join(scratch, 'iris.csv')
  writeFileSync(irisCsv, `sepal_length,sepal_width,petal_length,petal_width,class\n${IRIS_DATA.map((row) => row.join(',')).join('\n')}\n`)
  const saveIris = async (): Promise<void> => {
    const model = await withSeed(7, () => irisModel())
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        mkdirSync(irisDir, { recursive: true })
        writeFileSync(join(irisDir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer))
        writeFileSync(join(irisDir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, trainingConfig: a.trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }))
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } }
      }),
      { includeOptimizer: true },
    )
    model.dispose()
  }

  it('one-hot encodes a class-index column for a softmax model: the healthy iris model passes every check', async () => {
    await saveIris()
    const { code, stdout, stderr } = await doctor('doctor', '--model', join(irisDir, 'model.json'), '--data', irisCsv, '--task', 'multiclass')
    expect(stderr).not.toMatch(/trainability:/)
    for (const entry of CHECKLIST) expect(stdout).toContain(`PASS  ${entry.name}`)
    expect(code).toBe(0)
  })

  it('names a label that is no class index of the model, with exit 2', async () => {
    await saveIris()
    const bad = join(scratch, 'iris-bad.csv')
    writeFileSync(bad, '5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,3\n')
    const { code, stderr } = await doctor('doctor', '--model', join(irisDir, 'model.json'), '--data', bad)
    expect(code).toBe(2)
    expect(stderr).toMatch(/label 3 of sample 1 is not a class index 0\.\.2; the model outputs 3 units, one per class/)
  })

  describe('robustness (issue 13, item 9)', () => {
    it('checks that --html can be written before running any check', async () => {
      for (const html of [join(scratch, 'no-such-dir', 'report.html'), scratch]) {
        const { code, stdout, stderr } = await doctor(...stuck, '--html', html)
        expect(code).toBe(2)
        expect(stdout).toBe('') // no check ran, no report printed
        expect(stderr).toContain(`trainability: --html ${html} cannot be written`)
      }
    })

    it('reads a first row with numbers as data: a bad cell there is an error naming row and column', async () => {
      const csv = join(scratch, 'bad-first-row.csv')
      writeFileSync(csv, '-2,one\n-1,1\n1,0\n2,0\n')
      const { code, stdout, stderr } = await doctor('doctor', '--model', 'examples/models/fixed/model.json', '--data', csv)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toContain(`--data ${csv}: row 1, column 2 is "one", not a number`)
    })

    it('counts rows as the file does when a header is present', async () => {
      const csv = join(scratch, 'bad-third-line.csv')
      writeFileSync(csv, 'x,label\n-2,1\n-1,?\n1,0\n')
      const { code, stderr } = await doctor('doctor', '--model', 'examples/models/fixed/model.json', '--data', csv)
      expect(code).toBe(2)
      expect(stderr).toContain('row 3, column 2 is "?"')
    })

    it('rejects a label outside the classes of a one-unit binary model', async () => {
      const csv = join(scratch, 'binary-label-2.csv')
      writeFileSync(csv, '-2,1\n-1,2\n1,0\n2,0\n')
      const { code, stdout, stderr } = await doctor('doctor', '--model', 'examples/models/fixed/model.json', '--data', csv)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(/label 2 of sample 1 is not a class of the model: it has one output unit and loss binary_crossentropy, so labels are 0 or 1/)
    })

    it('rejects a class index outside the model\'s classes under a sparse loss', async () => {
      await saveIris()
      const bad = join(scratch, 'iris-sparse-bad.csv')
      writeFileSync(bad, '5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,5\n')
      const { code, stdout, stderr } = await doctor('doctor', '--model', join(irisDir, 'model.json'), '--data', bad, '--loss', 'sparseCategoricalCrossentropy')
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(/label 5 of sample 1 is not a class index 0\.\.2; the model outputs 3 units/)
    })

    it('rejects one-hot rows whose width is not the model\'s class count', async () => {
      await saveIris()
      const bad = join(scratch, 'iris-onehot-bad.json')
      writeFileSync(bad, JSON.stringify({ x: [[5.1, 3.5, 1.4, 0.2], [7, 3.2, 4.7, 1.4]], y: [[1, 0, 0], [0, 1, 0, 0]] }))
      const { code, stderr } = await doctor('doctor', '--model', join(irisDir, 'model.json'), '--data', bad)
      expect(code).toBe(2)
      expect(stderr).toMatch(/label row of sample 1 has 4 value\(s\) but the model outputs 3 units/)
    })

    it('loads a model.json and a data JSON saved with a UTF-8 byte-order mark', async () => {
      const dir = join(scratch, 'bom')
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'model.json'), `\uFEFF${readFileSync('examples/models/fixed/model.json', 'utf8')}`)
      writeFileSync(join(dir, 'weights.bin'), readFileSync('examples/models/fixed/weights.bin'))
      writeFileSync(join(dir, 'data.json'), `\uFEFF${readFileSync('examples/models/data.json', 'utf8')}`)
      const { code, stderr } = await doctor('doctor', '--model', join(dir, 'model.json'), '--data', join(dir, 'data.json'))
      expect(stderr).not.toMatch(/trainability:/)
      expect(code).toBe(0)
    })
  })
})
