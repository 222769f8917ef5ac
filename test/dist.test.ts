import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadNative } from '../src/backend.js'

// The built package, loaded the way users load it (npm test builds dist/ first).
const root = join(import.meta.dirname, '..')
const probe = (code: string, type: 'module' | 'commonjs'): string =>
  execFileSync(process.execPath, [type === 'module' ? '--input-type=module' : '--input-type=commonjs', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TRAINABILITY_BACKEND: '' },
  }).trim()

const run = `const r = await checks.overfit(build, { x: [[-1], [1]], y: [1, 0] }, { maxEpochs: 5 }); console.log(r.record.backend)`
const build = `const build = () => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }); m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' }); return m }`

describe('the built package picks the native backend when it loads', () => {
  test('ESM: import from dist/index.js', async () => {
    const expected = (await loadNative()).loaded ? 'tensorflow' : 'cpu'
    const out = probe(`import * as tf from '@tensorflow/tfjs'; import { checks } from 'trainability'; ${build}; ${run}`, 'module')
    expect(out.split('\n').pop()).toBe(expected)
  })

  test('CJS: require dist/index.cjs', async () => {
    const expected = (await loadNative()).loaded ? 'tensorflow' : 'cpu'
    const out = probe(`const tf = require('@tensorflow/tfjs'); const { checks } = require('trainability'); ${build}; (async () => { ${run} })()`, 'commonjs')
    expect(out.split('\n').pop()).toBe(expected)
  })
})
