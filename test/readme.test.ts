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
  .map((path) => ({ path, lines: codeLines(readFileSync(path, 'utf8')) }))

/** Lines of code, trimmed: blank lines and whole-line comments are prose, in a README block as in a file. */
function codeLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'))
}

/** Where the block's lines start as one contiguous run of `lines` at or after `from` (compared trimmed: only indentation may differ), or -1. */
function runAt(lines: string[], block: string[], from = 0): number {
  if (block.length === 0) return -1
  for (let start = from; start + block.length <= lines.length; start++) {
    if (block.every((line, k) => lines[start + k] === line)) return start
  }
  return -1
}

/** The block's code lines appear contiguous in the file; a README block that elides code says so with a `// …` line, and each part between elisions must then appear contiguous, in order. */
function contains(lines: string[], block: string[] | string): boolean {
  const parts = typeof block === 'string' ? block.split(/^\s*\/\/ (?:…|\.\.\.)\s*$/m).map(codeLines) : [block]
  if (parts.every((p) => p.length === 0)) return false
  let from = 0
  for (const part of parts.filter((p) => p.length > 0)) {
    const at = runAt(lines, part, from)
    if (at < 0) return false
    from = at + part.length
  }
  return true
}

describe('contains: the README matcher', () => {
  const file = ['import x', '', '  await a()', '  await b()', 'other()', '  await c()'].map((l) => l.trim())
  test('finds a contiguous block, whatever its indentation', () => {
    expect(contains(file, ['await a()', 'await b()'])).toBe(true)
  })
  test('rejects a block whose lines appear in order but not together', () => {
    expect(contains(file, ['await a()', 'await c()'])).toBe(false)
    expect(contains(codeLines('a()\n// note\n\nb()\nc()'), ['a()', 'c()'])).toBe(false)
    expect(contains(codeLines('a()\n// note\n\n  b()'), ['a()', 'b()'])).toBe(true) // comments and blank lines are not code
  })
  test('rejects lines out of order, and an empty block', () => {
    expect(contains(file, ['await b()', 'await a()'])).toBe(false)
    expect(contains(file, [])).toBe(false)
  })
  test('a `// …` line in the block marks an elision: each part contiguous, parts in order', () => {
    expect(contains(file, 'import x\n// …\nawait b()\nother()')).toBe(true)
    expect(contains(file, 'await b()\n// …\nimport x')).toBe(false)
    expect(contains(file, 'import x\n// …\nawait a()\nawait c()')).toBe(false)
  })
})

describe('README code blocks are exercised (no drift)', () => {
  test('there are code blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
  })
  const home = (block: string) => sources.find((s) => s.path !== join(root, 'test', 'readme.test.ts') && contains(s.lines, block))
  test.each(blocks.map((b) => [b.split('\n')[0]!, b] as const))('%s', (_, block) => {
    expect(home(block)?.path, `no example, test or config contains this README block:\n${block}`).toBeDefined()
  })
})
