import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECKLIST } from '../src/cli/checklist.js'

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
    expect(page).not.toMatch(/<(link|script)\b|src="http/)
  })

  it('prints machine-readable results with --json', async () => {
    const { code, stdout } = await doctor(...stuck, '--json')
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as { pass: boolean; checks: { name: string; pass: boolean; record: { losses: number[] } }[] }
    expect(report.pass).toBe(false)
    expect(report.checks.map((c) => c.name)).toEqual(CHECKLIST.map((c) => c.name))
    expect(report.checks.find((c) => c.name === 'overfits one sample per class')?.pass).toBe(false)
    expect(report.checks[1]?.record.losses.length).toBeGreaterThan(10)
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
})
