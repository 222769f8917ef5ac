// Per-step time, native TensorFlow vs the CPU backend, on the same seeded runs (ratio in one process),
// and memory: tensor bytes held per step (0 when leak-free) and resident-set growth per step.
import * as tf from '@tensorflow/tfjs'
import { loadNative } from '../src/backend.js'
import { openSession } from '../src/run.js'
import type { BackendName, Dataset } from '../src/types.js'
import { median, table } from './stats.js'

interface Case {
  name: string
  build: () => tf.LayersModel
  data: () => Dataset
  steps: number
}

const seq = (layers: tf.layers.Layer[], loss: string): tf.LayersModel => {
  const m = tf.sequential({ layers })
  m.compile({ loss, optimizer: tf.train.sgd(0.01) })
  return m
}

const cases: Case[] = [
  {
    name: '1-unit logistic, 2 samples', steps: 500,
    build: () => seq([tf.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })], 'binaryCrossentropy'),
    data: () => ({ x: [[-1], [1]], y: [1, 0] }),
  },
  {
    name: '2×64 MLP, 256 samples', steps: 60,
    build: () => seq([
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [8] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ], 'meanSquaredError'),
    data: () => {
      const x = Array.from({ length: 256 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(i * 1.3 + j)))
      return { x, y: x.map((r) => [r[0]! - r[1]!]) }
    },
  },
  {
    name: 'small conv net, 64 images 16×16', steps: 20,
    build: () => seq([
      tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ], 'categoricalCrossentropy'),
    data: () => {
      const x = Array.from({ length: 64 }, (_, n) => Array.from({ length: 16 }, (_, i) => Array.from({ length: 16 }, (_, j) => [Math.sin(n + i * 0.7 + j * 0.3)])))
      return { x, y: x.map((_, n) => [0, 1, 2].map((c) => (c === n % 3 ? 1 : 0))) }
    },
  },
]

async function perStep(c: Case, backend: BackendName): Promise<{ ms: number; bytes: number; rss: number }> {
  const session = await openSession(c.build, { backend, seed: 1 })
  const data = c.data()
  let held = 0
  const rss0 = process.memoryUsage().rss
  const start = performance.now()
  await session.run({
    dataset: data, maxEpochs: c.steps, timeoutMs: 1e9,
    before: () => { held = tf.memory().numBytes },
    after: () => { held = tf.memory().numBytes - held },
  })
  const elapsed = performance.now() - start
  return { ms: elapsed / c.steps, bytes: held / c.steps, rss: (process.memoryUsage().rss - rss0) / c.steps }
}

export async function backendSpeed(rounds: number): Promise<void> {
  if (!(await loadNative()).loaded) {
    console.log('\nNative vs CPU: @tensorflow/tfjs-node is not available here; run `npm install` in a checkout to provision it.')
    return
  }
  const rows: string[][] = []
  for (const c of cases) {
    const native: number[] = []
    const cpu: number[] = []
    let mem = { native: { bytes: 0, rss: 0 }, cpu: { bytes: 0, rss: 0 } }
    await perStep(c, 'tensorflow') // warm-up of both backends' kernels
    await perStep(c, 'cpu')
    for (let r = 0; r < rounds; r++) {
      const order: BackendName[] = r % 2 ? ['cpu', 'tensorflow'] : ['tensorflow', 'cpu']
      for (const b of order) {
        const m = await perStep(c, b)
        ;(b === 'tensorflow' ? native : cpu).push(m.ms)
        mem = { ...mem, [b === 'tensorflow' ? 'native' : 'cpu']: { bytes: m.bytes, rss: m.rss } }
      }
    }
    const ratio = median(native) / median(cpu)
    rows.push([
      c.name, String(c.steps), median(native).toFixed(3), median(cpu).toFixed(3), ratio.toFixed(2),
      ratio < 1 ? 'native faster' : 'cpu faster',
      `${mem.native.bytes.toFixed(0)} / ${mem.cpu.bytes.toFixed(0)}`,
      `${(mem.native.rss / 1024).toFixed(1)} / ${(mem.cpu.rss / 1024).toFixed(1)}`,
    ])
  }
  console.log(`\nNative TensorFlow vs CPU backend, median of ${rounds} rounds (ms per step; memory native / cpu)`)
  table(['model', 'steps', 'native ms', 'cpu ms', 'native/cpu', 'verdict', 'tensor B/step', 'RSS KiB/step'], rows)
}
