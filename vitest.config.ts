import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public names; vitest serves them from source.
    alias: [
      { find: /^trainability\/vitest$/, replacement: here('./matchers/vitest.ts') },
      { find: /^trainability\/reporter$/, replacement: here('./matchers/reporter.ts') },
      { find: /^trainability\/arbitraries$/, replacement: here('./src/arbitraries/index.ts') },
      { find: /^trainability$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['test/jest/**', 'test/types/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A test file trains on one core (a tiny model's ops run one after another, on native TensorFlow too), so a fork per
    // core: vitest's default of cores − 1 left one of two cores idle, and its main process only gathers the results.
    maxWorkers: availableParallelism(),
    setupFiles: ['test/setup.ts'],
  },
})
