import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// A small user suite (test/curves/suite/) run by vitest in a child process: a failing assertion attaches its curves as
// an SVG annotation, where `vitest --ui`, the HTML reporter and the default reporter show it.

const scratch = mkdtempSync(join(tmpdir(), 'trainability-curves-'))
let runs = 0

interface Attachment { contentType?: string; body?: string }
interface Reported { name: string; state: string; annotations: { type: string; message: string; attachment?: Attachment }[] }

function run(env: Record<string, string>): Promise<{ tests: Map<string, Reported>; output: string }> {
  const out = join(scratch, `annotations-${++runs}.json`)
  const args = ['vitest', 'run', '--config', 'test/curves/vitest.config.ts', '--reporter=default', '--reporter=./test/curves/annotations-reporter.ts']
  return new Promise((resolve, reject) => {
    execFile('npx', args, { env: { ...process.env, ...env, CI: 'true', TRAINABILITY_ANNOTATIONS_OUT: out } }, (error, stdout, stderr) => {
      try {
        const tests: Reported[] = JSON.parse(readFileSync(out, 'utf8'))
        resolve({ tests: new Map(tests.map((t) => [t.name.split(':')[0]!, t])), output: (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, '') })
      } catch {
        reject(new Error(`vitest wrote no report (exit ${error?.code ?? 0}):\n${stdout}\n${stderr}`))
      }
    })
  })
}

const svgOf = (a: Attachment | undefined): string => Buffer.from(a?.body ?? '', 'base64').toString('utf8')

describe('vitest annotations', () => {
  it('attach the curves of a failing assertion as an SVG, and nothing to a passing one by default', async () => {
    const { tests, output } = await run({})
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
  })

  it('attach to passing assertions too with TRAINABILITY_CURVES=always, and to none with never', async () => {
    const always = await run({ TRAINABILITY_CURVES: 'always' })
    for (const name of ['fails', 'passes', 'passes under .not']) {
      expect(always.tests.get(name)!.annotations.map((a) => a.type), name).toStrictEqual(['trainability curves'])
    }
    expect(svgOf(always.tests.get('passes')!.annotations[0]!.attachment)).toContain('<polyline')
    const never = await run({ TRAINABILITY_CURVES: 'never' })
    expect(never.tests.get('fails')!.state).toBe('failed')
    for (const t of never.tests.values()) expect(t.annotations).toStrictEqual([])
  })
})
