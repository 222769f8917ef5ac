import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'

const root = new URL('../', import.meta.url)
const readme = readFileSync(new URL('README.md', root), 'utf8')
const example = readFileSync(new URL('examples/property-based.test.ts', root), 'utf8')
const section = readme.slice(readme.indexOf('## Property-based testing'), readme.indexOf('## Backends'))

describe('README: Property-based testing', () => {
  test('the property snippet is the code examples/property-based.test.ts runs', () => {
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1]!
    const lines = snippet.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('import') && !l.startsWith('//'))
    expect(lines.length).toBeGreaterThan(5)
    for (const line of lines) expect(example).toContain(line)
  })

  test('the replay recipe names fast-check’s seed and path and the trainability seed and backend', () => {
    expect(section).toMatch(/\{ seed: 7, path: '[\d:]+', endOnFailure: true \}/)
    expect(section).toMatch(/TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=cpu npx vitest run examples\/property-based\.test\.ts/)
    // The example replays the same way: seed + counterexamplePath + endOnFailure under the printed variables.
    expect(example).toMatch(/seed: 7, path: result\.counterexamplePath!, endOnFailure: true/)
    expect(example).toMatch(/process\.env\.TRAINABILITY_SEED = replayLine\[1\]/)
  })
})
