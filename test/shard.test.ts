import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// A small suite (test/shard/) run the way a user splits a slow trainability suite across CI machines: every test must
// get the same verdict and the same message whether it runs in the whole suite, in either half, or in a thread pool.

const scratch = mkdtempSync(join(tmpdir(), 'trainability-shard-'))
let runs = 0

interface Outcome { status: string; message: string }

/** Runs the runner with a JSON report and returns test title → status and message (colours and stack frames removed). */
function run(runner: 'vitest' | 'jest', ...flags: string[]): Promise<Map<string, Outcome>> {
  const out = join(scratch, `${runner}-${++runs}.json`)
  const args = runner === 'vitest'
    ? ['vitest', 'run', '--config', 'test/shard/vitest.config.ts', '--reporter=json', `--outputFile=${out}`, ...flags]
    : ['jest', '--config', 'test/shard/jest.config.cjs', '--json', `--outputFile=${out}`, ...flags]
  return new Promise((resolve, reject) => {
    execFile('npx', args, { env: { ...process.env, CI: 'true' } }, (error, stdout, stderr) => {
      let report: { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] }
      try {
        report = JSON.parse(readFileSync(out, 'utf8'))
      } catch {
        reject(new Error(`${runner} ${flags.join(' ')} wrote no report (exit ${error?.code ?? 0}):\n${stdout}\n${stderr}`))
        return
      }
      const outcomes = new Map<string, Outcome>()
      for (const file of report.testResults) {
        for (const t of file.assertionResults) outcomes.set(t.title, { status: t.status, message: clean(t.failureMessages.join('\n')) })
      }
      resolve(outcomes)
    })
  })
}

function clean(message: string): string {
  return message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((line) => !/^\s+at /.test(line)).join('\n').trim()
}

/** Two halves together hold each test once. */
function union(...parts: Map<string, Outcome>[]): Map<string, Outcome> {
  const all = new Map<string, Outcome>()
  for (const part of parts) for (const [title, outcome] of part) {
    expect(all.has(title), `${title} ran in two shards`).toBe(false)
    all.set(title, outcome)
  }
  return all
}

const sorted = (m: Map<string, Outcome>): [string, Outcome][] => [...m].sort(([a], [b]) => a.localeCompare(b))

describe('a suite split across machines', () => {
  it('vitest and jest --shard=1/2 + 2/2, in forks and in threads, give every test the verdict and message of the unsplit run', async () => {
    const whole = await run('vitest')
    // The suite has failing checks whose messages carry numbers: the comparison is not of empty strings.
    expect([...whole.values()].filter((o) => o.status === 'failed' && /backend \w+ +seed \d+/.test(o.message)).length).toBeGreaterThanOrEqual(2)
    expect([...whole.values()].some((o) => o.status === 'passed')).toBe(true)
    // Half the suite in vitest's fork pool, half in its thread pool (native TensorFlow loads in a worker thread too).
    const vitest = union(await run('vitest', '--shard=1/2'), await run('vitest', '--shard=2/2', '--pool=threads'))
    expect(sorted(vitest)).toEqual(sorted(whole))
    // jest runs the built CommonJS entry: the same tests, split the same way, say the same thing word for word.
    const jest = union(await run('jest', '--shard=1/2'), await run('jest', '--shard=2/2'))
    expect(sorted(jest)).toEqual(sorted(whole))
  }, 300_000)
})
