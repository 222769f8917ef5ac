import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { DESCRIPTORS } from '../src/checks/registry.js'

// Adding a matcher is: the check file, its test file, its README row. This test names whatever else was forgotten.
const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(`${root}/${path}`, 'utf8')

/** Files in src/checks/ that hold no check: the descriptor helper, the registry, shared parsing, option kinds, probing and curve comparison. */
const HELPERS = ['args.ts', 'cut.ts', 'define.ts', 'index.ts', 'options.ts', 'probed.ts', 'registry.ts']

/** The matcher each check file declares (`defineCheck<…>()({ matcher: 'toX'`), read from the source, not imported. */
function declaredInFolder(): Map<string, string[]> {
  const files = readdirSync(`${root}/src/checks`).filter((f) => f.endsWith('.ts') && !HELPERS.includes(f))
  return new Map(files.map((f) => [f, [...read(`src/checks/${f}`).matchAll(/defineCheck<[^>]*>\(\)\(\{\s*matcher: '(\w+)'/g)].map((m) => m[1]!)]))
}

/** The names in `wanted` that `present` lacks, in order. */
function missing(wanted: readonly string[], present: readonly string[]): string[] {
  return wanted.filter((name) => !present.includes(name))
}

const folder = declaredInFolder()
const declared = [...folder.values()].flat()
const registered = DESCRIPTORS.map((d) => d.matcher)
const typed = [...read('matchers/types.ts').matchAll(/^ {2}(to\w+)\(/gm)].map((m) => m[1]!)
const documented = [...read('README.md').matchAll(/^\| `(to\w+)\(/gm)].map((m) => m[1]!)
const hygiene = read('test/hygiene.test.ts')
// The hygiene suite covers a check by name, or every check at once by iterating the registry.
const hygieneCovers = (name: string): boolean => hygiene.includes(name) || /for \(const \w+ of DESCRIPTORS\)|DESCRIPTORS\.map\(/.test(hygiene)

describe('every check in src/checks/', () => {
  test('each check file declares exactly one descriptor with defineCheck', () => {
    const wrong = [...folder].filter(([, names]) => names.length !== 1).map(([file, names]) => `${file}: ${names.length}`)
    expect(wrong).toEqual([])
    expect(declared.length).toBeGreaterThanOrEqual(18)
  })

  test('is registered in the descriptor list, once', () => {
    expect(missing(declared, registered)).toEqual([])
    expect(missing(registered, declared)).toEqual([])
    expect(new Set(registered).size).toBe(registered.length)
  })

  test('is typed in TrainabilityMatchers', () => {
    expect(missing(declared, typed)).toEqual([])
    expect(missing(typed, declared)).toEqual([])
  })

  test('is documented in the README matcher table (a row starting with | `toX(`)', () => {
    expect(missing(declared, documented)).toEqual([])
  })

  test('is covered by the hygiene suite (model unchanged, no tensor leaked)', () => {
    expect(declared.filter((name) => !hygieneCovers(name))).toEqual([])
  })

  test('has its test file test/matchers/<matcherName>.test.ts', () => {
    expect(declared.filter((name) => !existsSync(`${root}/test/matchers/${name}.test.ts`))).toEqual([])
  })
})

describe('the completeness check itself', () => {
  test('catches a check left out of a list', () => {
    const list = registered.filter((name) => name !== 'toStayFinite')
    expect(missing(declared, list)).toEqual(['toStayFinite'])
  })

  test('catches a check file added without registering it', () => {
    expect(missing([...declared, 'toConvergeSomehow'], registered)).toEqual(['toConvergeSomehow'])
  })

  test('reads a descriptor the way check files write it', () => {
    const source = "export const x = defineCheck<XOptions>()({\n  matcher: 'toDoX',\n  ids: ['C1'],"
    expect([...source.matchAll(/defineCheck<[^>]*>\(\)\(\{\s*matcher: '(\w+)'/g)].map((m) => m[1])).toEqual(['toDoX'])
  })
})
