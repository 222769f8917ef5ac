// Addition RNN (sequence to sequence), a faithful copy of tensorflow/tfjs-examples at commit 05217256:
//   addition-rnn/index.js  CharacterTable ('0123456789+ '), generateData(digits, numExamples, invert=false),
//                          convertDataToTensors (one-hot [n, maxLen, 12] and [n, digits + 1, 12]),
//                          createAndCompileModel(layers, hiddenSize, rnnType, digits, vocabularySize):
//                          rnn(hiddenSize, recurrentInitializer glorotNormal) → repeatVector(digits + 1) →
//                          rnn(hiddenSize, glorotNormal, returnSequences) → timeDistributed(Dense(vocab)) →
//                          activation softmax; compile({loss: 'categoricalCrossentropy', optimizer: 'adam'}).
// The UI defaults are digits 2, hiddenSize 128, 5000 examples; the tests pass smaller values through the
// same parameters (digits 1, hiddenSize 16, a dozen examples) so that a CPU run stays fast.
// generateData draws with Math.random; here it draws from a seeded generator, otherwise unchanged.
import * as tf from '@tensorflow/tfjs'
import { rng, type BugCase } from './common.js'

export type RnnType = 'SimpleRNN' | 'GRU' | 'LSTM'
export type AdditionBug = 'integer-labels' | 'no-softmax' | 'lr-too-high'

export const ADDITION_BUGS: Record<AdditionBug, BugCase<AdditionBug>> = {
  'integer-labels': {
    name: 'integer-labels',
    expected: 'C4',
    line: 'const ys = answers.map(a => [...a].map(ch => charTable.charIndices[ch]))  // instead of charTable.encodeBatch(answers, digits + 1)',
    why: 'the targets are character ids [n, digits + 1] where categoricalCrossentropy needs one-hot rows ' +
      '[n, digits + 1, 12]; the model and loss are the example’s: labels in the wrong format (C4).',
  },
  'no-softmax': {
    name: 'no-softmax',
    expected: 'C3',
    line: "// model.add(tf.layers.activation({activation: 'softmax'}))  dropped",
    why: 'the timeDistributed Dense then outputs raw logits into categoricalCrossentropy, which expects ' +
      'probabilities per time step: loss/activation mismatch (C3).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    line: "optimizer: tf.train.adam(10)  // instead of 'adam' (lr 0.001)",
    why: 'adam moves every weight by ~10 per step, 10⁴× the default; the gates and the softmax saturate at once and ' +
      'the loss rises and oscillates: learning rate too high (C5).',
  },
}

export const CHARS = '0123456789+ '

/** generateData(digits, numExamples, false) with a seeded generator: unique unordered pairs, padded strings. */
export function generateData(digits: number, numExamples: number, seed = 5): [string, string][] {
  const random = rng(seed)
  const maxLen = digits + 1 + digits
  const f = (): number => {
    let str = ''
    while (str.length < digits) str += String(Math.floor(random() * 10))
    return Number.parseInt(str)
  }
  const output: [string, string][] = []
  const seen = new Set<string>()
  while (output.length < numExamples) {
    const a = f()
    const b = f()
    const sorted = b > a ? [a, b] : [b, a]
    const key = `${sorted[0]}\`${sorted[1]}`
    if (seen.has(key)) continue
    seen.add(key)
    const q = `${a}+${b}`
    const query = q + ' '.repeat(maxLen - q.length)
    let ans = (a + b).toString()
    ans += ' '.repeat(digits + 1 - ans.length)
    output.push([query, ans])
  }
  return output
}

/** CharacterTable.encodeBatch as nested arrays: [n, rows, 12] one-hot. */
export function encodeBatch(strings: string[], numRows: number): number[][][] {
  return strings.map((s) => Array.from({ length: numRows }, (_, i) => Array.from(CHARS, (ch) => (s[i] === ch ? 1 : 0))))
}

export interface AdditionSet {
  x: number[][][]
  y: number[][][] | number[][]
}

/** convertDataToTensors, as arrays; the 'integer-labels' bug gives character ids instead of one-hot answers. */
export function additionData(digits: number, numExamples: number, options: { seed?: number; bug?: AdditionBug } = {}): AdditionSet {
  const data = generateData(digits, numExamples, options.seed)
  const x = encodeBatch(data.map((d) => d[0]), digits + 1 + digits)
  const answers = data.map((d) => d[1])
  const y = options.bug === 'integer-labels' ? answers.map((a) => [...a].map((ch) => CHARS.indexOf(ch))) : encodeBatch(answers, digits + 1)
  return { x, y }
}

function rnn(type: RnnType, config: { units: number; recurrentInitializer: string; inputShape?: number[]; returnSequences?: boolean }): tf.layers.Layer {
  const c = config as Parameters<typeof tf.layers.lstm>[0]
  return type === 'SimpleRNN' ? tf.layers.simpleRNN(c) : type === 'GRU' ? tf.layers.gru(c) : tf.layers.lstm(c)
}

/** createAndCompileModel(1, hiddenSize, rnnType, digits, 12). */
export function additionModel(options: { hiddenSize: number; rnnType: RnnType; digits: number; bug?: AdditionBug }): tf.LayersModel {
  const { hiddenSize, rnnType, digits } = options
  const vocabularySize = CHARS.length
  const maxLen = digits + 1 + digits
  const model = tf.sequential()
  model.add(rnn(rnnType, { units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize] }))
  model.add(tf.layers.repeatVector({ n: digits + 1 }))
  model.add(rnn(rnnType, { units: hiddenSize, recurrentInitializer: 'glorotNormal', returnSequences: true }))
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: vocabularySize }) }))
  if (options.bug !== 'no-softmax') model.add(tf.layers.activation({ activation: 'softmax' }))
  model.compile({ loss: 'categoricalCrossentropy', optimizer: options.bug === 'lr-too-high' ? tf.train.adam(10) : 'adam', metrics: ['accuracy'] })
  return model
}
