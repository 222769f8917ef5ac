import { execFileSync, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

// The built package, loaded the way users load it (npm test builds dist/ first).
const root = join(import.meta.dirname, '..')
const probe = (code: string, type: 'module' | 'commonjs'): string =>
  execFileSync(process.execPath, [type === 'module' ? '--input-type=module' : '--input-type=commonjs', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TRAINABILITY_BACKEND: '' },
  }).trim()

// The expectation, independent of the library's backend code: native TensorFlow is used exactly when a plain Node
// process can load @tensorflow/tfjs-node (and register its 'tensorflow' backend) from this directory.
const nativeLoads = (): boolean =>
  spawnSync(process.execPath, ['-e', "const tf = require('@tensorflow/tfjs-node'); if (!tf.engine().registryFactory.tensorflow) process.exit(1)"], {
    cwd: root,
    stdio: 'ignore',
  }).status === 0
const expected = (): string => (nativeLoads() ? 'tensorflow' : 'cpu')

const run = `const r = await checks.overfit(build, { x: [[-1], [1]], y: [1, 0] }, { maxEpochs: 5 }); console.log(r.record.backend)`
const build = `const build = () => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }); m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' }); return m }`

describe('the built package picks the native backend when it loads', () => {
  test('ESM: import from dist/index.js', () => {
    const out = probe(`import * as tf from '@tensorflow/tfjs'; import { checks } from 'trainability'; ${build}; ${run}`, 'module')
    expect(out.split('\n').pop()).toBe(expected())
  })

  test('CJS: require dist/index.cjs', () => {
    const out = probe(`const tf = require('@tensorflow/tfjs'); const { checks } = require('trainability'); ${build}; (async () => { ${run} })()`, 'commonjs')
    expect(out.split('\n').pop()).toBe(expected())
  })
})
