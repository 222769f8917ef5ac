// Recurrent and embedding models on short sequences (5–6 steps), kept tiny: an RNN step costs a dozen ops.
import * as tf from '@tensorflow/tfjs'
import { broken, healthy, type Case } from '../case.js'
import { binarySet, column, multiclassTruth, oneHot, regressionSet, regressionTruth, reviews, sumSign } from '../data.js'
import { dense, sequential } from '../models.js'
import { normal, rng, standardizeSeries } from '../data.js'

const T = 5
const n = 24

type Recurrent = 'lstm' | 'gru' | 'simpleRNN'
const rnn = (kind: Recurrent, units: number, extra: Record<string, unknown> = {}): tf.layers.Layer =>
  tf.layers[kind]({ units, inputShape: [T, 1], ...extra })

/** The sum of a sequence's steps falls below -0.8 (class 0), within ±0.8 (1) or above 0.8 (2). */
function sumBands(count: number, seed: number): { x: number[][][]; labels: number[] } {
  const { x } = sumSign(count, T, seed)
  const labels = x.map((s) => {
    const total = s.reduce((a, [v]) => a + v!, 0)
    return total < -0.8 ? 0 : total > 0.8 ? 2 : 1
  })
  return { x, labels }
}

const WORDS = ['<pad>', 'Good', 'Great', 'Fine', 'Bad', 'Awful', 'Poor', 'The']
const VOCAB = new Map(WORDS.map((w, i) => [w.toLowerCase(), i]))

/** Averaged word vectors of a 6-word review into a sigmoid unit. */
const reviewModel = (): tf.LayersModel =>
  sequential(
    [tf.layers.embedding({ inputDim: 8, outputDim: 4, inputLength: 6 }), tf.layers.globalAveragePooling1d(), dense(1, 'sigmoid')],
    'binaryCrossentropy',
    tf.train.adam(0.05),
  )

export const recurrentCases: Case[] = [
  broken(
    {
      name: 'recurrent/lstm-on-raw-prices',
      family: 'recurrent',
      expected: 'C1',
      bug: 'an LSTM reads prices around 150 ± 20 as they are: its gates saturate from the first step',
      fix: 'x: fixed ? standardizeSeries(prices) : prices',
    },
    (fixed) => {
      const { x, labels } = sumSign(n, T, 100)
      const prices = x.map((s) => s.map(([v]) => [150 + 20 * v!]))
      return {
        build: () => sequential([rnn('lstm', 6), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.03)),
        train: binarySet(fixed ? standardizeSeries(prices) : prices, labels),
        maxEpochs: 20,
      }
    },
  ),
  broken(
    {
      name: 'recurrent/gru-forgot-softmax',
      family: 'recurrent',
      expected: 'C3',
      bug: "a 3-class GRU head has no activation while the loss is categoricalCrossentropy, which expects probabilities",
      fix: "dense(3, fixed ? 'softmax' : 'linear')",
    },
    (fixed) => {
      const { x, labels } = sumBands(n, 101)
      return {
        build: () => sequential([rnn('gru', 6), dense(3, fixed ? 'softmax' : 'linear')], 'categoricalCrossentropy', tf.train.adam(0.03)),
        train: { x, y: oneHot(labels, 3), truth: multiclassTruth(labels) },
        maxEpochs: 20,
      }
    },
  ),
  broken(
    {
      name: 'recurrent/simple-rnn-sgd-rate-20',
      family: 'recurrent',
      expected: 'C5',
      bug: 'a SimpleRNN trained by SGD at learning rate 20',
      fix: 'tf.train.sgd(fixed ? 0.5 : 20)',
    },
    (fixed) => {
      const { x, labels } = sumSign(n, T, 102)
      return {
        build: () => sequential([rnn('simpleRNN', 6), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.sgd(fixed ? 0.5 : 20)),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'embedding/case-sensitive-vocabulary',
      family: 'embedding',
      expected: 'C8',
      bug: 'the vocabulary is lowercase but the words are looked up as written, so every word maps to the out-of-vocabulary id 0',
      fix: 'const key = fixed ? word.toLowerCase() : word',
    },
    (fixed) => {
      const { x: ids, labels } = reviews(32, 6, 104)
      const tokenize = (words: string[]): number[] =>
        words.map((word) => {
          const key = fixed ? word.toLowerCase() : word
          return VOCAB.get(key) ?? 0
        })
      const x = ids.map((s) => tokenize(s.map((id) => WORDS[id]!)))
      return {
        build: reviewModel,
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'embedding/embedding-left-frozen',
      family: 'embedding',
      expected: 'C15',
      bug: 'the embedding was declared trainable: false for pretrained vectors that were never loaded: it stays random',
      fix: 'trainable: fixed',
    },
    (fixed) => {
      const { x, labels } = reviews(32, 6, 105)
      return {
        build: () =>
          sequential(
            [tf.layers.embedding({ inputDim: 8, outputDim: 2, inputLength: 6, trainable: fixed }), tf.layers.globalAveragePooling1d(), dense(1, 'sigmoid')],
            'binaryCrossentropy',
            tf.train.adam(0.05),
          ),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),

  healthy({ name: 'recurrent/lstm-sum-sign-adam', family: 'recurrent' }, () => {
    const { x, labels } = sumSign(n, T, 106)
    return {
      build: () => sequential([rnn('lstm', 6), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.03)),
      train: binarySet(x, labels),
      maxEpochs: 30,
    }
  }),
  healthy({ name: 'recurrent/gru-sum-regression-rmsprop', family: 'recurrent' }, () => {
    const { x } = sumSign(n, T, 107)
    const y = column(x.map((s) => s.reduce((a, [v]) => a + v!, 0)))
    return {
      build: () => sequential([rnn('gru', 6), dense(1, 'linear')], 'meanSquaredError', tf.train.rmsprop(0.02)),
      train: regressionSet(x, y),
      maxEpochs: 30,
    }
  }),
  healthy({ name: 'recurrent/simple-rnn-bands-sgd', family: 'recurrent' }, () => {
    const { x, labels } = sumBands(n, 108)
    return {
      build: () => sequential([rnn('simpleRNN', 8), dense(3, 'softmax')], 'sparseCategoricalCrossentropy', tf.train.sgd(0.5)),
      train: { x, y: column(labels), truth: multiclassTruth(labels) },
      maxEpochs: 30,
    }
  }),
  healthy({ name: 'embedding/reviews-average-pooling', family: 'embedding' }, () => {
    const { x, labels } = reviews(32, 6, 109)
    return {
      build: reviewModel,
      train: binarySet(x, labels),
      maxEpochs: 30,
    }
  }),

  // ---------------------------------------------------------------- added with the misses-model rules
  broken(
    {
      name: 'recurrent/gru-copied-frozen-rmsprop',
      family: 'recurrent',
      expected: 'C15',
      bug: 'the GRU was built with trainable: false, copied from a fine-tuning snippet that loads its weights; here nothing is loaded',
      fix: 'trainable: fixed',
    },
    (fixed) => {
      const { x } = sumSign(n, T, 110)
      const y = column(x.map((s) => s.reduce((a, [v]) => a + v!, 0)))
      return {
        build: () => sequential([rnn('gru', 2, { trainable: fixed }), dense(1, 'linear')], 'meanSquaredError', tf.train.rmsprop(0.02)),
        train: regressionSet(x, y),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'recurrent/readings-parsed-with-parseInt',
      family: 'recurrent',
      expected: 'C8',
      bug: 'sensor readings arrive as strings like "0.42" and are parsed with parseInt, which keeps only the integer part: every reading becomes 0',
      fix: 'const parse = fixed ? parseFloat : (s: string) => parseInt(s, 10)',
    },
    (fixed) => {
      const { x: raw } = sumSign(n, T, 111)
      const y = column(raw.map((s) => s.reduce((a, [v]) => a + v!, 0)))
      const parse = fixed ? parseFloat : (s: string): number => parseInt(s, 10)
      const x = raw.map((s) => s.map(([v]) => [parse((v! * 0.99).toFixed(3))]))
      return {
        build: () => sequential([rnn('lstm', 6), dense(1, 'linear')], 'meanSquaredError', tf.train.rmsprop(0.02)),
        train: regressionSet(x, y),
        maxEpochs: 30,
      }
    },
  ),

  // ---------------------------------------------------------------- added with the data-side misses (issue 10)
  broken(
    {
      name: 'recurrent/every-window-sliced-from-the-start',
      family: 'recurrent',
      expected: 'C8',
      bug: 'the sliding-window loop slices series.slice(0, T) instead of series.slice(i, i + T): every window is the first, while the targets move on',
      fix: 'const start = fixed ? i : 0',
    },
    (fixed) => {
      const r = rng(160)
      const series = Array.from({ length: n + T }, (_, t) => Math.sin(t / 1.5) + 0.1 * normal(r))
      const x: number[][][] = []
      const y: number[][] = []
      for (let i = 0; i < n; i++) {
        const start = fixed ? i : 0
        x.push(series.slice(start, start + T).map((v) => [v]))
        y.push([series[i + T]!])
      }
      return {
        build: () => sequential([rnn('gru', 8), dense(1, 'linear')], 'meanSquaredError', tf.train.rmsprop(0.01)),
        train: regressionSet(x, y),
        maxEpochs: 60,
      }
    },
  ),
  broken(
    {
      name: 'recurrent/simple-rnn-adagrad-crawl',
      family: 'recurrent',
      expected: 'C6',
      bug: 'a simple RNN regressor trained by Adagrad at its Keras default rate 1e-3: the first epochs move it, then the accumulated squares shrink every step',
      fix: 'tf.train.adagrad(fixed ? 0.2 : 1e-3)',
    },
    (fixed) => {
      const { x } = sumSign(n, T, 161)
      const y = column(x.map((s) => 2 * s.reduce((a, [v]) => a + v!, 0)))
      return {
        build: () => sequential([rnn('simpleRNN', 8), dense(1, 'linear')], 'meanSquaredError', tf.train.adagrad(fixed ? 0.2 : 1e-3)),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),
]
