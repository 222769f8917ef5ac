// IMDB sentiment classifier, a faithful copy of tensorflow/tfjs-examples at commit 05217256:
//   sentiment/train.js  buildModel(modelType, maxLen, vocabularySize, embeddingSize):
//       embedding({inputDim: vocabularySize, outputDim: embeddingSize, inputLength: maxLen}) →
//       'flatten': flatten() | 'cnn': dropout(0.5) → conv1d(250, 5, valid, relu) → globalMaxPool1d → Dense(250, relu)
//       | 'lstm': lstm(32) → Dense(1, sigmoid);
//       main(): compile({loss: 'binaryCrossentropy', optimizer: args.optimizer (default 'adam', lr 0.001), metrics: ['acc']}).
//   sentiment/data.js   padSequences(..., 'pre' padding with 0), labels 0/1.
// The CLI defaults are numWords 10000, maxLen 100, embeddingSize 128; the tests pass smaller values through the same
// parameters (vocabulary 40, maxLen 12, embedding 8). The IMDB corpus is not reachable, so reviews are SYNTHESIZED:
// token 0 pads, ids 3–12 are "positive" words, 13–22 "negative", 23–39 neutral; a review's label is 1 when it holds
// more positive than negative words — a rule an embedding model can learn.
import * as tf from '@tensorflow/tfjs'
import { rng, shuffled, type BugCase } from './common.js'

export type SentimentKind = 'flatten' | 'cnn' | 'lstm'
export type SentimentBug = 'softmax-one-unit' | 'labels-pm1' | 'lr-too-high'

export const SENTIMENT_BUGS: Record<SentimentBug, BugCase<SentimentBug>> = {
  'softmax-one-unit': {
    name: 'softmax-one-unit',
    expected: 'C3',
    line: "model.add(tf.layers.dense({units: 1, activation: 'softmax'}))  // instead of 'sigmoid'",
    why: 'a softmax over a single unit is exp(z)/exp(z) = 1 for every input, so binaryCrossentropy sees a constant ' +
      'probability 1 and no gradient: the output activation does not fit the loss (C3).',
  },
  'labels-pm1': {
    name: 'labels-pm1',
    expected: 'C4',
    line: 'const ys = reviews.map(r => r.positive ? 1 : -1)  // labels −1/+1 instead of 0/1',
    why: 'binaryCrossentropy needs targets in [0, 1]; with y = −1 the loss −(y·log p + (1 − y)·log(1 − p)) is ' +
      'unbounded below as p → 0 and pushes the wrong way: labels in the wrong format for the loss (C4).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    line: 'optimizer: tf.train.adam(3)  // --optimizer built with lr 3 instead of adam\'s 0.001',
    why: 'adam moves every embedding and kernel entry by ~3 per step, 3000× the default: the sigmoid output ' +
      'saturates and the loss jumps up and down: learning rate too high (C5).',
  },
}

export const VOCABULARY = 40
export const MAX_LEN = 12
export const EMBEDDING = 8

/** buildModel(modelType, maxLen, vocabularySize, embeddingSize), compiled as main() compiles it. */
export function sentimentModel(modelType: SentimentKind, bug?: SentimentBug, maxLen = MAX_LEN, vocabularySize = VOCABULARY, embeddingSize = EMBEDDING): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.embedding({ inputDim: vocabularySize, outputDim: embeddingSize, inputLength: maxLen }))
  if (modelType === 'flatten') {
    model.add(tf.layers.flatten())
  } else if (modelType === 'cnn') {
    model.add(tf.layers.dropout({ rate: 0.5 }))
    model.add(tf.layers.conv1d({ filters: 250, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' }))
    model.add(tf.layers.globalMaxPool1d({}))
    model.add(tf.layers.dense({ units: 250, activation: 'relu' }))
  } else {
    model.add(tf.layers.lstm({ units: 32 }))
  }
  model.add(tf.layers.dense({ units: 1, activation: bug === 'softmax-one-unit' ? 'softmax' : 'sigmoid' }))
  model.compile({ loss: 'binaryCrossentropy', optimizer: bug === 'lr-too-high' ? tf.train.adam(3) : 'adam', metrics: ['acc'] })
  return model
}

export interface SentimentSet {
  x: number[][]
  y: number[][]
}

/** `n` synthesized reviews, half positive, 'pre'-padded to maxLen; labels [n, 1] in {0, 1} (−1/+1 for 'labels-pm1'). */
export function sentimentData(n: number, options: { seed?: number; bug?: SentimentBug; maxLen?: number } = {}): SentimentSet {
  const random = rng(options.seed ?? 23)
  const maxLen = options.maxLen ?? MAX_LEN
  const pick = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))
  const x: number[][] = []
  const y: number[][] = []
  for (let i = 0; i < n; i++) {
    const positive = i % 2 === 0
    const length = pick(6, maxLen)
    const major = pick(2, 4)
    const minor = pick(0, major - 1)
    const words: number[] = []
    for (let k = 0; k < major; k++) words.push(positive ? pick(3, 12) : pick(13, 22))
    for (let k = 0; k < minor; k++) words.push(positive ? pick(13, 22) : pick(3, 12))
    while (words.length < length) words.push(pick(23, VOCABULARY - 1))
    const review = shuffled(words, random)
    x.push([...new Array<number>(maxLen - review.length).fill(0), ...review])
    y.push([positive ? 1 : options.bug === 'labels-pm1' ? -1 : 0])
  }
  return { x, y }
}
