// diagnose(): every probe in one run, every finding ranked. Here on why-is-my-network-failing.md §3:
// a wide network memorizes a dozen noisy labels, and the held-out data shows it (C13).
import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import { diagnose } from 'trainability'

const buildModel = () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 64, inputShape: [8], activation: 'relu' }), tf.layers.dense({ units: 64, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
  })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.01) })
  return model
}
const noise = (n: number, salt: number) => {
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin((i + 1) * (j + salt) * 12.9898) * 2))
  return { x, y: x.map((r) => (Math.sin(r[0]! * 78.233) > 0 ? 1 : 0)) }
}
const train = noise(16, 1)
const validation = noise(16, 2)

test('diagnose names the train/validation gap', async () => {
  const lines: string[] = []
  const log = (...parts: unknown[]) => lines.push(parts.join(' '))
  const console = { log }
  const { findings } = await diagnose(buildModel, { train, validation })
  for (const f of findings) console.log(f.id, f.severity, f.title, f.evidence, f.fix)
  expect(findings[0]?.id).toBe('C13')
  expect(lines[0]).toMatch(/^C13 (error|warning) overfitting: train\/validation gap the gap grew from -?[\d.e-]+ before training, when both sets scored alike .* to [\d.]+ after epoch \d+ while training loss fell to/)
})
