import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

// Every code block in the README must live, line for line, in a file that runs: an example, a test or a config.
const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```(ts|js)\n([\s\S]*?)```/g)].map((m) => m[2]!)

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules') return []
    return statSync(path).isDirectory() ? files(path) : /\.(ts|cts|cjs|mjs|js)$/.test(name) ? [path] : []
  })
}
const sources = [...files(join(root, 'examples')), ...files(join(root, 'test')), join(root, 'jest.config.cjs')]
  .map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').map((l) => l.trim()) }))

/** The block's code lines (comments aside) appear in the file in the same order. */
function contains(lines: string[], block: string[]): boolean {
  let at = 0
  for (const line of lines) if (line === block[at]) at++
  return at === block.length
}

describe('README code blocks are exercised (no drift)', () => {
  test('there are code blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
  })
  test.each(blocks.map((b) => [b.split('\n')[0]!, b] as const))('%s', (_, block) => {
    const code = block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'))
    const home = sources.find((s) => s.path !== join(root, 'test', 'readme.test.ts') && contains(s.lines, code))
    expect(home?.path, `no example, test or config contains this README block:\n${block}`).toBeDefined()
  })
})
