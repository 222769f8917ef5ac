import { defineConfig, type Options } from 'tsup'

// tfjs, vitest and jest stay external: the library must share the caller's single tfjs engine.
const external = ['@tensorflow/tfjs', '@tensorflow/tfjs-node', 'vitest', 'expect', '@jest/globals']

// Tells src/backend.ts which module loader it is bundled for.
const format: Options['esbuildOptions'] = (options, context) => {
  options.define = { ...options.define, __TRAINABILITY_CJS__: context.format === 'cjs' ? 'true' : 'false' }
}

export default defineConfig([
  {
    // `trainability/arbitraries` is its own entry so that only its importers need fast-check (an optional peer).
    entry: { index: 'src/index.ts', jest: 'matchers/jest.ts', arbitraries: 'src/arbitraries/index.ts', reporter: 'matchers/reporter.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    external,
    esbuildOptions: format,
  },
  {
    entry: { vitest: 'matchers/vitest.ts' },
    format: ['esm'],
    dts: true,
    target: 'node20',
    external,
    esbuildOptions: format,
  },
  {
    // The `trainability` CLI: one ESM file with a shebang, bin of package.json.
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external,
    esbuildOptions: format,
  },
])
